"""Zugangsanfragen: a partner asks for more than the metadata; the owner's admin decides."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import sharing
from ..models import (
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Freigabevermerk,
    Umfang,
    Zugangsanfrage,
    standard_gueltig_bis,
)
from .benachrichtigungen import benachrichtigen, freigabe_admins, neue_freigabe_melden, objekt_link
from .freigaben import (
    berechtigungen_abgleichen,
    entscheider_pruefen,
    objekt_laden,
    offene_gleiche,
    pruefen_oder_abbrechen,
)
from .protokoll import A, KeineBerechtigung, protokollieren
from .vermerke import vermerk_anlegen


@transaction.atomic
def zugangsanfrage_stellen(
    *, objekt, by: Benutzer, begruendung: str, umfang: str = Umfang.VOLLSTAENDIG
) -> Zugangsanfrage:
    if not sharing.can(by, "view", objekt) or by.kommune_id is None:
        raise KeineBerechtigung(_("Nicht gefunden."))
    if by.kommune_id == objekt.kommune_id:
        raise ValidationError(_("Das Objekt gehört Ihrer eigenen Kommune."))
    if umfang not in (Umfang.VOLLSTAENDIG, Umfang.MITARBEIT):
        raise ValidationError({"umfang": _("Bitte „vollständig“ oder „Mitarbeit“ wählen.")})
    if umfang == Umfang.VOLLSTAENDIG and sharing.can(by, "download", objekt):
        raise ValidationError(_("Sie haben bereits Zugang zu den Dokumenten."))
    if not begruendung.strip():
        raise ValidationError({"begruendung": _("Bitte begründen Sie Ihre Anfrage.")})
    ct = ContentType.objects.get_for_model(objekt)
    if Zugangsanfrage.objects.filter(
        content_type=ct, object_id=objekt.pk, antragsteller=by, status=Zugangsanfrage.Status.OFFEN
    ).exists():
        raise ValidationError(_("Sie haben zu diesem Objekt schon eine offene Anfrage."))
    anfrage = Zugangsanfrage.objects.create(
        content_type=ct,
        object_id=objekt.pk,
        eigentuemer_id=objekt.kommune_id,
        antragsteller=by,
        kommune_id=by.kommune_id,
        umfang=umfang,
        begruendung=begruendung.strip(),
    )
    protokollieren(
        aktion=A.ANFRAGE_GESTELLT,
        akteur=by,
        objekt=objekt,
        details={"anfrage": anfrage.pk, "umfang": umfang, "kommune": str(by.kommune)},
    )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune),
        ereignis="anfrage_gestellt",
        betreff=lambda: _("Zugangsanfrage zu entscheiden: %(titel)s") % {"titel": objekt},
        text=lambda: (
            _("%(wer)s (%(kommune)s) bittet um Zugang: %(grund)s")
            % {"wer": by.get_username(), "kommune": by.kommune, "grund": anfrage.begruendung}
        ),
        link="/freigaben/eingang/",
    )
    return anfrage


@transaction.atomic
def zugangsanfrage_entscheiden(
    *,
    anfrage: Zugangsanfrage,
    by: Benutzer,
    genehmigen: bool,
    begruendung: str = "",
    gueltig_bis: dt.date | None = None,
    auflagen: str = "",
    uebermittlungsgrundlage: str = "",
    empfaenger_zweck: str = "",
    zweckvereinbarkeit: str = "",
) -> Zugangsanfrage:
    """Decide an access request; approval creates a Freigabe that must pass the rules.

    On personal data the approving admin names the transfer basis and the requester's
    purpose (DSGVO-3), as a proposal would.
    """
    objekt = objekt_laden(anfrage)
    a = Zugangsanfrage.objects.select_for_update().get(pk=anfrage.pk)
    entscheider_pruefen(
        by,
        a.eigentuemer_id,
        objekt,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Anfragen entscheiden."),
    )
    if a.status != Zugangsanfrage.Status.OFFEN:
        raise ValidationError(_("Diese Anfrage ist bereits entschieden."))
    if not genehmigen and not begruendung.strip():
        raise ValidationError(
            {"begruendung": _("Bitte eine Begründung für die Ablehnung angeben.")}
        )
    a.entschieden_von = by
    a.entschieden_am = timezone.now()
    a.entscheidung_begruendung = begruendung.strip()
    if genehmigen:
        antragsteller = Benutzer.objects.filter(pk=a.antragsteller_id).first()
        if (
            antragsteller is None
            or not antragsteller.is_active
            or antragsteller.kommune_id != a.kommune_id
        ):
            raise ValidationError(
                _(
                    "Die Person, die angefragt hat, ist nicht mehr aktiv oder gehört nicht mehr "
                    "zu %(kommune)s. Bitte lehnen Sie die Anfrage ab; ihre Kommune kann neu "
                    "anfragen."
                )
                % {"kommune": a.kommune}
            )
        heute = timezone.localdate()
        f = Freigabe(
            objekt=objekt,
            eigentuemer_id=a.eigentuemer_id,
            empfaenger_art=EmpfaengerArt.KOMMUNE,
            empfaenger_kommune_id=a.kommune_id,
            umfang=a.umfang,
            rechtsgrundlage=_("Zugangsanfrage Nr. %(nr)s") % {"nr": a.pk},
            auflagen=auflagen,
            uebermittlungsgrundlage=uebermittlungsgrundlage,
            empfaenger_zweck=empfaenger_zweck.strip(),
            zweckvereinbarkeit=zweckvereinbarkeit.strip(),
            gueltig_ab=heute,
            gueltig_bis=gueltig_bis or standard_gueltig_bis(heute, loeschdatum=objekt.loeschdatum),
            beantragt_von=a.antragsteller,
            entschieden_von=by,
            entschieden_am=a.entschieden_am,
            status=FreigabeStatus.ERTEILT,
        )
        vier_augen = objekt.vier_augen_noetig
        if vier_augen:
            # VIER-AUGEN: two people of the owner Kommune. This admin proposes; another one
            # grants from the inbox (the requester from elsewhere is no second pair of eyes).
            f.status = FreigabeStatus.BEANTRAGT
            f.beantragt_von = by
            f.entschieden_von = None
            f.entschieden_am = None
        f.full_clean(exclude=["content_type", "object_id", "beantragt_von"])
        doppelt = offene_gleiche(f)
        if doppelt is not None:
            raise ValidationError(
                _(
                    "%(kommune)s hat für dieses Objekt schon Freigabe Nr. %(nr)s (%(umfang)s, "
                    "%(status)s). Eine zweite gleiche Freigabe entsteht nicht: Bitte lehnen Sie "
                    "die Anfrage mit Verweis darauf ab oder entscheiden Sie die bestehende "
                    "Freigabe."
                )
                % {
                    "kommune": a.kommune,
                    "nr": doppelt.pk,
                    "umfang": doppelt.get_umfang_display(),
                    "status": doppelt.get_status_display(),
                }
            )
        pruefen_oder_abbrechen(f, objekt)
        f.save()
        a.freigabe = f
        a.status = Zugangsanfrage.Status.GENEHMIGT
        a.save()
        if vier_augen:
            return _zur_zweitpruefung(anfrage=a, freigabe=f, objekt=objekt, by=by)
        protokollieren(
            aktion=A.ANFRAGE_GENEHMIGT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"anfrage": a.pk},
        )
        erteilt = protokollieren(
            aktion=A.FREIGABE_ERTEILT,
            akteur=by,
            objekt=objekt,
            freigabe=f,
            details={"empfaenger": f.empfaenger_bezeichnung, "anfrage": a.pk},
        )
        berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Zugangsanfrage {a.pk}")
        neue_freigabe_melden(freigabe=f, ausser=a.antragsteller)  # who asked is told below
        betreff = gettext_lazy("Zugang gewährt: %(titel)s")
    else:
        a.status = Zugangsanfrage.Status.ABGELEHNT
        a.save()
        protokollieren(
            aktion=A.ANFRAGE_ABGELEHNT,
            akteur=by,
            objekt=objekt,
            details={"anfrage": a.pk, "begruendung": a.entscheidung_begruendung},
        )
        betreff = gettext_lazy("Zugangsanfrage abgelehnt: %(titel)s")
    benachrichtigen(
        empfaenger=[a.antragsteller],
        ereignis="anfrage_entschieden",
        betreff=lambda: betreff % {"titel": objekt},
        text=lambda: a.entscheidung_begruendung or betreff % {"titel": objekt},
        link=objekt_link(objekt),
    )
    if genehmigen:
        vermerk_anlegen(
            freigabe=a.freigabe, objekt=objekt, art=Freigabevermerk.Art.ERTEILT, protokoll=erteilt
        )
    return a


def _zur_zweitpruefung(*, anfrage, freigabe, objekt, by) -> Zugangsanfrage:
    """An approved request on personal data or VS-NfD: the Freigabe waits for a second admin."""
    protokollieren(
        aktion=A.ANFRAGE_GENEHMIGT,
        akteur=by,
        objekt=objekt,
        freigabe=freigabe,
        details={"anfrage": anfrage.pk, "zweitpruefung": True},
    )
    protokollieren(
        aktion=A.FREIGABE_BEANTRAGT,
        akteur=by,
        objekt=objekt,
        freigabe=freigabe,
        details={"empfaenger": freigabe.empfaenger_bezeichnung, "anfrage": anfrage.pk},
    )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune).exclude(pk=by.pk),
        ereignis="freigabe_beantragt",
        betreff=lambda: (
            _("Freigabe zu entscheiden (Vier-Augen-Prinzip): %(titel)s") % {"titel": objekt}
        ),
        text=lambda: (
            _(
                "%(wer)s befürwortet die Zugangsanfrage Nr. %(nr)s von %(kommune)s. Bei "
                "personenbezogenen Daten und VS-NfD erteilt eine zweite Freigabe-Admin die "
                "Freigabe Nr. %(freigabe)s (VIER-AUGEN)."
            )
            % {
                "wer": by.get_username(),
                "nr": anfrage.pk,
                "kommune": anfrage.kommune,
                "freigabe": freigabe.pk,
            }
        ),
        link="/freigaben/eingang/",
    )
    benachrichtigen(
        empfaenger=[anfrage.antragsteller],
        ereignis="anfrage_entschieden",
        betreff=lambda: _("Zugangsanfrage befürwortet: %(titel)s") % {"titel": objekt},
        text=lambda: _(
            "Ihre Anfrage ist befürwortet. Weil personenbezogene Daten oder VS-NfD betroffen "
            "sind, erteilt eine zweite Freigabe-Admin den Zugang; Sie werden benachrichtigt."
        ),
        link=objekt_link(objekt),
    )
    return anfrage
