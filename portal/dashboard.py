"""The dashboard: who shares with whom, projects by Thema and Status, shared results per month,
reuse and the money it saved per Kommune.

What it may show, decided once: the project charts count only projects the user may see
(`sharing.visible`); the sharing charts count Freigaben the user's Kommune is party to (as
owner or as recipient, directly, through a Verbund or as the public) and show no titles at all.
Reuse and savings count declarations on projects the user may see (visible()), per Kommune,
without titles. So no chart reveals an object the user cannot see, nor what two other cities
agreed between themselves. Every chart is a server-rendered SVG (presentation attributes only,
no inline style or script, for the CSP) with a title, a description and a data table beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.datenbanken import replikat_lesen
from kommunen import selectors as kommunen_selectors
from kommunen.models import EmpfaengerArt, FreigabeStatus
from projekte import selectors as projekte_selectors
from projekte.models import Projekt
from wissen.models import Ergebnis

BREITE = 760
MONATE = 12


# --- flow diagram ---------------------------------------------------------------------------


@dataclass
class Knoten:
    name: str
    x: float
    y: float
    anker: str  # text-anchor of its label
    text_x: float


@dataclass
class Band:
    von: str
    an: str
    anzahl: int
    pfad: str
    breite: float
    text_x: float
    text_y: float


def _empfaenger_name(row: dict) -> str:
    if row["empfaenger_art"] == EmpfaengerArt.KOMMUNE:
        return row["empfaenger_kommune__name"]
    if row["empfaenger_art"] == EmpfaengerArt.VERBUND:
        return row["empfaenger_verbund__name"]
    return str(_("Öffentlichkeit"))


def fluss_daten(*, user) -> list[dict]:
    """Counts of effective Freigaben per (owner, recipient), over what the user's city is in."""
    rows = (
        kommunen_selectors.freigaben_wirksam(kommunen_selectors.freigaben_beteiligt(user=user))
        .values(
            "eigentuemer__name",
            "empfaenger_art",
            "empfaenger_kommune__name",
            "empfaenger_verbund__name",
        )
        .annotate(anzahl=Count("pk"))
        .order_by("eigentuemer__name", "empfaenger_art", "empfaenger_kommune__name")
    )
    return [
        {"von": r["eigentuemer__name"], "an": _empfaenger_name(r), "anzahl": r["anzahl"]}
        for r in rows
    ]


def fluss_diagramm(daten: list[dict]) -> dict:
    """Geometry of a two-column flow diagram: owners left, recipients right, bands between."""
    quellen = list(dict.fromkeys(d["von"] for d in daten))
    ziele = list(dict.fromkeys(d["an"] for d in daten))
    abstand = 56
    oben = 40
    hoehe = oben + max(len(quellen), len(ziele), 1) * abstand
    # Room for long recipient names (a Verbund's name) on the right.
    links_x, rechts_x = 150, BREITE - 380

    def y(i: int, n: int) -> float:
        # Centre a shorter column against the taller one.
        return oben + (max(len(quellen), len(ziele)) - n) * abstand / 2 + i * abstand + 10

    knoten_l = {
        n: Knoten(n, links_x, y(i, len(quellen)), "end", links_x - 10)
        for i, n in enumerate(quellen)
    }
    knoten_r = {
        n: Knoten(n, rechts_x, y(i, len(ziele)), "start", rechts_x + 10)
        for i, n in enumerate(ziele)
    }
    groesste = max((d["anzahl"] for d in daten), default=1)
    baender = []
    for d in daten:
        a, b = knoten_l[d["von"]], knoten_r[d["an"]]
        mitte = (a.x + b.x) / 2
        baender.append(
            Band(
                von=d["von"],
                an=d["an"],
                anzahl=d["anzahl"],
                pfad=f"M {a.x:.0f} {a.y:.0f} C {mitte:.0f} {a.y:.0f}, {mitte:.0f} {b.y:.0f}, "
                f"{b.x:.0f} {b.y:.0f}",
                breite=round(2 + 16 * d["anzahl"] / groesste, 1),
                # The count sits near the recipient, where the bands have fanned out.
                text_x=b.x - 36,
                text_y=b.y - 6,
            )
        )
    return {
        "breite": BREITE,
        "hoehe": hoehe,
        "quellen": list(knoten_l.values()),
        "ziele": list(knoten_r.values()),
        "baender": baender,
        "links_x": links_x,
        "rechts_x": rechts_x,
    }


# --- bar charts -----------------------------------------------------------------------------


@dataclass
class Balken:
    name: str
    anzahl: int
    x: float
    y: float
    breite: float
    hoehe: float
    text_x: float
    text_y: float
    # What the bar's end says, where it is not the bare number (an amount in euros).
    beschriftung: str = ""


def balken_waagerecht(daten: list[tuple[str, int]], *, format=None) -> dict:
    """Horizontal bars: label left, bar, count right of the bar (through `format`, if given)."""
    zeile, label_breite, max_breite = 28, 200, BREITE - 260
    groesste = max((n for _name, n in daten), default=1) or 1
    balken = []
    for i, (name, n) in enumerate(daten):
        breite = max_breite * float(n) / float(groesste)
        y = 10 + i * zeile
        balken.append(
            Balken(
                name,
                n,
                label_breite,
                y,
                breite,
                zeile - 8,
                label_breite + breite + 6,
                y + 15,
                format(n) if format else "",
            )
        )
    return {
        "breite": BREITE,
        "hoehe": 20 + len(daten) * zeile,
        "balken": balken,
        "label_x": label_breite - 8,
    }


