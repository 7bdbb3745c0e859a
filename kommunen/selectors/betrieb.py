"""Reads for operations: when the periodic tasks last ran (/healthz)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import (
    Aufgabenlauf,
    Benachrichtigung,
    Freigabe,
    FreigabeStatus,
    Freigabevermerk,
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


def alter_sekunden(seit: dt.datetime | None, jetzt: dt.datetime) -> int | None:
    """How long the oldest owed item has waited (None: nothing owed), for /healthz."""
    return None if seit is None else int((jetzt - seit).total_seconds())


def rueckstand(*, jetzt: dt.datetime | None = None) -> dict:
    """What is owed and how long the oldest has waited (seconds), for /healthz: a broker or
    mail server that is down shows here before users notice."""
    jetzt = jetzt or timezone.now()
    mails = Benachrichtigung.objects.filter(zugestellt_am__isnull=True, mail="sofort").exclude(
        empfaenger__email=""
    )
    verteilungen = Freigabe.objects.filter(status=FreigabeStatus.ERTEILT, verteilt_am__isnull=True)
    aelteste_mail = mails.order_by("erstellt_am").values_list("erstellt_am", flat=True).first()
    aelteste_verteilung = (
        verteilungen.order_by("entschieden_am").values_list("entschieden_am", flat=True).first()
    )
    # Memos of decisions whose PDF the document store did not take (vermerke_nachholen).
    vermerke = Freigabevermerk.objects.filter(datei="")
    aeltester_vermerk = vermerke.order_by("erstellt_am").values_list("erstellt_am", flat=True)
    return {
        "mails": mails.count(),
        "mails_aeltestes_s": alter_sekunden(aelteste_mail, jetzt),
        "verteilungen": verteilungen.count(),
        "verteilungen_aeltestes_s": alter_sekunden(aelteste_verteilung, jetzt),
        "vermerke": vermerke.count(),
        "vermerke_aeltestes_s": alter_sekunden(aeltester_vermerk.first(), jetzt),
    }
