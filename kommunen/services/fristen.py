"""Time on Freigaben and objects: record ends, re-check starts, remind owners before expiry
and of an object's Löschdatum."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules, sharing
from ..models import (
    LOESCHDATUM_VORLAUF_TAGE,
    Benutzer,
    Freigabe,
    FreigabeStatus,
    Freigabevermerk,
    Rolle,
)
from ..selectors import freigebbare_modelle
from .benachrichtigungen import benachrichtigen, freigabe_admins, objekt_link
from .freigaben import berechtigungen_abgleichen
from .protokoll import A, protokollieren
from .vermerke import vermerk_anlegen
from .zugriffsende import betreuende, freigabe_ende_melden


def freigaben_ablaufen(*, heute: dt.date | None = None) -> int:
    """Record the end of every granted Freigabe whose valid-until date has passed.

    Access already ended at midnight: visible() and can() count a permission row only within
    its Freigabe's dates. This task tidies up (status, rows, Protokoll) and tells the owner's
    admins. Safe to run twice at once.
    """
    heute = heute or timezone.localdate()
    faellig = list(
        Freigabe.objects.filter(
            status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT], gueltig_bis__lt=heute
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    erledigt = 0
    for pk in faellig:
        with transaction.atomic():
            kandidat = Freigabe.objects.filter(pk=pk).first()
            objekt = kandidat.objekt if kandidat is not None else None
            if objekt is not None:
                objekt = sharing.lock(objekt)  # the one lock order: object, then Freigabe
            f = (
                Freigabe.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=[FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT])
                .select_related("eigentuemer")
                .first()
            )
            if f is None:
                continue
            f.status = FreigabeStatus.ABGELAUFEN
            f.beendet_am = timezone.now()
            f.beendet_grund = rules.mit_verweis(
                _("Frist bis %(bis)s abgelaufen.") % {"bis": f.gueltig_bis.strftime("%d.%m.%Y")},
                "FRIST-1",
            )
            f.save(update_fields=["status", "beendet_am", "beendet_grund"])
            if objekt is not None:
                zeile = protokollieren(aktion=A.FREIGABE_ABGELAUFEN, objekt=objekt, freigabe=f)
                berechtigungen_abgleichen(objekt=objekt, anlass=f"Freigabe {f.pk} abgelaufen")
                freigabe_ende_melden(freigabe=f, titel=str(objekt))
                _ablauf_melden(f, objekt)
                vermerk_anlegen(
                    freigabe=f, objekt=objekt, art=Freigabevermerk.Art.ABGELAUFEN, protokoll=zeile
                )
            erledigt += 1
    return erledigt


def _ablauf_melden(f: Freigabe, objekt) -> None:
    bis = f.gueltig_bis.strftime("%d.%m.%Y")
    benachrichtigen(
        empfaenger=betreuende(objekt),
        ereignis="freigabe_abgelaufen",
        betreff=lambda: _("Freigabe abgelaufen: %(titel)s") % {"titel": objekt},
        text=lambda: rules.mit_verweis(
            _(
                "Freigabe Nr. %(nr)s an %(an)s endete am %(bis)s. Soll weiter geteilt werden, "
                "beantragen Sie bitte eine neue Freigabe."
            )
            % {"nr": f.pk, "an": f.empfaenger_bezeichnung, "bis": bis},
            "FRIST-1",
        ),
        link=objekt_link(objekt),
    )


def _an_ablauf_erinnern(f: Freigabe, objekt) -> None:
    bis = f.gueltig_bis.strftime("%d.%m.%Y")
    benachrichtigen(
        empfaenger=freigabe_admins(f.eigentuemer),
        ereignis="ablauf_erinnerung",
        betreff=lambda: (
            _("Freigabe läuft am %(bis)s ab: %(titel)s") % {"bis": bis, "titel": objekt}
        ),
        text=lambda: (
            _(
                "Freigabe Nr. %(nr)s an %(an)s endet am %(bis)s. Soll sie verlängert werden, "
                "beantragen Sie bitte eine neue Freigabe."
            )
            % {"nr": f.pk, "an": f.empfaenger_bezeichnung, "bis": bis}
        ),
        link="/freigaben/eingang/",
    )


# How far back a start date is still acted on, so that a worker outage loses nothing.
BEGINN_NACHHOLEN_TAGE = 7


def freigaben_beginnen(*, heute: dt.date | None = None) -> int:
    """Re-check the objects of Freigaben that begin today, approved in advance.

    Their rows exist since approval and count from the first day by themselves (visible()
    reads their dates). This is defence in depth only: an object changed around the services
    since approval loses the rows its rules no longer allow. Idempotent.
    """
    heute = heute or timezone.localdate()
    faellig = (
        Freigabe.objects.filter(
            status=FreigabeStatus.ERTEILT,
            gueltig_ab__lte=heute,
            gueltig_ab__gt=heute - dt.timedelta(days=BEGINN_NACHHOLEN_TAGE),
        )
        .filter(Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=heute))
        .values_list("content_type_id", "object_id")
        .distinct()
    )
    geaendert = 0
    for ct_id, object_id in faellig:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        with transaction.atomic():
            objekt = model._default_manager.filter(pk=object_id).first()
            if objekt is None:
                continue
            added, removed = berechtigungen_abgleichen(objekt=objekt, anlass="Freigabe beginnt")
            geaendert += bool(added or removed)
    return geaendert


ERINNERUNG_TAGE = 14


def ablauf_erinnern(*, heute: dt.date | None = None) -> int:
    """Tell the owner's admins, once, that a Freigabe ends within 14 days."""
    heute = heute or timezone.localdate()
    faellig = list(
        Freigabe.objects.filter(
            status=FreigabeStatus.ERTEILT,
            erinnert_am__isnull=True,
            gueltig_bis__gte=heute,
            gueltig_bis__lte=heute + dt.timedelta(days=ERINNERUNG_TAGE),
        ).values_list("pk", flat=True)
    )
    erinnert = 0
    for pk in faellig:
        with transaction.atomic():
            f = (
                Freigabe.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, erinnert_am__isnull=True, status=FreigabeStatus.ERTEILT)
                .select_related("eigentuemer")
                .first()
            )
            if f is None:
                continue
            objekt = f.objekt
            f.erinnert_am = timezone.now()
            f.save(update_fields=["erinnert_am"])
            protokollieren(aktion=A.FREIGABE_ERINNERT, objekt=objekt, freigabe=f)
            _an_ablauf_erinnern(f, objekt)
            erinnert += 1
    return erinnert


