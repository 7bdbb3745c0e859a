"""Beat down for a day: access followed the dates all along; when beat returns, every missed
sweep runs once, and the operator saw the gap in /healthz.

The scheduler is Celery's own PersistentScheduler over the portal's CELERY_BEAT_SCHEDULE,
with its schedule file in a folder of the test's own; only sending is replaced by running the
task here (no broker in this test), and the clock moves with `zeitreise`.
"""

import datetime as dt
from collections import Counter

import pytest
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core import mail
from django.utils import timezone

from kommunen import sharing
from kommunen.models import Benachrichtigung, Freigabe, FreigabeStatus, Protokoll, Rolle
from portal.celery import app
from tests.factories import freigeben, projekt_anlegen

pytestmark = pytest.mark.django_db


class Beat(PersistentScheduler):
    """Celery's scheduler; a due entry runs in this process instead of going to a broker."""

    gelaufen: Counter

    @property
    def producer(self):
        return None

    def apply_entry(self, entry, producer=None):
        self.gelaufen[entry.task] += 1
        self.app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs)

    def alles_faellige(self) -> Counter:
        """Tick until nothing is due now (tick returns the seconds to the next run)."""
        self.gelaufen = Counter()
        for _ in range(100):
            if self.tick() > 0:
                break
        self.sync()
        return self.gelaufen


@pytest.fixture
def beat_uhr(monkeypatch, zeitreise):
    """Celery's clock follows Django's (moved by zeitreise)."""
    monkeypatch.setattr(app, "now", lambda: timezone.localtime(timezone.now()))
    return zeitreise


def _beat(pfad) -> Beat:
    app.loader.import_default_modules()  # every app's tasks, as in a worker
    return Beat(app=app, schedule_filename=str(pfad / "celerybeat-schedule"))


def test_beat_einen_tag_weg(welt, client, beat_uhr, tmp_path, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    leser = welt.user("augsburg")
    p = projekt_anlegen(welt.muenchen, her)
    f = freigeben(welt, p, an=welt.augsburg)
    # Valid until today: tomorrow it has ended.
    Freigabe.objects.filter(pk=f.pk).update(gueltig_bis=timezone.localdate())
    assert sharing.can(leser, "view", p)

    # Beat runs once (every task is fresh), then stops for 26 hours.
    beat = _beat(tmp_path)
    beat.alles_faellige()
    for eintrag in beat.schedule.values():
        eintrag.last_run_at = app.now()
    beat.sync()
    beat.close()
    app.tasks["kommunen.tasks.freigaben_ablaufen"].apply()  # the heartbeat /healthz reads
    mail.outbox.clear()

    beat_uhr(dt.timedelta(hours=26))
    # Access ended at midnight at read time: no task ran.
    sharing.forget(leser)
    assert not sharing.can(leser, "view", p)
    assert not sharing.visible(leser, type(p).objects.filter(pk=p.pk)).exists()
    assert Freigabe.objects.get(pk=f.pk).status == FreigabeStatus.ERTEILT
    client.force_login(leser)
    assert client.get(p.get_absolute_url()).status_code == 404
    assert client.get("/healthz").json()["beat"]["zustand"] == "verspaetet"

    # Beat is back: every sweep whose time came in the gap runs once, not once per slot.
    beat = _beat(tmp_path)
    # What the sweeps queue after their commits (the mails of new notices) runs too.
    with django_capture_on_commit_callbacks(execute=True):
        gelaufen = beat.alles_faellige()
    taeglich = {
        e["task"]
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["schedule"].day_of_week == set(range(7))
    }
    assert set(gelaufen) >= taeglich
    assert set(gelaufen.values()) == {1}
    assert beat.alles_faellige() == Counter()  # nothing twice
    beat.close()

    f.refresh_from_db()
    assert f.status == FreigabeStatus.ABGELAUFEN
    assert (
        Protokoll.objects.filter(
            aktion=Protokoll.Aktion.FREIGABE_ABGELAUFEN, freigabe_id_ref=f.pk
        ).count()
        == 1
    )
    admins = welt.muenchen.benutzer.filter(rolle=Rolle.FREIGABE_ADMIN).count()
    # Told once each: the Freigabe-Admins and the publisher of the object.
    assert Benachrichtigung.objects.filter(ereignis="freigabe_abgelaufen").count() == admins + 1
    # Every notice owed a mail (the grant's too: no task had sent them) got it once.
    erwartet = Counter(
        Benachrichtigung.objects.filter(mail="sofort")
        .exclude(empfaenger__email="")
        .values_list("empfaenger__email", flat=True)
    )
    assert Counter(m.to[0] for m in mail.outbox) == erwartet
    assert not Benachrichtigung.objects.filter(mail="sofort", zugestellt_am__isnull=True).exists()
    assert client.get("/healthz").json()["beat"]["zustand"] == "ok"
