"""Reads of the sharing core: inbox, sharing matrix, Protokoll, notifications."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules, sharing
from .models import (
    Aufgabenlauf,
    Benachrichtigung,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Freigebbar,
    Kommune,
    Protokoll,
    Verbund,
    Zugangsanfrage,
)

# --- the shareable models, without importing the apps that define them ----------------------


@cache
def freigebbare_modelle() -> tuple[type[Freigebbar], ...]:
    """Every concrete model that inherits Freigebbar (Projekt, Ergebnis, ...), stable order."""
    return tuple(
        sorted(
            (
                m
                for m in apps.get_models()
                if issubclass(m, Freigebbar) and not m._meta.abstract and not m._meta.proxy
            ),
            key=lambda m: m._meta.label,
        )
    )


def freigebbare_typen() -> list[tuple[str, str, ContentType]]:
    """(model name, verbose name, content type) of each shareable model, for filters."""
    cts = ContentType.objects.get_for_models(*freigebbare_modelle())
    return [(m._meta.model_name, str(m._meta.verbose_name), cts[m]) for m in freigebbare_modelle()]


# --- inbox -----------------------------------------------------------------------------------


def eingang_zaehlen(*, kommune: Kommune) -> dict[str, int]:
    return {
        "freigaben": Freigabe.objects.filter(
            eigentuemer=kommune, status=FreigabeStatus.BEANTRAGT
        ).count(),
        "anfragen": Zugangsanfrage.objects.filter(
            eigentuemer=kommune, status=Zugangsanfrage.Status.OFFEN
        ).count(),
    }


def _freigaben_basis(kommune: Kommune) -> QuerySet[Freigabe]:
    return (
        Freigabe.objects.filter(eigentuemer=kommune)
        .select_related(
            "content_type",
            "empfaenger_kommune",
            "empfaenger_verbund",
            "beantragt_von",
            "entschieden_von",
        )
        .prefetch_related("objekt")
    )


def freigaben_beantragt(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Proposals waiting for a decision, oldest first (a work queue)."""
    return (
        _freigaben_basis(kommune)
        .filter(status=FreigabeStatus.BEANTRAGT)
        .order_by("beantragt_am", "pk")
    )


