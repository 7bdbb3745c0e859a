"""Reads for operations: when the periodic tasks last ran (/healthz)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import (
    Aufgabenlauf,
)

# The hourly expiry job is the beat's heartbeat: two missed runs and beat counts as late.
BEAT_HERZSCHLAG = "kommunen.tasks.freigaben_ablaufen"
BEAT_VERSPAETET_NACH = dt.timedelta(hours=2, minutes=10)


def beat_zustand(*, jetzt: dt.datetime | None = None) -> dict:
    """When each periodic task last finished, and whether beat keeps time (for /healthz)."""
    jetzt = jetzt or timezone.now()
    laeufe = dict(Aufgabenlauf.objects.values_list("aufgabe", "zuletzt_am"))
    herzschlag = laeufe.get(BEAT_HERZSCHLAG)
    if herzschlag is None:
        zustand = "nie"
    elif jetzt - herzschlag > BEAT_VERSPAETET_NACH:
        zustand = "verspaetet"
    else:
        zustand = "ok"
    return {
        "zustand": zustand,
        "zuletzt": {name: wann.isoformat() for name, wann in sorted(laeufe.items())},
    }
