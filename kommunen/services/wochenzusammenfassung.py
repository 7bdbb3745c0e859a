"""The weekly digest: once a week, for those who chose it, what is open and what partners
shared; a second run in the same week sends nothing."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import sharing
from ..models import (
    Benachrichtigung,
    Benutzer,
)
from ..selectors import freigaben_an, freigebbare_modelle
from ..validators import einzeilig_machen
from .benachrichtigungen import BETREFF_MAX, EREIGNIS_WOCHE, kommune_aktiv_q

log = logging.getLogger(__name__)


def _wochen_schluessel(jetzt: dt.datetime) -> str:
    jahr, woche, _tag = timezone.localtime(jetzt).isocalendar()
    return f"{EREIGNIS_WOCHE}:{jahr}-W{woche:02d}"


def partner_geteilt(*, user: Benutzer, seit: dt.datetime) -> list:
    """Objects partners shared with the user's Kommune since `seit`, as the user may see them.

    The Freigabe rows only nominate candidates; every object then passes `sharing.visible`, so
    a Freigabe not (or no longer) effective for this user never names its object.
    """
    freigaben = freigaben_an(user=user).filter(entschieden_am__gte=seit)
    cts = ContentType.objects.get_for_models(*freigebbare_modelle())
    objekte = []
    for model in freigebbare_modelle():
        ids = freigaben.filter(content_type=cts[model]).values("object_id")
        qs = sharing.visible(user, model._default_manager.filter(pk__in=ids), "view")
        objekte.extend(qs.select_related("kommune").order_by("pk")[:50])
    return objekte


def _digest_text(*, offene: list[Benachrichtigung], geteilt: list) -> str:
    teile = []
    if geteilt:
        teile.append(_("Diese Woche von Partnern mit Ihnen geteilt:"))
        for o in geteilt:
            url = o.get_absolute_url() if hasattr(o, "get_absolute_url") else ""
            teile.append(f"- {o} ({o.kommune}) {url}".rstrip())
        teile.append("")
    if offene:
        teile.append(_("Ihre Benachrichtigungen:"))
        for b in offene:
            teile.append(f"- {b.betreff}")
            if b.link:
                teile.append(f"  {b.link}")
    return "\n".join(teile)


def wochenzusammenfassung_senden(*, jetzt: dt.datetime | None = None) -> int:
    """One e-mail per user on the weekly setting; safe to run twice in a week.

    The digest itself is an outbox row keyed by ISO week: once delivered, a second run in
    the same week sends nothing; a failed send is retried by the next run.
    """
    jetzt = jetzt or timezone.now()
    schluessel = _wochen_schluessel(jetzt)
    ids = list(
        Benutzer.objects.filter(benachrichtigung="woechentlich", is_active=True)
        .filter(kommune_aktiv_q())
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return sum(_zusammenfassung_fuer(pk, schluessel, jetzt) for pk in ids)


def wochenzusammenfassungen_nachsenden(*, jetzt: dt.datetime | None = None) -> int:
    """This week's digests whose sending failed (mail server away on Monday morning): sent
    again by the regular re-send sweep, not a week later. Only digests that exist already:
    a user with nothing on Monday gets no digest in mid-week."""
    jetzt = jetzt or timezone.now()
    schluessel = _wochen_schluessel(jetzt)
    ids = list(
        Benachrichtigung.objects.filter(ereignis=schluessel, zugestellt_am__isnull=True)
        .filter(empfaenger__is_active=True, empfaenger__benachrichtigung="woechentlich")
        .filter(kommune_aktiv_q("empfaenger__"))
        .exclude(empfaenger__email="")
        .values_list("empfaenger_id", flat=True)
    )
    return sum(_zusammenfassung_fuer(pk, schluessel, jetzt) for pk in ids)


def _zusammenfassung_fuer(user_id: int, schluessel: str, jetzt: dt.datetime) -> int:
    with transaction.atomic():
        # The user row lock serialises two digest runs for the same person.
        user = Benutzer.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return 0
        digest = Benachrichtigung.objects.filter(empfaenger=user, ereignis=schluessel).first()
        if digest is not None and digest.zugestellt_am is not None:
            return 0
        offene = list(
            Benachrichtigung.objects.filter(
                empfaenger=user, zugestellt_am__isnull=True, mail="woechentlich"
            )
            .exclude(ereignis__startswith=EREIGNIS_WOCHE)
            .order_by("erstellt_am", "pk")[:200]
        )
        geteilt = partner_geteilt(user=user, seit=jetzt - dt.timedelta(days=7))
        if not offene and not geteilt:
            return 0
        with override(settings.LANGUAGE_CODE):
            betreff = _("Ihre Wochenzusammenfassung")
            text = _digest_text(offene=offene, geteilt=geteilt)
        if digest is None:
            digest = Benachrichtigung.objects.create(
                empfaenger=user,
                ereignis=schluessel,
                betreff=betreff,
                text=text,
                link="/benachrichtigungen/",
                mail="woechentlich",
                # The digest repeats what the list already shows; it does not add to the count.
                gelesen_am=jetzt,
            )
        try:
            send_mail(
                subject=einzeilig_machen(f"[Wissensverbund] {betreff}", BETREFF_MAX),
                message=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
        except Exception as exc:  # noqa: BLE001 - counted on the row; the next user goes on
            log.warning("Weekly digest for user %s not delivered: %s", user.pk, exc)
            digest.versuche += 1
            digest.fehler = str(exc)[:500]
            digest.save(update_fields=["versuche", "fehler"])
            return 0
        digest.zugestellt_am = timezone.now()
        digest.versuche += 1
        digest.fehler = ""
        digest.text = text
        digest.save(update_fields=["zugestellt_am", "versuche", "fehler", "text"])
        Benachrichtigung.objects.filter(pk__in=[b.pk for b in offene]).update(
            zugestellt_am=digest.zugestellt_am
        )
        return 1
