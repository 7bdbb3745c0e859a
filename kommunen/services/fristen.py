"""Time on Freigaben: record their end, re-check their start, remind owners before expiry."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sharing
from ..models import (
    Freigabe,
    FreigabeStatus,
)
from .benachrichtigungen import benachrichtigen, freigabe_admins, objekt_link
from .freigaben import berechtigungen_abgleichen
from .protokoll import A, protokollieren


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
        ).values_list("pk", flat=True)
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
            f.beendet_grund = _("Frist bis %(bis)s abgelaufen (FRIST-1).") % {
                "bis": f.gueltig_bis.strftime("%d.%m.%Y")
            }
            f.save(update_fields=["status", "beendet_am", "beendet_grund"])
            if objekt is not None:
                protokollieren(aktion=A.FREIGABE_ABGELAUFEN, objekt=objekt, freigabe=f)
                berechtigungen_abgleichen(objekt=objekt, anlass=f"Freigabe {f.pk} abgelaufen")
                benachrichtigen(
                    empfaenger=freigabe_admins(f.eigentuemer),
                    ereignis="freigabe_abgelaufen",
                    betreff=_("Freigabe abgelaufen: %(titel)s") % {"titel": objekt},
                    text=_(
                        "Freigabe Nr. %(nr)s an %(an)s endete am %(bis)s (FRIST-1). Soll weiter "
                        "geteilt werden, beantragen Sie bitte eine neue Freigabe."
                    )
                    % {
                        "nr": f.pk,
                        "an": f.empfaenger_bezeichnung,
                        "bis": f.gueltig_bis.strftime("%d.%m.%Y"),
                    },
                    link=objekt_link(objekt),
                )
            erledigt += 1
    return erledigt


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
            benachrichtigen(
                empfaenger=freigabe_admins(f.eigentuemer),
                ereignis="ablauf_erinnerung",
                betreff=_("Freigabe läuft am %(bis)s ab: %(titel)s")
                % {"bis": f.gueltig_bis.strftime("%d.%m.%Y"), "titel": objekt},
                text=_(
                    "Freigabe Nr. %(nr)s an %(an)s endet am %(bis)s. Soll sie verlängert werden, "
                    "beantragen Sie bitte eine neue Freigabe."
                )
                % {
                    "nr": f.pk,
                    "an": f.empfaenger_bezeichnung,
                    "bis": f.gueltig_bis.strftime("%d.%m.%Y"),
                },
                link="/freigaben/eingang/",
            )
            erinnert += 1
    return erinnert
