"""A publisher takes an object back: withdraws it (it stays, shared with nobody) or deletes it.

Both end every open Freigabe and refuse the open access requests, tell the recipients who lose
access and the object's other carers, and leave the record: the Freigaben and requests
themselves and the Protokoll with who did it and why (decision 0011).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import sharing
from ..models import (
    FREIGABE_OFFEN,
    Freigabe,
    FreigabeStatus,
    Freigabevermerk,
    Protokoll,
    Zugangsanfrage,
)
from ..selectors import loesch_hindernisse
from .benachrichtigungen import benachrichtigen
from .freigaben import berechtigungen_abgleichen
from .protokoll import A, KeineBerechtigung, protokollieren
from .vermerke import vermerk_anlegen
from .zugriffsende import betreuende, freigabe_ende_melden

GRUND_MAX = 500


@dataclass
class Beendet:
    """What taking an object back ended: Freigaben (open before) and access requests."""

    freigaben: list[Freigabe] = field(default_factory=list)
    anfragen: list[Zugangsanfrage] = field(default_factory=list)

    @property
    def nummern(self) -> str:
        return ", ".join(str(f.pk) for f in self.freigaben)


def _alles_beenden(objekt, *, by, grund: str) -> Beendet:
    """End the open Freigaben of the locked `objekt` and refuse its open access requests."""
    jetzt = timezone.now()
    beendet = Beendet()
    for f in (
        Freigabe.objects.filter(
            content_type=ContentType.objects.get_for_model(objekt),
            object_id=objekt.pk,
            status__in=FREIGABE_OFFEN,
        )
        .select_related("empfaenger_kommune", "empfaenger_verbund")
        .select_for_update(of=("self",))
        .order_by("pk")
    ):
        war_erteilt = f.status == FreigabeStatus.ERTEILT
        f.status = FreigabeStatus.WIDERRUFEN
        f.beendet_von = by
        f.beendet_am = jetzt
        f.beendet_grund = grund
        f.save(update_fields=["status", "beendet_von", "beendet_am", "beendet_grund"])
        zeile = protokollieren(
            aktion=A.FREIGABE_WIDERRUFEN,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"grund": grund},
        )
        # Drawn while the object is still there: the memo stays with the Freigabe after it.
        vermerk_anlegen(
            freigabe=f, objekt=objekt, art=Freigabevermerk.Art.WIDERRUFEN, protokoll=zeile
        )
        if war_erteilt:
            freigabe_ende_melden(freigabe=f, titel=str(objekt))
        beendet.freigaben.append(f)
    beendet.anfragen = list(
        Zugangsanfrage.objects.filter(
            content_type=ContentType.objects.get_for_model(objekt),
            object_id=objekt.pk,
            status=Zugangsanfrage.Status.OFFEN,
        )
        .select_related("antragsteller")
        .select_for_update(of=("self",))
    )
    for a in beendet.anfragen:
        a.status = Zugangsanfrage.Status.ABGELEHNT
        a.entschieden_von = by
        a.entschieden_am = jetzt
        a.entscheidung_begruendung = grund
        a.save(
            update_fields=[
                "status",
                "entschieden_von",
                "entschieden_am",
                "entscheidung_begruendung",
            ]
        )
        protokollieren(
            aktion=A.ANFRAGE_ABGELEHNT,
            akteur=by,
            objekt=objekt,
            details={"anfrage": a.pk, "begruendung": grund},
        )
    return beendet


def _grund_pruefen(grund: str) -> str:
    grund = (grund or "").strip()
    if not grund:
        raise ValidationError(
            {"grund": _("Bitte geben Sie einen Grund an; er steht im Protokoll.")}
        )
    if len(grund) > GRUND_MAX:
        raise ValidationError(
            {"grund": _("Der Grund ist zu lang (höchstens %(n)s Zeichen).") % {"n": GRUND_MAX}}
        )
    return grund


@transaction.atomic
def objekt_zurueckziehen(*, objekt, by, grund: str) -> Beendet:
    """The owner's Herausgabe withdraws a shared object: it stays with its owner, every open
    Freigabe ends, open access requests are refused, recipients who lose access and the
    object's carers are told, and the Protokoll keeps who and why."""
    objekt = sharing.lock(objekt)  # the one lock order: object, then its Freigaben
    if not sharing.can_delete(by, objekt):
        raise KeineBerechtigung(
            _("Zurückziehen kann nur die Herausgabe der Kommune, der das Objekt gehört.")
        )
    grund = _grund_pruefen(grund)
    beendet = _alles_beenden(objekt, by=by, grund=_("Zurückgezogen: %(grund)s") % {"grund": grund})
    if not beendet.freigaben and not beendet.anfragen:
        raise ValidationError(
            _("„%(titel)s“ ist mit niemandem geteilt; es gibt nichts zurückzuziehen.")
            % {"titel": objekt}
        )
    protokollieren(
        aktion=A.OBJEKT_ZURUECKGEZOGEN,
        akteur=by,
        objekt=objekt,
        details={
            "grund": grund,
            "freigaben_beendet": [f.pk for f in beendet.freigaben],
            "anfragen_erledigt": [a.pk for a in beendet.anfragen],
        },
    )
    berechtigungen_abgleichen(objekt=objekt, by=by, anlass=_("zurückgezogen"))
    _anfragenden_sagen(objekt, beendet, gettext_lazy("%(kommune)s hat „%(titel)s“ zurückgezogen."))
    if beendet.freigaben:
        benachrichtigen(
            empfaenger=[u for u in betreuende(objekt) if u.pk != by.pk],
            ereignis="objekt_zurueckgezogen",
            betreff=lambda: _("Zurückgezogen: %(titel)s") % {"titel": objekt},
            text=lambda: (
                _(
                    "%(wer)s hat „%(titel)s“ zurückgezogen (%(grund)s); beendet sind die Freigaben "
                    "Nr. %(nr)s."
                )
                % {"wer": by.get_username(), "titel": objekt, "grund": grund, "nr": beendet.nummern}
            ),
            link=objekt.get_absolute_url(),
        )
    return beendet


