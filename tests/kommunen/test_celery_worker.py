"""Background work: a real Celery worker against Redis, the notification outbox, the schedule."""

import contextlib
import datetime as dt

import pytest
from celery.contrib.testing import tasks as _ping  # noqa: F401  (registers celery.ping)
from celery.result import AsyncResult, EagerResult
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kommunen import services, sharing, tasks
from kommunen.models import Benachrichtigung, Freigabe, Protokoll, Rolle
from portal.celery import app
from tests.factories import projekt_anlegen
from tests.worker import echter_worker, warten

REDIS = "redis://127.0.0.1:6379/11"
# Eager results in the test process: it is no worker, whatever an embedded worker thread of an
# earlier test left in Celery's process-wide "a task must not wait" flag.
EAGER = {"disable_sync_subtasks": False}


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_ablaufen_durch_echten_worker_ist_in_postgresql_festgeschrieben(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    p = projekt_anlegen(welt.muenchen, her)
    heute = timezone.localdate()
    f = services.freigabe_beantragen(
        objekt=p,
        by=her,
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang="vollstaendig",
    )
    services.freigabe_erteilen(freigabe=f, by=admin)
    Freigabe.objects.filter(pk=f.pk).update(
        gueltig_ab=heute - dt.timedelta(days=40), gueltig_bis=heute - dt.timedelta(days=1)
    )
    assert sharing.can(welt.user("augsburg"), "view", p)

    with echter_worker(REDIS):
        ergebnis = tasks.freigaben_ablaufen.delay()
        assert isinstance(ergebnis, AsyncResult) and not isinstance(ergebnis, EagerResult)
        assert ergebnis.get(timeout=30) == 1
        assert ergebnis.state == "SUCCESS"

    # Read back through this test's own connection: the worker's transaction was committed.
    f.refresh_from_db()
    assert f.status == "abgelaufen"
    assert Protokoll.objects.filter(aktion="freigabe_abgelaufen", freigabe_id_ref=f.pk).exists()
    assert not sharing.can(welt.user("augsburg"), "view", p)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_benachrichtigung_nach_commit_durch_echten_worker(welt):
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    mail.outbox.clear()
    with echter_worker(REDIS):
        with transaction.atomic():
            (b,) = services.benachrichtigen(
                empfaenger=[admin], ereignis="test", betreff="Hallo", text="Text"
            )
            assert mail.outbox == []
        # Queued on commit, delivered by the worker, written to PostgreSQL.
        assert warten(
            lambda: Benachrichtigung.objects.filter(pk=b.pk, zugestellt_am__isnull=False).exists()
        )
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert mail.outbox[0].subject == "[Wissensverbund] Hallo"


# --- the outbox without a worker (eager tasks, as with no broker) ------------------------------


@pytest.fixture
def leute(welt):
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    woche = welt.user("augsburg", Rolle.FREIGABE_ADMIN)
    woche.benachrichtigung = "woechentlich"
    aus = welt.user("nuernberg", Rolle.FREIGABE_ADMIN)
    aus.benachrichtigung = "aus"
    ohne_mail = welt.user("regensburg", Rolle.FREIGABE_ADMIN)
    ohne_mail.email = ""
    return admin, woche, aus, ohne_mail


def test_benachrichtigen_stellt_erst_nach_commit_zu(leute, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as rueckrufe:
        rows = services.benachrichtigen(
            empfaenger=[*leute, leute[0]], ereignis="test", betreff="Betreff", text="Text"
        )
    assert len(rows) == 4  # one row per person, duplicates dropped
    assert len(rueckrufe) == 1
    assert mail.outbox == []
    assert not Benachrichtigung.objects.filter(zugestellt_am__isnull=False).exists()
    rueckrufe[0]()
    # Only "immediately" with an address gets an e-mail now.
    assert [m.to for m in mail.outbox] == [[leute[0].email]]
    assert Benachrichtigung.objects.filter(zugestellt_am__isnull=False).count() == 1


def test_kein_versand_bei_rollback(leute, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as rueckrufe,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        services.benachrichtigen(empfaenger=[leute[0]], ereignis="t", betreff="B", text="T")
        raise RuntimeError("Abbruch")
    assert rueckrufe == []
    assert mail.outbox == []
    assert not Benachrichtigung.objects.exists()


def test_zustellen_markiert_und_ist_idempotent(leute, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        (b,) = services.benachrichtigen(empfaenger=[leute[0]], ereignis="t", betreff="B", text="T")
    assert tasks.benachrichtigungen_zustellen.delay([b.pk]).get(**EAGER) == 1
    b.refresh_from_db()
    assert b.zugestellt_am is not None and b.versuche == 1
    assert tasks.benachrichtigungen_zustellen.delay([b.pk]).get(**EAGER) == 0
    assert len(mail.outbox) == 1


class KaputterMailserver:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Mailserver nicht erreichbar")


def test_nachsenden_holt_unzugestelltes_nach(leute, settings, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    admin = leute[0]
    zweite = services.benutzer_anlegen(
        username="muenchen-zwei", kommune=admin.kommune, rolle="mitarbeit", email="zwei@example.org"
    )
    settings.EMAIL_BACKEND = f"{__name__}.KaputterMailserver"
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.benachrichtigen(
            empfaenger=[admin, zweite, leute[1]], ereignis="t", betreff="B", text="T"
        )
    offen = Benachrichtigung.objects.filter(pk__in=[r.pk for r in rows], mail="sofort")
    # The server is away: both wait, neither is charged an attempt, the batch stopped at the
    # first refusal.
    assert offen.filter(zugestellt_am__isnull=True, versuche=0).count() == 2
    assert "nicht erreichbar" in offen.exclude(fehler="").get().fehler

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.benachrichtigungen_nachsenden.delay().get(**EAGER) == 2
    assert tasks.benachrichtigungen_nachsenden.delay().get(**EAGER) == 0  # safe to run twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, zweite.email])
    assert not offen.filter(zugestellt_am__isnull=True).exists()
    # The weekly row is left for the digest.
    assert Benachrichtigung.objects.get(empfaenger=leute[1]).zugestellt_am is None


def test_nachsenden_gibt_nach_zu_vielen_versuchen_auf(leute, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (b,) = services.benachrichtigen(empfaenger=[leute[0]], ereignis="t", betreff="B", text="T")
    Benachrichtigung.objects.filter(pk=b.pk).update(versuche=tasks.MAX_VERSUCHE)
    assert tasks.benachrichtigungen_nachsenden() == 0


# --- the periodic schedule ---------------------------------------------------------------------


def test_zeitplan_nennt_registrierte_aufgaben():
    app.loader.import_default_modules()
    zeitplan = settings.CELERY_BEAT_SCHEDULE
    assert zeitplan
    for name, eintrag in zeitplan.items():
        assert eintrag["task"] in app.tasks, name
    aufgaben = {e["task"]: _groesster_abstand(e["schedule"]) for e in zeitplan.values()}
    assert aufgaben["kommunen.tasks.freigaben_ablaufen"] <= dt.timedelta(hours=1)
    assert aufgaben["kommunen.tasks.ablauf_erinnern"] <= dt.timedelta(days=1)
    assert aufgaben["kommunen.tasks.loeschdatum_erinnern"] <= dt.timedelta(days=1)
    assert aufgaben["kommunen.tasks.benachrichtigungen_nachsenden"] <= dt.timedelta(hours=1)
    assert aufgaben["kommunen.tasks.wochenzusammenfassung_senden"] == dt.timedelta(days=7)
    assert aufgaben["kommunen.tasks.protokoll_pseudonymisieren"] == dt.timedelta(days=1)


def _groesster_abstand(plan: crontab) -> dt.timedelta:
    """The longest wait between two runs of a weekly-repeating crontab schedule."""
    assert plan.day_of_month == set(range(1, 32)) and plan.month_of_year == set(range(1, 13))
    laeufe = sorted(
        dt.timedelta(days=tag, hours=stunde, minutes=minute)
        for tag in plan.day_of_week
        for stunde in plan.hour
        for minute in plan.minute
    )
    woche = dt.timedelta(days=7)
    return max(b - a for a, b in zip(laeufe, [*laeufe[1:], laeufe[0] + woche], strict=True))


def test_aufgaben_sind_acks_late():
    for name in (
        "kommunen.tasks.freigaben_ablaufen",
        "kommunen.tasks.ablauf_erinnern",
        "kommunen.tasks.loeschdatum_erinnern",
        "kommunen.tasks.benachrichtigungen_zustellen",
        "kommunen.tasks.benachrichtigungen_nachsenden",
        "kommunen.tasks.vermerk_zeichnen",
        "kommunen.tasks.freigabe_ende_verteilen",
    ):
        assert app.tasks[name].acks_late, name