def freigaben_zur_pruefung(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Granted with documents withheld (VERSION-1), or suspended after a legal change."""
    return (
        _freigaben_basis(kommune)
        .filter(
            Q(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
            | Q(status=FreigabeStatus.AUSGESETZT)
        )
        .order_by("beantragt_am", "pk")
    )


def freigaben_aktiv(*, kommune: Kommune) -> QuerySet[Freigabe]:
    """Granted Freigaben that can be revoked, those ending soonest first."""
    return (
        _freigaben_basis(kommune)
        .filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=False)
        .order_by(F("gueltig_bis").asc(nulls_last=True), "pk")
    )


def anfragen_offen(*, kommune: Kommune) -> QuerySet[Zugangsanfrage]:
    return (
        Zugangsanfrage.objects.filter(eigentuemer=kommune, status=Zugangsanfrage.Status.OFFEN)
        .select_related("antragsteller", "kommune")
        .prefetch_related("objekt")
        .order_by("gestellt_am", "pk")
    )


def pruefen_fuer(freigabe: Freigabe, *, by) -> list[rules.Verstoss]:
    """The rule check as it would run if `by` decided now (VIER-AUGEN included)."""
    objekt = freigabe.objekt
    if objekt is None:
        return []
    probe = copy.copy(freigabe)
    probe.entschieden_von_id = by.pk
    if freigabe.status == FreigabeStatus.ERTEILT and freigabe.dokumente_zurueckgehalten:
        # A re-approval releases the documents: judge the Freigabe as it will then stand.
        probe.dokumente_zurueckgehalten = False
    return rules.check(probe, objekt, probe.umstaende(objekt))


def anfrage_pruefen(anfrage: Zugangsanfrage, *, by) -> list[rules.Verstoss]:
    """The rule check of the Freigabe that approving `anfrage` would create."""
    from .models import standard_gueltig_bis

    objekt = anfrage.objekt
    if objekt is None:
        return []
    heute = timezone.localdate()
    probe = Freigabe(
        eigentuemer_id=anfrage.eigentuemer_id,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune_id=anfrage.kommune_id,
        umfang=anfrage.umfang,
        gueltig_ab=heute,
        gueltig_bis=standard_gueltig_bis(heute),
        beantragt_von_id=anfrage.antragsteller_id,
        entschieden_von_id=by.pk,
    )
    return rules.check(probe, objekt, probe.umstaende(objekt))


def freigabe_der_kommune(*, kommune: Kommune, pk) -> Freigabe:
    """One Freigabe owned by `kommune`; the same 404 for missing, foreign and malformed ids."""
    try:
        return _freigaben_basis(kommune).get(pk=int(pk))
    except (Freigabe.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc


def anfrage_der_kommune(*, kommune: Kommune, pk) -> Zugangsanfrage:
    try:
        return (
            Zugangsanfrage.objects.filter(eigentuemer=kommune)
            .select_related("antragsteller", "kommune")
            .get(pk=int(pk))
        )
    except (Zugangsanfrage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc


def freigabe_historie(*, freigabe: Freigabe) -> QuerySet[Protokoll]:
    """Every Protokoll row of one Freigabe, and of the access request it came from."""
    bedingung = Q(freigabe_id_ref=freigabe.pk)
    anfrage_id = (
        Zugangsanfrage.objects.filter(freigabe=freigabe).values_list("pk", flat=True).first()
    )
    if anfrage_id is not None:
        bedingung |= Q(
            aktion=Protokoll.Aktion.ANFRAGE_GESTELLT,
            content_type_id=freigabe.content_type_id,
            object_id=freigabe.object_id,
            details__anfrage=anfrage_id,
        )
    return (
        Protokoll.objects.filter(bedingung, kommune_id=freigabe.eigentuemer_id)
        .select_related("akteur_kommune")
        .order_by("zeitpunkt", "pk")
    )


# --- sharing matrix --------------------------------------------------------------------------

MATRIX_STATUS = (FreigabeStatus.BEANTRAGT, FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT)


@dataclass
class Spalte:
    schluessel: str  # "k<id>", "v<id>" or "oeffentlich"
    name: str
    art: str


@dataclass
class Zeile:
    typ: str
    typ_name: str
    pk: int
    titel: str
    url: str = ""
    zellen: list[list[Freigabe]] = field(default_factory=list)


def _empfaenger_schluessel(f: Freigabe) -> str:
    if f.empfaenger_art == EmpfaengerArt.KOMMUNE:
        return f"k{f.empfaenger_kommune_id}"
    if f.empfaenger_art == EmpfaengerArt.VERBUND:
        return f"v{f.empfaenger_verbund_id}"
    return "oeffentlich"


def matrix_spalten(*, kommune: Kommune) -> list[Spalte]:
    """Partner Kommunen (Verbund members and past recipients), Verbünde, the public."""
    partner = (
        Kommune.objects.filter(
            Q(verbuende__mitglieder=kommune) | Q(freigaben_erhalten__eigentuemer=kommune)
        )
        .exclude(pk=kommune.pk)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    verbuende = (
        Verbund.objects.filter(Q(mitglieder=kommune) | Q(freigaben__eigentuemer=kommune))
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    return (
        [Spalte(f"k{pk}", name, EmpfaengerArt.KOMMUNE) for pk, name in partner]
        + [Spalte(f"v{pk}", name, EmpfaengerArt.VERBUND) for pk, name in verbuende]
        + [Spalte("oeffentlich", str(_("Öffentlichkeit")), EmpfaengerArt.OEFFENTLICH)]
    )


def matrix_objekte(
    *, user, typ: str = "", empfaenger: str = "", status: str = "", suche: str = ""
) -> QuerySet:
    """The city's objects as one union of (typ, pk, titel) rows, filtered and ordered.

    With a recipient or status filter only objects with a matching Freigabe remain, so the
    matrix answers "what goes to Augsburg?" without scrolling through the rest.
    """
    teile = []
    cts = ContentType.objects.get_for_models(*freigebbare_modelle())
    freigaben = _matrix_freigaben_filter(empfaenger=empfaenger, status=status)
    for model in freigebbare_modelle():
        name = model._meta.model_name
        if typ and typ != name:
            continue
        qs = sharing.visible(user, model._default_manager.all(), "view").filter(
            kommune_id=user.kommune_id
        )
        if suche:
            qs = qs.filter(titel__icontains=suche)
        if freigaben is not None:
            qs = qs.filter(
                pk__in=freigaben.filter(
                    eigentuemer_id=user.kommune_id, content_type=cts[model]
                ).values("object_id")
            )
        teile.append(
            qs.order_by()
            .annotate(
                typ=Value(name, output_field=CharField()),
                ct=Value(cts[model].pk, output_field=IntegerField()),
            )
            .values("typ", "ct", "pk", "titel")
        )
    if not teile:
        return Freigabe.objects.none().values("pk")
    erste, *rest = teile
    return (
        erste.union(*rest, all=True).order_by("titel", "typ", "pk")
        if rest
        else erste.order_by("titel", "pk")
    )


def _matrix_freigaben_filter(*, empfaenger: str, status: str) -> QuerySet[Freigabe] | None:
    if not empfaenger and not status:
        return None
    qs = Freigabe.objects.filter(status__in=MATRIX_STATUS)
    if empfaenger:
        qs = qs.filter(_empfaenger_q(empfaenger))
    if status == "zurueckgehalten":
        qs = qs.filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
    elif status:
        qs = qs.filter(status=status)
    return qs


def _empfaenger_q(schluessel: str) -> Q:
    if schluessel == "oeffentlich":
        return Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    art, pk = schluessel[:1], schluessel[1:]
    if not pk.isdigit():
        return Q(pk__in=[])
    if art == "k":
        return Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=int(pk))
    if art == "v":
        return Q(empfaenger_art=EmpfaengerArt.VERBUND, empfaenger_verbund_id=int(pk))
    return Q(pk__in=[])


def matrix_zeilen(
    *, kommune: Kommune, objekte: list[dict], spalten: list[Spalte], status: str = ""
) -> list[Zeile]:
    """Fill the cells of one page of objects with their open and active Freigaben."""
    typen = {m._meta.model_name: m for m in freigebbare_modelle()}
    bedingung = Q(pk__in=[])
    nach_ct: dict[int, list[int]] = {}
    for o in objekte:
        nach_ct.setdefault(o["ct"], []).append(o["pk"])
    for ct, pks in nach_ct.items():
        bedingung |= Q(content_type_id=ct, object_id__in=pks)
    freigaben = Freigabe.objects.filter(
        bedingung, eigentuemer=kommune, status__in=MATRIX_STATUS
    ).order_by("umfang", "pk")
    if status == "zurueckgehalten":
        freigaben = freigaben.filter(status=FreigabeStatus.ERTEILT, dokumente_zurueckgehalten=True)
    elif status:
        freigaben = freigaben.filter(status=status)
    zellen: dict[tuple[int, int, str], list[Freigabe]] = {}
    for f in freigaben:
        zellen.setdefault((f.content_type_id, f.object_id, _empfaenger_schluessel(f)), []).append(f)
    zeilen = []
    for o in objekte:
        model = typen.get(o["typ"])
        zeile = Zeile(
            typ=o["typ"],
            typ_name=str(model._meta.verbose_name) if model else o["typ"],
            pk=o["pk"],
            titel=o["titel"],
            url=_objekt_url(model, o["pk"]),
        )
        zeile.zellen = [zellen.get((o["ct"], o["pk"], s.schluessel), []) for s in spalten]
        zeilen.append(zeile)
    return zeilen


def _objekt_url(model, pk: int) -> str:
    """The object's address without loading it: get_absolute_url on an unsaved stand-in."""
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    stand_in = model(pk=pk)
    return stand_in.get_absolute_url()


# --- Protokoll -------------------------------------------------------------------------------


def protokoll_der_kommune(*, kommune: Kommune) -> QuerySet[Protokoll]:
    return Protokoll.objects.filter(kommune=kommune).select_related("akteur_kommune")


def protokoll_gefiltert(
    *,
    kommune: Kommune,
    objekt: str = "",
    benutzer: str = "",
    aktion: str = "",
    von: dt.date | None = None,
    bis: dt.date | None = None,
) -> QuerySet[Protokoll]:
    """The city's audit log with the filters of the Protokoll page and its CSV export."""
    qs = protokoll_der_kommune(kommune=kommune)
    if objekt:
        qs = qs.filter(objekt_titel__icontains=objekt)
    if benutzer:
        qs = qs.filter(akteur_name__icontains=benutzer)
    if aktion:
        qs = qs.filter(aktion=aktion)
    if von:
        qs = qs.filter(zeitpunkt__date__gte=von)
    if bis:
        qs = qs.filter(zeitpunkt__date__lte=bis)
    return qs.order_by("-zeitpunkt", "-id")


# --- notifications ---------------------------------------------------------------------------


def benachrichtigungen(*, user) -> QuerySet[Benachrichtigung]:
    return Benachrichtigung.objects.filter(empfaenger=user)


def benachrichtigungen_liste(*, user) -> QuerySet[Benachrichtigung]:
    """Unread first, newest first within each group."""
    return benachrichtigungen(user=user).order_by(
        F("gelesen_am").asc(nulls_first=True), "-erstellt_am", "-pk"
    )


def freigaben_an(*, user) -> QuerySet[Freigabe]:
    """Granted Freigaben whose recipient includes the user: their Kommune, Verbund or public.

    Only Freigaben of other Kommunen: what partners share, not what the own city gives away.
    """
    bedingung = Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    if getattr(user, "kommune_id", None):
        bedingung |= Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=user.kommune_id)
        bedingung |= Q(
            empfaenger_art=EmpfaengerArt.VERBUND, empfaenger_verbund__mitglieder=user.kommune_id
        )
    qs = Freigabe.objects.filter(bedingung, status=FreigabeStatus.ERTEILT)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(eigentuemer_id=user.kommune_id)
    return qs