def loeschdatum_erinnern(*, heute: dt.date | None = None) -> int:
    """Tell the owner Kommune's Herausgabe and Freigabe admins, once per Löschdatum, that an
    object's Löschdatum is near (30 days) or past: delete it or extend the date with a reason.

    The object remembers the date it was reminded for, so a new Löschdatum re-arms the
    reminder and a second run (or two at once) sends nothing twice.
    """
    heute = heute or timezone.localdate()
    grenze = heute + dt.timedelta(days=LOESCHDATUM_VORLAUF_TAGE)
    # A deactivated Kommune hears nothing now: its objects wait, and are reminded of once it
    # is active again.
    offen = Q(kommune__aktiv=True) & (
        Q(loeschdatum_erinnert_fuer__isnull=True) | ~Q(loeschdatum_erinnert_fuer=F("loeschdatum"))
    )
    erinnert = 0
    for model in freigebbare_modelle():
        faellig = list(
            model._default_manager.filter(offen, loeschdatum__lte=grenze).values_list(
                "pk", flat=True
            )
        )
        for pk in faellig:
            with transaction.atomic():
                objekt = (
                    model._default_manager.select_for_update(skip_locked=True, of=("self",))
                    .filter(offen, pk=pk, loeschdatum__lte=grenze)
                    .select_related("kommune")
                    .first()
                )
                if objekt is None:
                    continue
                _an_loeschdatum_erinnern(objekt, heute)
                erinnert += 1
    return erinnert


def _an_loeschdatum_erinnern(objekt, heute: dt.date) -> None:
    type(objekt)._default_manager.filter(pk=objekt.pk).update(
        loeschdatum_erinnert_fuer=objekt.loeschdatum
    )
    datum = objekt.loeschdatum.strftime("%d.%m.%Y")
    protokollieren(
        aktion=A.LOESCHDATUM_ERINNERT,
        objekt=objekt,
        details={"loeschdatum": datum, "regeln": ["LOESCH-1"]},
    )
    if objekt.loeschdatum < heute:
        betreff = gettext_lazy("Löschdatum überschritten: %(titel)s")
        text = gettext_lazy(
            "Das Löschdatum von „%(titel)s“ war der %(datum)s. Das Objekt wird nicht mehr geteilt, "
            "seine Freigaben gewähren nichts mehr. Bitte löschen Sie es, oder "
            "verlängern Sie das Löschdatum mit einer Begründung, wenn die Daten noch gebraucht "
            "werden."
        )
    else:
        betreff = gettext_lazy("Löschdatum am %(datum)s: %(titel)s")
        text = gettext_lazy(
            "„%(titel)s“ ist bis zum %(datum)s zu löschen. Bis dahin enden alle Freigaben, danach "
            "kann es nicht mehr geteilt werden. Bitte löschen Sie es rechtzeitig, oder "
            "verlängern Sie das Löschdatum mit einer Begründung, wenn die Daten noch gebraucht "
            "werden."
        )
    werte = {"titel": objekt, "datum": datum}
    benachrichtigen(
        empfaenger=Benutzer.objects.filter(
            kommune_id=objekt.kommune_id,
            rolle__in=[Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN],
            is_active=True,
        ),
        ereignis="loeschdatum_erinnerung",
        betreff=lambda: betreff % werte,
        text=lambda: rules.mit_verweis(text % werte, "LOESCH-1"),
        link=objekt_link(objekt),
    )