def balken_senkrecht(daten: list[tuple[str, int]]) -> dict:
    """Vertical bars per month, the count above each bar, the month below."""
    hoehe, unten, max_hoehe = 240, 200, 160
    schritt = (BREITE - 40) / max(len(daten), 1)
    groesste = max((n for _name, n in daten), default=1) or 1
    balken = []
    for i, (name, n) in enumerate(daten):
        h = max_hoehe * n / groesste
        x = 30 + i * schritt
        balken.append(
            Balken(name, n, x, unten - h, schritt * 0.6, h, x + schritt * 0.3, unten - h - 6)
        )
    return {
        "breite": BREITE,
        "hoehe": hoehe,
        "balken": balken,
        "unten": unten,
        "text_y": unten + 18,
    }


def projekte_nach_status(*, user) -> list[tuple[str, int]]:
    zaehlung = dict(
        projekte_selectors.projekte_sichtbar(user=user)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(str(label), zaehlung.get(wert, 0)) for wert, label in Projekt.Status.choices]


def projekte_nach_thema(*, user) -> list[tuple[str, int]]:
    rows = (
        projekte_selectors.projekte_sichtbar(user=user)
        .order_by()
        .values("themen__name", "themen__name_en")
        .annotate(n=Count("pk", distinct=True))
        .values_list("themen__name", "themen__name_en", "n")
    )
    englisch = (get_language() or "").startswith("en")
    daten = sorted(
        (((englisch and name_en) or name or str(_("ohne Thema")), n) for name, name_en, n in rows),
        key=lambda t: (-t[1], t[0]),
    )
    return daten[:15]


def euro(betrag) -> str:
    return f"{number_format(betrag, 0, use_l10n=True, force_grouping=True)} €"


def nachnutzung_daten(*, user) -> dict:
    """Reuse per Kommune over the projects the user may see (projekte.selectors), as a
    table and two bar charts: projects reused by others, and the savings estimated."""
    zeilen = projekte_selectors.nachnutzung_bilanz(user=user)
    for z in zeilen:
        z["eingespart_text"] = euro(z["eingespart"])
    genutzt = [(z["kommune"], z["genutzt_von_anderen"]) for z in zeilen]
    gespart = [(z["kommune"], z["eingespart"]) for z in zeilen]
    summe = sum((z["eingespart"] for z in zeilen), 0)
    return {
        "zeilen": zeilen,
        "genutzt_svg": balken_waagerecht(genutzt),
        "gespart_svg": balken_waagerecht(gespart, format=euro),
        "summe": summe,
        "summe_text": euro(summe),
        "nachnutzungen": sum(z["nachgenutzt"] for z in zeilen),
    }


def _monate(heute: dt.date) -> list[dt.date]:
    erster = heute.replace(day=1)
    monate = []
    for _i in range(MONATE):
        monate.append(erster)
        erster = (erster - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(monate))


def ergebnisse_pro_monat(*, user) -> list[tuple[str, int]]:
    """Freigaben of results granted per month (the user's city party to them), last 12 months."""
    heute = timezone.localdate()
    monate = _monate(heute)
    ct = ContentType.objects.get_for_model(Ergebnis)
    rows = (
        kommunen_selectors.freigaben_beteiligt(user=user)
        .filter(
            content_type=ct,
            entschieden_am__date__gte=monate[0],
            status__in=[
                FreigabeStatus.ERTEILT,
                FreigabeStatus.WIDERRUFEN,
                FreigabeStatus.ABGELAUFEN,
                FreigabeStatus.AUSGESETZT,
            ],
        )
        .annotate(monat=TruncMonth("entschieden_am"))
        .order_by()
        .values("monat")
        .annotate(n=Count("pk"))
        .values_list("monat", "n")
    )
    zaehlung = {
        timezone.localtime(m).date().replace(day=1) if isinstance(m, dt.datetime) else m: n
        for m, n in rows
    }
    return [(m.strftime("%m/%Y"), zaehlung.get(m, 0)) for m in monate]


@login_required
@require_GET
@replikat_lesen
def dashboard(request):
    user = request.user
    fluss = fluss_daten(user=user)
    status = projekte_nach_status(user=user)
    themen = projekte_nach_thema(user=user)
    monate = ergebnisse_pro_monat(user=user)
    return render(
        request,
        "portal/dashboard.html",
        {
            "fluss": fluss,
            "fluss_svg": fluss_diagramm(fluss),
            "status": status,
            "status_svg": balken_waagerecht(status),
            "themen": themen,
            "themen_svg": balken_waagerecht(themen),
            "monate": monate,
            "monate_svg": balken_senkrecht(monate),
            "monate_summe": sum(n for _m, n in monate),
            "nachnutzung": nachnutzung_daten(user=user),
        },
    )
