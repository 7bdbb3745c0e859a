"""A Freigabe's lifecycle: propose, grant, refuse, revoke; the checks every decision makes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, sharing
from ..models import (
    FREIGABE_OFFEN,
    Benutzer,
    Freigabe,
    FreigabeStatus,
    Freigabevermerk,
    Kommune,
    Rolle,
    Verbund,
    standard_gueltig_bis,
)
from ..rules import RegelVerstoss
from .benachrichtigungen import benachrichtigen, freigabe_admins, neue_freigabe_melden, objekt_link
from .protokoll import A, KeineBerechtigung, protokollieren
from .vermerke import vermerk_anlegen
from .zugriffsende import betreuende, freigabe_ende_melden


def berechtigungen_abgleichen(*, objekt, by=None, anlass: str = "") -> tuple[int, int]:
    """sync_permissions plus a Protokoll row when rows changed."""
    added, removed = sharing.sync_permissions(objekt)
    if added or removed:
        protokollieren(
            aktion=A.BERECHTIGUNG,
            akteur=by,
            objekt=objekt,
            details={"hinzugefuegt": added, "entzogen": removed, "anlass": anlass},
        )
    return added, removed


def pruefen_oder_abbrechen(freigabe: Freigabe, objekt, *, mit_version: bool = False) -> None:
    verstoesse = rules.check(freigabe, objekt, freigabe.umstaende(objekt))
    if not mit_version:
        verstoesse = rules.sperrende(verstoesse)
    if verstoesse:
        raise RegelVerstoss(verstoesse)


def _ist_admin_von(user, kommune_id: int) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kommune_id == kommune_id
        and user.rolle == Rolle.FREIGABE_ADMIN
    )


def entscheider_pruefen(by, kommune_id: int, objekt, meldung: str) -> None:
    """Only a Freigabe-Admin of the owner Kommune, holding share_* on the object, decides."""
    if not (_ist_admin_von(by, kommune_id) and sharing.can(by, "share", objekt)):
        raise KeineBerechtigung(meldung)


def objekt_laden(freigabe_oder_anfrage):
    """The shared object, locked (sharing.lock): the first step of the one lock order."""
    objekt = freigabe_oder_anfrage.objekt
    if objekt is None:
        raise ValidationError(_("Das freigegebene Objekt gibt es nicht mehr."))
    return sharing.lock(objekt)


@transaction.atomic
def freigabe_beantragen(
    *,
    objekt,
    by: Benutzer,
    empfaenger_art: str,
    umfang: str,
    empfaenger_kommune: Kommune | None = None,
    empfaenger_verbund: Verbund | None = None,
    rechtsgrundlage: str = "",
    auflagen: str = "",
    gueltig_ab: dt.date | None = None,
    gueltig_bis: dt.date | None = None,
    weitergabe_erlaubt: bool = False,
    art26_vereinbarung: str = "",
    uebermittlungsgrundlage: str = "",
    empfaenger_zweck: str = "",
    zweckvereinbarkeit: str = "",
) -> Freigabe:
    """Propose sharing `objekt`; the owner's Freigabe-Admin decides.

    For personal data the proposal names the transfer basis and the recipient's purpose
    (DSGVO-3); a reason why a different purpose is compatible may come now or at the decision.
    """
    objekt = sharing.lock(objekt)
    if not sharing.can(by, "share", objekt):
        raise KeineBerechtigung(_("Sie dürfen für dieses Objekt keine Freigaben verwalten."))
    # Django's own message for a missing foreign key is not translated: say it in German.
    if (
        empfaenger_kommune is not None
        and not Kommune.objects.filter(pk=empfaenger_kommune.pk).exists()
    ):
        raise ValidationError({"empfaenger_kommune": _("Diese Kommune ist nicht bekannt.")})
    if (
        empfaenger_verbund is not None
        and not Verbund.objects.filter(pk=empfaenger_verbund.pk).exists()
    ):
        raise ValidationError({"empfaenger_verbund": _("Dieser Verbund ist nicht bekannt.")})
    gueltig_ab = gueltig_ab or timezone.localdate()
    freigabe = Freigabe(
        objekt=objekt,
        eigentuemer_id=objekt.kommune_id,
        empfaenger_art=empfaenger_art,
        empfaenger_kommune=empfaenger_kommune,
        empfaenger_verbund=empfaenger_verbund,
        umfang=umfang,
        rechtsgrundlage=rechtsgrundlage,
        auflagen=auflagen,
        gueltig_ab=gueltig_ab,
        gueltig_bis=gueltig_bis or standard_gueltig_bis(gueltig_ab, loeschdatum=objekt.loeschdatum),
        weitergabe_erlaubt=weitergabe_erlaubt,
        art26_vereinbarung=art26_vereinbarung.strip(),
        uebermittlungsgrundlage=uebermittlungsgrundlage,
        empfaenger_zweck=empfaenger_zweck.strip(),
        zweckvereinbarkeit=zweckvereinbarkeit.strip(),
        beantragt_von=by,
        status=FreigabeStatus.BEANTRAGT,
    )
    freigabe.full_clean(exclude=["content_type", "object_id", "beantragt_von"])
    if empfaenger_kommune is not None and not empfaenger_kommune.aktiv:
        raise ValidationError({"empfaenger_kommune": _("Diese Kommune ist nicht aktiv.")})
    if freigabe.gueltig_bis < timezone.localdate():
        raise ValidationError(
            {
                "gueltig_bis": rules.mit_verweis(
                    _("„Gültig bis“ liegt in der Vergangenheit."), "FRIST-1"
                )
            }
        )
    doppelt = offene_gleiche(freigabe)
    if doppelt is not None:
        raise ValidationError(
            _("Für diesen Empfänger und Umfang gibt es schon Freigabe Nr. %(nr)s (%(status)s).")
            % {"nr": doppelt.pk, "status": doppelt.get_status_display()}
        )
    pruefen_oder_abbrechen(freigabe, objekt)
    freigabe.save()
    protokollieren(
        aktion=A.FREIGABE_BEANTRAGT,
        akteur=by,
        objekt=objekt,
        freigabe=freigabe,
        details={
            "empfaenger": freigabe.empfaenger_bezeichnung,
            "umfang": umfang,
            "gueltig_bis": str(freigabe.gueltig_bis),
        },
    )
    benachrichtigen(
        empfaenger=freigabe_admins(objekt.kommune).exclude(pk=by.pk),
        ereignis="freigabe_beantragt",
        betreff=lambda: _("Freigabe zu entscheiden: %(titel)s") % {"titel": objekt},
        text=lambda: (
            _("%(wer)s beantragt, „%(titel)s“ mit %(an)s zu teilen (%(umfang)s).")
            % {
                "wer": by.get_full_name() or by.get_username(),
                "titel": objekt,
                "an": freigabe.empfaenger_bezeichnung,
                "umfang": freigabe.get_umfang_display(),
            }
        ),
        link="/freigaben/eingang/",
    )
    return freigabe


def offene_gleiche(freigabe: Freigabe) -> Freigabe | None:
    """The open Freigabe of the same object, recipient and scope, if any (one may stand)."""
    return (
        Freigabe.objects.filter(
            content_type=freigabe.content_type,
            object_id=freigabe.object_id,
            empfaenger_art=freigabe.empfaenger_art,
            empfaenger_kommune_id=freigabe.empfaenger_kommune_id,
            empfaenger_verbund_id=freigabe.empfaenger_verbund_id,
            umfang=freigabe.umfang,
            status__in=FREIGABE_OFFEN,
        )
        .exclude(pk=freigabe.pk)
        .first()
    )


def _entscheidung_oeffnen(freigabe: Freigabe, by, meldung: str) -> tuple[Freigabe, object]:
    """The start of every decision on a Freigabe, in the one lock order: its object locked and
    re-read, then the Freigabe itself; then the decider checked (`meldung` if not allowed)."""
    objekt = objekt_laden(freigabe)
    f = _gesperrt(freigabe)
    entscheider_pruefen(by, f.eigentuemer_id, objekt, meldung)
    return f, objekt


def _gesperrt(freigabe: Freigabe) -> Freigabe:
    """Re-read the Freigabe under a row lock so that concurrent decisions serialise."""
    return Freigabe.objects.select_for_update().get(pk=freigabe.pk)


@transaction.atomic
def freigabe_erteilen(
    *, freigabe: Freigabe, by: Benutzer, zweckvereinbarkeit: str = ""
) -> Freigabe:
    """Approve a proposed (or suspended, or documents-withheld) Freigabe.

    `zweckvereinbarkeit`: the decider's reason why the recipient's purpose is compatible with
    the purpose of collection (DSGVO-3, Art. 6 Abs. 4 DSGVO); it replaces the proposer's.
    """
    f, objekt = _entscheidung_oeffnen(
        freigabe, by, _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben erteilen.")
    )
    erneut = f.status == FreigabeStatus.ERTEILT and f.dokumente_zurueckgehalten
    war_beantragt = f.status == FreigabeStatus.BEANTRAGT
    if f.status not in (FreigabeStatus.BEANTRAGT, FreigabeStatus.AUSGESETZT) and not erneut:
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist bereits %(status)s und kann nicht mehr erteilt werden.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    f.entschieden_von = by
    f.entschieden_am = timezone.now()
    f.dokumente_zurueckgehalten = False
    if zweckvereinbarkeit.strip():
        f.zweckvereinbarkeit = zweckvereinbarkeit.strip()
    pruefen_oder_abbrechen(f, objekt, mit_version=True)
    if f.gueltig_bis and f.gueltig_bis < timezone.localdate():
        raise ValidationError(
            rules.mit_verweis(
                _("Die Frist dieser Freigabe ist abgelaufen. Bitte neu beantragen."), "FRIST-1"
            )
        )
    if f.empfaenger_kommune_id is not None and not f.empfaenger_kommune.aktiv:
        raise ValidationError(
            {"empfaenger_kommune": _("Die Empfänger-Kommune ist nicht (mehr) aktiv.")}
        )
    f.status = FreigabeStatus.ERTEILT
    f.beendet_am = None
    f.beendet_grund = ""
    f.save()
    zeile = protokollieren(
        aktion=A.FREIGABE_ERTEILT,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={
            "erneute_pruefung": erneut,
            "empfaenger": f.empfaenger_bezeichnung,
            **({"zweckvereinbarkeit": f.zweckvereinbarkeit} if f.zweckvereinbarkeit else {}),
        },
    )
    berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Freigabe {f.pk} erteilt")
    benachrichtigen(
        empfaenger=[f.beantragt_von],
        ereignis="freigabe_entschieden",
        betreff=lambda: _("Freigabe erteilt: %(titel)s") % {"titel": objekt},
        text=lambda: (
            _("Freigabe Nr. %(nr)s an %(an)s wurde erteilt.")
            % {"nr": f.pk, "an": f.empfaenger_bezeichnung}
        ),
        link=objekt_link(objekt),
    )
    if war_beantragt:  # a re-approval (VERSION-1, suspension) is no news to the recipients
        neue_freigabe_melden(freigabe=f)
    vermerk_anlegen(freigabe=f, objekt=objekt, art=Freigabevermerk.Art.ERTEILT, protokoll=zeile)
    return f


@transaction.atomic
def freigabe_ablehnen(*, freigabe: Freigabe, by: Benutzer, begruendung: str) -> Freigabe:
    f, objekt = _entscheidung_oeffnen(
        freigabe, by, _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben ablehnen.")
    )
    if f.status != FreigabeStatus.BEANTRAGT:
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist bereits %(status)s.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    if not begruendung.strip():
        raise ValidationError(
            {"begruendung": _("Bitte eine Begründung für die Ablehnung angeben.")}
        )
    f.status = FreigabeStatus.ABGELEHNT
    f.entschieden_von = by
    f.entschieden_am = timezone.now()
    f.begruendung = begruendung.strip()
    f.save()
    zeile = protokollieren(
        aktion=A.FREIGABE_ABGELEHNT,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={"begruendung": f.begruendung},
    )
    benachrichtigen(
        empfaenger=[f.beantragt_von],
        ereignis="freigabe_entschieden",
        betreff=lambda: _("Freigabe abgelehnt: %(titel)s") % {"titel": objekt},
        text=lambda: (
            _("Freigabe Nr. %(nr)s wurde abgelehnt: %(grund)s")
            % {"nr": f.pk, "grund": f.begruendung}
        ),
        link=objekt_link(objekt),
    )
    vermerk_anlegen(freigabe=f, objekt=objekt, art=Freigabevermerk.Art.ABGELEHNT, protokoll=zeile)
    return f


@transaction.atomic
def freigabe_widerrufen(*, freigabe: Freigabe, by: Benutzer, grund: str = "") -> Freigabe:
    """Revoke: effective on the very next permission check."""
    f, objekt = _entscheidung_oeffnen(
        freigabe,
        by,
        _("Nur eine Freigabe-Admin der besitzenden Kommune kann Freigaben widerrufen."),
    )
    if f.status not in (FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT):
        raise ValidationError(
            _("Freigabe Nr. %(nr)s ist %(status)s und kann nicht widerrufen werden.")
            % {"nr": f.pk, "status": f.get_status_display()}
        )
    f.status = FreigabeStatus.WIDERRUFEN
    f.beendet_von = by
    f.beendet_am = timezone.now()
    f.beendet_grund = grund.strip()
    f.save()
    zeile = protokollieren(
        aktion=A.FREIGABE_WIDERRUFEN,
        akteur=by,
        objekt=objekt,
        freigabe=f,
        details={"grund": f.beendet_grund},
    )
    berechtigungen_abgleichen(objekt=objekt, by=by, anlass=f"Freigabe {f.pk} widerrufen")
    vermerk_anlegen(freigabe=f, objekt=objekt, art=Freigabevermerk.Art.WIDERRUFEN, protokoll=zeile)
    freigabe_ende_melden(freigabe=f, titel=str(objekt))
    benachrichtigen(
        empfaenger=[u for u in betreuende(objekt) if u.pk != by.pk],
        ereignis="freigabe_widerrufen",
        betreff=lambda: _("Freigabe widerrufen: %(titel)s") % {"titel": objekt},
        text=lambda: (
            _("%(wer)s hat Freigabe Nr. %(nr)s an %(an)s widerrufen.%(grund)s")
            % {
                "wer": by.get_username(),
                "nr": f.pk,
                "an": f.empfaenger_bezeichnung,
                "grund": (" " + _("Grund: %(grund)s") % {"grund": f.beendet_grund})
                if f.beendet_grund
                else "",
            }
        ),
        link=objekt_link(objekt),
    )
    return f
