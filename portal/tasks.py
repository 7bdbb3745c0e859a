"""Celery tasks of the portal: thin, take ids."""

from celery import shared_task

from . import services


@shared_task(acks_late=False, ignore_result=True)
def passwort_link_senden(user_id: int, domain: str, use_https: bool, sprache: str) -> bool:
    # At most once: a second run would mail a second valid link.
    return services.passwort_link_senden(
        user_id=user_id, domain=domain, use_https=use_https, sprache=sprache
    )
