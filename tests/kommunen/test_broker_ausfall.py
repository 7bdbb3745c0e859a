"""Redis gone: the broker and the cache point at a closed port (a real connection refusal).

Users still get their pages and their decisions are saved; what the tasks owed (the
Verbund fan-out of a grant, the mails) is recorded in PostgreSQL and swept up exactly once
when the broker is back.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kommunen import selectors as kommunen_selectors
from kommunen import services, tasks
from kommunen.models import Benachrichtigung, Freigabe, FreigabeStatus, Rolle, Umfang
from portal.celery import app
from tests.factories import projekt_anlegen
from tests.formulare import entscheiden_url
from tests.worker import _vergessen

pytestmark = pytest.mark.django_db

GESCHLOSSEN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture
def redis_weg(settings):
    alt = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=GESCHLOSSEN, result_backend=None, task_always_eager=False)
    _vergessen()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": GESCHLOSSEN,
        }
    }
    try:
        yield
    finally:
        app.conf.update(alt)
        _vergessen()


def test_freigabe_an_den_verbund_ohne_broker(
    welt, client, redis_weg, settings, django_capture_on_commit_callbacks, zeitreise
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    p = projekt_anlegen(welt.muenchen, her)
    f = services.freigabe_beantragen(
        objekt=p,
        by=her,
        empfaenger_art="verbund",
        empfaenger_verbund=welt.verbund,
        umfang=Umfang.VOLLSTAENDIG,
    )
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(entscheiden_url(f), {"aktion": "erteilen", "bestaetigt": "1"})
    assert antwort.status_code == 302
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT
    # The fan-out could not be queued: it is owed, and recorded as such.
    assert f.verteilt_am is None
    ereignis = f"freigabe_neu:{f.pk}"
    assert not Benachrichtigung.objects.filter(ereignis=ereignis).exists()

    # The operator's monitoring sees what is owed before users do.
    zustand = client.get("/healthz").json()
    assert zustand["rueckstand"]["verteilungen"] == 1
    assert zustand["rueckstand"]["verteilungen_aeltestes_s"] >= 0

    # Every page still answers without the cache.
    client.force_login(welt.user("augsburg"))
    for url in ("/projekte/", "/ergebnisse/", "/suche/?q=Projekt", p.get_absolute_url()):
        assert client.get(url).status_code == 200, url

    # Redis is back; the sweep runs a few minutes later, twice.
    app.conf.update(task_always_eager=True)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    zeitreise(dt.timedelta(minutes=6))
    mail.outbox.clear()
    assert services.benachrichtigungen.verteilungen_nachholen() == 6
    assert services.benachrichtigungen.verteilungen_nachholen() == 0
    empfaenger = list(
        Benachrichtigung.objects.filter(ereignis=ereignis).values_list(
            "empfaenger__username", flat=True
        )
    )
    assert sorted(empfaenger) == sorted(
        f"{k}-{r}" for k in ("nuernberg", "augsburg") for r in Rolle.values
    )
    f.refresh_from_db()
    assert f.verteilt_am is not None
    assert client.get("/healthz").json()["rueckstand"]["verteilungen"] == 0


def test_mails_warten_ohne_broker_und_gehen_einmal(
    welt, redis_weg, django_capture_on_commit_callbacks
):
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    assert admin.benachrichtigung == "sofort" and admin.email
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (b,) = services.benachrichtigen(empfaenger=[admin], ereignis="t", betreff="B", text="T")
    b.refresh_from_db()
    assert b.zugestellt_am is None and mail.outbox == []
    rueckstand = kommunen_selectors.rueckstand(jetzt=timezone.now() + dt.timedelta(minutes=3))
    assert rueckstand["mails"] == 1 and rueckstand["mails_aeltestes_s"] >= 180

    app.conf.update(task_always_eager=True)
    assert tasks.benachrichtigungen_nachsenden() == 1
    assert tasks.benachrichtigungen_nachsenden() == 0
    assert len(mail.outbox) == 1


def test_ohne_ausfall_ist_die_verteilung_gleich_erledigt(welt, django_capture_on_commit_callbacks):
    """With the broker up (here: eager) the fan-out runs after the grant's commit and is
    recorded, so the sweep finds nothing owed."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    f = services.freigabe_beantragen(
        objekt=p,
        by=her,
        empfaenger_art="verbund",
        empfaenger_verbund=welt.verbund,
        umfang="metadaten",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert Freigabe.objects.get(pk=f.pk).verteilt_am is not None
    assert Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").count() == 6
    assert (
        services.benachrichtigungen.verteilungen_nachholen(
            jetzt=timezone.now() + dt.timedelta(hours=1)
        )
        == 0
    )


def test_zeile_ist_markiert_bevor_die_mail_geht(welt, monkeypatch):
    """A worker killed (or the database gone) right after the mail left finds the row marked:
    the sweep does not send it a second time. A failed send takes the mark back."""
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    (b,) = services.benachrichtigen(empfaenger=[admin], ereignis="t", betreff="B", text="T")
    beim_senden = []

    def senden(**kwargs):
        beim_senden.append(Benachrichtigung.objects.get(pk=b.pk).zugestellt_am)
        raise SystemExit("Worker beendet, nachdem die Mail hinaus ist")

    monkeypatch.setattr(tasks, "send_mail", senden)
    with pytest.raises(SystemExit):
        tasks.benachrichtigungen_zustellen([b.pk])
    assert beim_senden and beim_senden[0] is not None
    b.refresh_from_db()
    assert b.zugestellt_am is not None
    assert tasks.benachrichtigungen_nachsenden() == 0  # nothing twice

    (c,) = services.benachrichtigen(empfaenger=[admin], ereignis="u", betreff="B", text="T")

    def kaputt(**kwargs):
        raise ConnectionRefusedError("Mailserver nicht erreichbar")

    monkeypatch.setattr(tasks, "send_mail", kaputt)
    assert tasks.benachrichtigungen_zustellen([c.pk]) == 0
    c.refresh_from_db()
    # An unreachable server is no fault of the row: not charged an attempt.
    assert c.zugestellt_am is None and c.versuche == 0 and "nicht erreichbar" in c.fehler


def test_nach_einem_brokerfehler_pausiert_das_einreihen(welt, redis_weg, monkeypatch):
    """Only the first request after the broker went away pays its connection timeout; the
    next ones queue nothing for half a minute (the work is owed in the database)."""
    from common import aufgaben

    versuche = []
    echt = tasks.benachrichtigungen_zustellen.apply_async

    def zaehlen(*args, **kwargs):
        versuche.append(args)
        return echt(*args, **kwargs)

    monkeypatch.setattr(tasks.benachrichtigungen_zustellen, "apply_async", zaehlen)
    assert aufgaben.einreihen(tasks.benachrichtigungen_zustellen, [1]) is False
    assert aufgaben.einreihen(tasks.benachrichtigungen_zustellen, [2]) is False
    assert len(versuche) == 1
    monkeypatch.setattr(aufgaben, "_pause_bis", 0.0)  # half a minute later
    assert aufgaben.einreihen(tasks.benachrichtigungen_zustellen, [3]) is False
    assert len(versuche) == 2
