"""Celery tasks of the results app: thin, take ids, safe to run twice."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from django.utils.translation import gettext as _

from common.ablage import OBJEKTSPEICHER_FEHLER

from . import services


@shared_task(
    acks_late=True,
    # The database or the object store of the documents briefly away: try again.
    autoretry_for=(OperationalError, ConnectionError, *OBJEKTSPEICHER_FEHLER),
    retry_backoff=True,
    max_retries=5,
    # A minute past the document's budget (EXTRAKTION_MAX_SEKUNDEN), which ends the run
    # itself: these limits only catch what the budget could not (a hang outside it).
    soft_time_limit=settings.EXTRAKTION_SOFT_TIME_LIMIT,
    time_limit=settings.EXTRAKTION_TIME_LIMIT,
)
def dokument_extrahieren(dokument_id: int) -> str | None:
    """Extract a document's text for search; progress and state are stored on the row."""
    try:
        return services.dokument_text_extrahieren(dokument_id=dokument_id)
    except SoftTimeLimitExceeded:
        return services.extraktion_fehlgeschlagen(
            dokument_id=dokument_id,
            grund=_("Die Texterkennung hat das Zeitlimit überschritten."),
        )


@shared_task(acks_late=True)
def extraktion_nachholen() -> int:
    """Periodic: queue what waits too long (broker was down) or stalled (worker lost)."""
    return services.extraktion_nachholen()