def freigaben_beteiligt(*, user) -> QuerySet[Freigabe]:
    """Freigaben the user's Kommune is party to: as owner, or as (part of the) recipient.

    The dashboard counts only these, so it never tells one city what two others agreed
    between themselves; public Freigaben concern everyone.
    """
    bedingung = Q(empfaenger_art=EmpfaengerArt.OEFFENTLICH)
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id:
        bedingung |= Q(eigentuemer_id=kommune_id)
        bedingung |= Q(empfaenger_art=EmpfaengerArt.KOMMUNE, empfaenger_kommune_id=kommune_id)
        bedingung |= Q(
            empfaenger_art=EmpfaengerArt.VERBUND,
            empfaenger_verbund__in=Verbund.objects.filter(mitglieder=kommune_id),
        )
    return Freigabe.objects.filter(bedingung)


def freigaben_wirksam(qs: QuerySet[Freigabe]) -> QuerySet[Freigabe]:
    """Only granted Freigaben inside their validity period."""
    heute = timezone.localdate()
    return qs.filter(status=FreigabeStatus.ERTEILT, gueltig_ab__lte=heute).filter(
        Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=heute)
    )


# The hourly expiry job is the beat's heartbeat: two missed runs and beat counts as late.
BEAT_HERZSCHLAG = "kommunen.tasks.freigaben_ablaufen"
BEAT_VERSPAETET_NACH = dt.timedelta(hours=2, minutes=10)


def beat_zustand(*, jetzt: dt.datetime | None = None) -> dict:
    """When each periodic task last finished, and whether beat keeps time (for /healthz)."""
    jetzt = jetzt or timezone.now()
    laeufe = dict(Aufgabenlauf.objects.values_list("aufgabe", "zuletzt_am"))
    herzschlag = laeufe.get(BEAT_HERZSCHLAG)
    if herzschlag is None:
        zustand = "nie"
    elif jetzt - herzschlag > BEAT_VERSPAETET_NACH:
        zustand = "verspaetet"
    else:
        zustand = "ok"
    return {
        "zustand": zustand,
        "zuletzt": {name: wann.isoformat() for name, wann in sorted(laeufe.items())},
    }