def _anfragenden_sagen(objekt, beendet: Beendet, satz: str) -> None:
    if beendet.anfragen:
        benachrichtigen(
            empfaenger=[a.antragsteller for a in beendet.anfragen],
            ereignis="anfrage_entschieden",
            betreff=lambda: _("Zugangsanfrage erledigt: %(titel)s") % {"titel": objekt},
            text=lambda: (
                (satz % {"kommune": objekt.kommune, "titel": objekt})
                + " "
                + _("Ihre Anfrage ist damit erledigt.")
            ),
        )


@transaction.atomic
def objekt_loeschen(
    *, objekt, by, mitloeschen: Iterable[str] = (), details: dict | None = None
) -> Protokoll:
    """Delete a shareable object for good, by its owner's Herausgabe (`sharing.can_delete`).

    Its open Freigaben end ("Objekt gelöscht"), its open access requests are refused, its
    permission rows go. What stays is the record: the Freigaben and requests themselves and the
    Protokoll, with a row that keeps the title and who deleted it (rows refer to objects by
    content type and id, so they read the same after the object is gone). The object's own
    parts, named by their accessors in `mitloeschen` (its documents, say), go with it; anything
    else still pointing at it refuses the deletion and nothing changes. Returns that row.
    """
    objekt = sharing.lock(objekt)  # the one lock order: object, then its Freigaben
    if not sharing.can_delete(by, objekt):
        raise KeineBerechtigung(
            _("Löschen kann nur die Herausgabe der Kommune, der das Objekt gehört.")
        )
    mitloeschen = list(mitloeschen)
    hindernisse = loesch_hindernisse(objekt, ausser=mitloeschen)
    if hindernisse:
        raise ValidationError(
            _(
                "„%(titel)s“ kann noch nicht gelöscht werden: Damit verknüpft sind noch "
                "%(was)s. Bitte diese zuerst löschen oder die Verknüpfung lösen."
            )
            % {"titel": objekt, "was": ", ".join(hindernisse)}
        )
    beendet = _alles_beenden(objekt, by=by, grund=_("Objekt gelöscht"))
    _anfragenden_sagen(objekt, beendet, gettext_lazy("%(kommune)s hat „%(titel)s“ gelöscht."))
    zeile = protokollieren(
        aktion=A.OBJEKT_GELOESCHT,
        akteur=by,
        objekt=objekt,
        details={
            "titel": str(objekt),
            "freigaben_beendet": [f.pk for f in beendet.freigaben],
            "anfragen_erledigt": [a.pk for a in beendet.anfragen],
            **(details or {}),
        },
    )
    if beendet.freigaben:
        benachrichtigen(
            empfaenger=[u for u in betreuende(objekt) if u.pk != by.pk],
            ereignis="objekt_geloescht",
            betreff=lambda: _("Geteiltes Objekt gelöscht: %(titel)s") % {"titel": objekt},
            text=lambda: (
                _("%(wer)s hat „%(titel)s“ gelöscht; beendet sind die Freigaben Nr. %(nr)s.")
                % {"wer": by.get_username(), "titel": objekt, "nr": beendet.nummern}
            ),
            link="/protokoll/",
        )
    for name in mitloeschen:
        getattr(objekt, name).all().delete()
    for feld in type(objekt)._meta.many_to_many:
        getattr(objekt, feld.name).clear()
    sharing.drop_permissions(objekt)
    _zeile_loeschen(objekt)
    return zeile


def _zeile_loeschen(objekt) -> None:
    """Delete the object's own row only. Django's cascade would follow the GenericRelations
    and delete its Freigaben and access requests too, which the record keeps; everything
    else pointing at it is gone by now (see loesch_hindernisse)."""
    collector = Collector(using=router.db_for_write(type(objekt)), origin=objekt)
    collector.collect([objekt], collect_related=False)
    collector.delete()
