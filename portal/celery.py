"""Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_success.connect
def _periodischen_lauf_merken(sender=None, **kwargs):
    """Record when a task of the beat schedule last finished (shown by /healthz)."""
    from django.conf import settings

    name = getattr(sender, "name", None)
    if name not in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}:
        return
    from kommunen import services

    services.aufgabenlauf_merken(aufgabe=name)
