"""A Protokoll row's details in words: what the Protokoll page and the CSV export show.

The details are stored as JSON with the keys and values the services wrote (ids, keys, ISO
dates, byte counts). People read them here as German text: dates as dd.mm.yyyy, sizes in KB or
MB, roles and choices by their names, Freigabe numbers as "Nr. 3, 4", rule ids as "Regel X",
booleans as ja/nein, changes as "vorher → nachher". The raw JSON stays in the row (and in the
export's last column) for whoever needs the machine form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import Kommune, Protokoll, Rolle, Umfang

NAMEN = {
    "anfrage": _("Zugangsanfrage"),
    "anfragen_erledigt": _("erledigte Zugangsanfragen"),
    "anlass": _("Anlass"),
    "aktion": _("Aktion"),
    "ausgetreten": _("ausgetreten"),
    "begruendung": _("Begründung"),
    "beigetreten": _("beigetreten"),
    "benutzer": _("Benutzer/in"),
    "bis": _("bis"),
    "datei": _("Datei"),
    "dokument": _("Dokument"),
    "dokumente": _("Dokumente"),
    "empfaenger": _("Empfänger"),
    "entzogen": _("Rechte entzogen"),
    "ersetzt": _("ersetzte Fassung"),
    "fassung": _("frühere Fassung"),
    "fassungen": _("frühere Fassungen"),
    "erneute_pruefung": _("erneute Prüfung"),
    "felder": _("Felder"),
    "filter": _("Filter"),
    "freigaben_beendet": _("beendete Freigaben"),
    "groesse": _("Größe"),
    "grund": _("Grund"),
    "gueltig_bis": _("gültig bis"),
    "hinzugefuegt": _("Rechte hinzugefügt"),
    "kommune": _("Kommune"),
    "kommune_id": _("Kommune"),
    "loeschdatum": _("Löschdatum"),
    "mitglieder": _("Mitglieder"),
    "nachnutzungen": _("Interessen an Nachnutzung"),
    "name": _("Datei"),
    "objekt": _("Objekt"),
    "regeln": _("Regeln"),
    "rolle": _("Rolle"),
    "sha256": _("Prüfsumme (SHA-256)"),
    "titel": _("Titel"),
    "umfang": _("Umfang"),
    "verbund": _("Verbund"),
    "von": _("von"),
    "zweckvereinbarkeit": _("Zweckvereinbarkeit"),
    "zweitpruefung": _("Zweitprüfung"),
}
# Keys whose value is a number (or list of numbers) of a Freigabe, request or document.
NUMMERN = {"anfrage", "anfragen_erledigt", "dokument", "fassung", "freigaben_beendet"}
# Keys whose value is a list of Kommune slugs.
SLUGS = {"mitglieder"}
ISO_DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_ZEIT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class Kommunennamen:
    """Names of Kommunen by id and slug, read once (there are few) when a row needs one."""

    def __init__(self):
        self._nach_id: dict[int, str] | None = None
        self._nach_slug: dict[str, str] = {}

    def laden(self) -> Kommunennamen:
        """Read now: a page or export then costs the same queries whatever its rows hold."""
        if self._nach_id is None:
            zeilen = list(Kommune.objects.values_list("pk", "slug", "name"))
            self._nach_id = {pk: name for pk, _slug, name in zeilen}
            self._nach_slug = {slug: name for _pk, slug, name in zeilen}
        return self

    def name(self, pk) -> str:
        self.laden()
        return self._nach_id.get(pk, str(pk))

    def name_zum_slug(self, slug: str) -> str:
        self.laden()
        return self._nach_slug.get(slug, slug)


def nummern(werte) -> str:
    """Freigabe (or request) numbers: "Nr. 3, 4"."""
    werte = werte if isinstance(werte, list | tuple) else [werte]
    if not werte:
        return "–"
    return gettext("Nr. %(nummern)s") % {"nummern": ", ".join(str(w) for w in werte)}


def groesse(n: int) -> str:
    """Bytes as people read them, in the language's number format: "1,5 MB"."""
    if n < 1024:
        return gettext("%(n)s Bytes") % {"n": formats.number_format(n, use_l10n=True)}
    if n < 1024 * 1024:
        return gettext("%(n)s KB") % {"n": formats.number_format(n / 1024, 1, use_l10n=True)}
    return gettext("%(n)s MB") % {
        "n": formats.number_format(n / (1024 * 1024), 1, use_l10n=True, force_grouping=True)
    }


def datum(text: str) -> str:
    """An ISO date or timestamp as dd.mm.yyyy (HH:MM local time); anything else unchanged."""
    if ISO_ZEIT.match(text):
        zeit = parse_datetime(text)
        if zeit is not None:
            if timezone.is_aware(zeit):
                zeit = timezone.localtime(zeit)
            return zeit.strftime("%d.%m.%Y %H:%M")
    if ISO_DATUM.match(text):
        tag = parse_date(text)
        if tag is not None:
            return tag.strftime("%d.%m.%Y")
    return text


