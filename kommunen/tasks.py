"""Celery tasks of the sharing core: thin, take ids, safe to run twice."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import services
from .models import Benachrichtigung
from .validators import einzeilig_machen

log = logging.getLogger(__name__)

MAX_VERSUCHE = 10
BETREFF_MAX = 200


@shared_task(acks_late=True)
def freigaben_ablaufen() -> int:
    """Record the end of what is past its valid-until date (access ended at midnight already);
    re-check what begins today."""
    services.freigaben_beginnen()
    return services.freigaben_ablaufen()


@shared_task(acks_late=True)
def ablauf_erinnern() -> int:
    return services.ablauf_erinnern()


@shared_task(acks_late=True)
def protokoll_pseudonymisieren() -> int:
    """Daily: the person in read events past their retention period becomes a pseudonym.
    A second run finds nothing left to change."""
    return services.protokoll_pseudonymisieren()


@shared_task(acks_late=True)
def loeschdatum_erinnern() -> int:
    """Remind owners, once per date, of a Löschdatum near or past (LOESCH-1)."""
    return services.loeschdatum_erinnern()


def mail_betreff(betreff: str) -> str:
    """The subject line of a portal mail: one line, bounded, whatever the stored text holds."""
    return einzeilig_machen(f"[Wissensverbund] {betreff}", BETREFF_MAX)


class MailserverWeg(Exception):
    """The mail server cannot be reached: no row is to blame, the rest of a batch waits."""


# Refusals of this one message (its recipient, sender or content): counted on the row.
_NACHRICHT_ABGELEHNT = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def _alle_zustellen(ids: list[int]) -> int:
    """Send rows one by one; stop at the first sign that the mail server is away (the rest
    stays owed for the sweep, and no row pays an attempt for the server's absence)."""
    gesendet = 0
    for pk in ids:
        try:
            gesendet += _zustellen(pk)
        except MailserverWeg as exc:
            log.warning("Mail server unreachable; the rest of the batch waits: %s", exc)
            break
    return gesendet


def _zustellen(pk: int) -> bool:
    """Send one outbox row. Any failure of the row is counted on it and never stops the
    caller: one bad row (a broken address, a header the mail library refuses) must not hold
    up the others, nor turn the request that queued it into an error page. Only an
    unreachable mail server (MailserverWeg) ends the caller's batch."""
    try:
        return _zustellen_versuchen(pk)
    except MailserverWeg:
        raise
    except Exception as exc:  # noqa: BLE001 - recorded on the row, the others go on
        log.exception("Notification %s not delivered", pk)
        Benachrichtigung.objects.filter(pk=pk, zugestellt_am__isnull=True).update(
            versuche=F("versuche") + 1, fehler=f"{type(exc).__name__}: {exc}"[:500]
        )
        _aufgeben_melden(pk)
        return False


def _zustellen_versuchen(pk: int) -> bool:
    """Mark the row delivered, commit, then send; a failed send takes the mark back.

    Marking first means that a worker killed, or a database connection lost, after the mail
    left cannot make the sweep send it a second time. The mail is lost only if the send fails
    and the database fails right after it, before the mark is taken back.
    """
    with transaction.atomic():
        b = (
            Benachrichtigung.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("empfaenger", "empfaenger__kommune")
            .filter(pk=pk, zugestellt_am__isnull=True)
            .first()
        )
        if b is None:
            return False
        if b.empfaenger.kommune_id is not None and not b.empfaenger.kommune.aktiv:
            # Deactivated Kommune: no mail now, no attempt counted; it waits for reactivation.
            return False
        b.zugestellt_am = timezone.now()
        b.versuche += 1
        b.fehler = ""
        b.save(update_fields=["zugestellt_am", "versuche", "fehler"])
    try:
        send_mail(
            subject=mail_betreff(b.betreff),
            message=f"{b.text}\n\n{b.link}" if b.link else b.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[b.empfaenger.email],
        )
    except Exception as exc:  # noqa: BLE001 - recorded on the row, the sweep tries again
        fehler = f"{type(exc).__name__}: {exc}"[:500]
        if isinstance(exc, OSError) and not isinstance(exc, _NACHRICHT_ABGELEHNT):
            # Refused, timed out, TLS failed, dropped, login refused: the server, not this
            # message. The attempt is not counted, so a long outage gives up on nothing.
            Benachrichtigung.objects.filter(pk=pk).update(
                zugestellt_am=None, versuche=F("versuche") - 1, fehler=fehler
            )
            raise MailserverWeg(fehler) from exc
        log.warning("Notification %s not delivered", pk, exc_info=True)
        Benachrichtigung.objects.filter(pk=pk).update(
            zugestellt_am=None, fehler=f"{type(exc).__name__}: {exc}"[:500]
        )
        _aufgeben_melden(pk)
        return False
    return True


def _aufgeben_melden(pk: int) -> None:
    b = Benachrichtigung.objects.filter(pk=pk).values("versuche", "fehler").first()
    if b and b["versuche"] >= MAX_VERSUCHE:
        log.warning(
            "Notification %s gave up after %s attempts (aufgegeben): %s",
            pk,
            b["versuche"],
            b["fehler"],
        )


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def benachrichtigungen_zustellen(ids: list[int]) -> int:
    """Send the e-mails of outbox rows; a row already delivered is skipped."""
    return _alle_zustellen(ids)


@shared_task(acks_late=True)
def benachrichtigungen_nachsenden() -> int:
    """Re-send what is still undelivered (broker or mail server was down), this week's
    failed digests included."""
    from .services.benachrichtigungen import kommune_aktiv_q
    from .services.wochenzusammenfassung import wochenzusammenfassungen_nachsenden

    ids = list(
        Benachrichtigung.objects.filter(
            zugestellt_am__isnull=True, mail="sofort", versuche__lt=MAX_VERSUCHE
        )
        .filter(kommune_aktiv_q("empfaenger__"))
        .exclude(empfaenger__email="")
        .values_list("pk", flat=True)[:500]
    )
    return _alle_zustellen(ids) + wochenzusammenfassungen_nachsenden()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def neue_freigabe_verteilen(freigabe_id: int, ausser_id: int | None = None) -> int:
    """Fan-out of a Freigabe to a Verbund or the public: one notification per recipient user."""
    from .services.benachrichtigungen import freigabe_empfaenger_benachrichtigen

    return freigabe_empfaenger_benachrichtigen(freigabe_id=freigabe_id, ausser_id=ausser_id)


@shared_task(acks_late=True)
def verteilungen_nachholen() -> int:
    """Every few minutes: fan-outs of granted Freigaben that are still owed, and the notices
    of ended ones."""
    from .services.benachrichtigungen import verteilungen_nachholen as nachholen
    from .services.zugriffsende import enden_nachholen

    return nachholen() + enden_nachholen()


@shared_task(acks_late=True)
def wochenzusammenfassung_senden() -> int:
    """Weekly digest for users who chose it; a second run in the same week sends nothing."""
    from .services.wochenzusammenfassung import wochenzusammenfassung_senden as senden

    return senden()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def freigabe_ende_verteilen(freigabe_id: int, titel: str) -> int:
    """An ended Freigabe to a Verbund or the public: its recipients who lost access are told."""
    from .services.zugriffsende import freigabe_ende_empfaengern_melden

    return freigabe_ende_empfaengern_melden(freigabe_id=freigabe_id, titel=titel)


@shared_task(acks_late=True)
def vermerk_zeichnen(vermerk_id: int) -> bool:
    """Draw one decision's PDF memo from its stored content; a second run finds it done."""
    from .services.vermerke import vermerk_nachholen

    return vermerk_nachholen(pk=vermerk_id)


@shared_task(acks_late=True)
def vermerke_nachholen() -> int:
    """Every 15 minutes: Freigabevermerke whose PDF could not be stored at the decision."""
    from .services.vermerke import vermerke_nachholen as nachholen

    return nachholen()