def _feld(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _feldwert(feld, wert) -> str:
    """A value of the object's own field (as `legal_snapshot` wrote it) in words."""
    if wert in (None, "", "None"):
        return "–"
    if wert in ("True", "False"):
        return wert_in_worten("", wert == "True")
    if feld is not None and feld.choices:
        labels = {str(k): v for k, v in feld.flatchoices}
        if str(wert) in labels:
            return str(labels[str(wert)])
    return wert_in_worten("", wert)


def wert_in_worten(schluessel: str, wert: Any, kommunen: Kommunennamen | None = None) -> str:
    kommunen = kommunen or Kommunennamen()
    if wert is None or wert == "None":
        return "–" if schluessel in ("gueltig_bis", "loeschdatum") else ""
    if isinstance(wert, bool):
        return gettext("ja") if wert else gettext("nein")
    if isinstance(wert, list | tuple) and not wert:
        return "–"
    if schluessel in NUMMERN:
        return nummern(wert)
    if schluessel == "regeln" or (isinstance(wert, str) and wert in rules.REGEL_IDS):
        ids = wert if isinstance(wert, list | tuple) else [wert]
        return ", ".join(rules.verweis(r) for r in ids)
    if schluessel == "groesse" and isinstance(wert, int):
        return groesse(wert)
    if schluessel == "umfang" and wert in Umfang.values:
        return str(Umfang(wert).label)
    if schluessel == "rolle" and wert in Rolle.values:
        return str(Rolle(wert).label)
    if schluessel == "kommune_id":
        return kommunen.name(wert)
    if schluessel == "aktion" and wert in Protokoll.Aktion.values:
        return str(Protokoll.Aktion(wert).label)
    if schluessel in SLUGS and isinstance(wert, list | tuple):
        return ", ".join(kommunen.name_zum_slug(s) for s in wert)
    if isinstance(wert, list | tuple):
        return ", ".join(wert_in_worten(schluessel, w, kommunen) for w in wert)
    if isinstance(wert, dict):
        if schluessel == "dokumente" or "sha256" in wert:
            return _dokument(wert)
        return "; ".join(
            f"{NAMEN.get(k, k)}: {wert_in_worten(k, v, kommunen)}" for k, v in wert.items()
        )
    if isinstance(wert, dt.date):
        return wert.strftime("%d.%m.%Y")
    if isinstance(wert, str):
        return datum(wert)
    return str(wert)


def _dokument(d: dict) -> str:
    teile = [str(d.get("name") or "")]
    if isinstance(d.get("groesse"), int):
        teile.append(groesse(d["groesse"]))
    if d.get("sha256"):
        teile.append(f"SHA-256 {d['sha256']}")
    return f"{teile[0]} ({', '.join(teile[1:])})" if len(teile) > 1 else teile[0]


def _aenderung(vorher: str, nachher: str) -> str:
    return f"{vorher or '–'} → {nachher or '–'}"


def details_in_worten(
    zeile: Protokoll, kommunen: Kommunennamen | None = None
) -> list[tuple[str, str]]:
    """A row's details as (label, value) pairs in words, for the page and the CSV export."""
    details = zeile.details
    kommunen = kommunen or Kommunennamen()
    if not isinstance(details, dict):
        return [("", str(details))]
    if zeile.aktion == Protokoll.Aktion.RECHTLICHES_GEAENDERT:
        return _rechtliches(zeile, details)
    paare = []
    rest = dict(details)
    vorher, nachher = rest.pop("vorher", None), rest.pop("nachher", None)
    for k, v in rest.items():
        paare.append((str(NAMEN.get(k, k)), wert_in_worten(k, v, kommunen)))
    if isinstance(vorher, dict) or isinstance(nachher, dict):
        # A user's Kommune and role: each that changed, old → new.
        alt, neu = vorher or {}, nachher or {}
        for k in dict.fromkeys([*alt, *neu]):
            if alt.get(k) != neu.get(k):
                paare.append(
                    (
                        str(NAMEN.get(k, k)),
                        _aenderung(
                            wert_in_worten(k, alt.get(k), kommunen),
                            wert_in_worten(k, neu.get(k), kommunen),
                        ),
                    )
                )
    elif vorher is not None or nachher is not None:
        # The only plain old/new pair written is a Freigabe's end shortened to the Löschdatum.
        paare.insert(
            0,
            (
                str(NAMEN["gueltig_bis"]),
                _aenderung(wert_in_worten("", vorher), wert_in_worten("", nachher)),
            ),
        )
    return paare


def _rechtliches(zeile: Protokoll, details: dict) -> list[tuple[str, str]]:
    """{field: [old, new]} of the object's legal fields, by their names and in words."""
    model = None
    if zeile.content_type_id:
        model = ContentType.objects.get_for_id(zeile.content_type_id).model_class()
    paare = []
    for name, werte in details.items():
        feld = _feld(model, name)
        label = str(feld.verbose_name) if feld is not None else str(NAMEN.get(name, name))
        if isinstance(werte, list | tuple) and len(werte) == 2:
            wert = _aenderung(_feldwert(feld, werte[0]), _feldwert(feld, werte[1]))
        else:
            wert = _feldwert(feld, werte)
        paare.append((label, wert))
    return paare


def details_text(paare: list[tuple[str, str]]) -> str:
    return "; ".join(f"{k}: {v}" if k else v for k, v in paare)
