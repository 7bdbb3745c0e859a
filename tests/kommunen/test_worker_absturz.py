"""A whole worker killed with SIGKILL in the middle of a task: another worker runs it again,
and its effect is there once.

Each test starts real `celery worker` processes (tests/dienste.py) against a Redis database of
this module's own, with a visibility timeout of 3 s, so that the message the killed worker had
taken (acks late: it stays in Redis until the task ends) goes to the next worker within
seconds instead of the production default of 10 minutes. Where the task must be caught
mid-way, this test holds a row lock that the task needs half-way through, kills the worker
while it waits there, and then releases the lock.
"""

import contextlib

import psycopg
import pytest

from kommunen import services, tasks
from kommunen.models import (
    Benachrichtigung,
    Benutzer,
    EmpfaengerArt,
    Freigabe,
    FreigabeStatus,
    Protokoll,
    Rolle,
)
from kommunen.services.benachrichtigungen import EREIGNIS_NEUE_FREIGABE, FANOUT_STUECK
from tests import dateien as d
from tests.dienste import celery_worker, datenbank_url
from tests.factories import beantragen, ergebnis_anlegen, freigeben, projekt_anlegen
from tests.worker import broker, warten
from wissen import services as wissen_services
from wissen.models import Dokument

REDIS = "redis://127.0.0.1:6379/7"
WORKER = {
    "CELERY_BROKER_URL": REDIS,
    "CELERY_RESULT_BACKEND": REDIS,
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_SEKUNDEN": "1",
}

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def zeile_gesperrt(tabelle: str, pk: int):
    """Hold `SELECT … FOR UPDATE` on one row from a connection of its own until the block ends."""
    with psycopg.connect(datenbank_url()) as c:
        c.execute(f"SELECT 1 FROM {tabelle} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
        try:
            yield
        finally:
            c.rollback()


def test_verbund_verteilung_nach_sigkill_einmal_vollstaendig(welt, tmp_path):
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    Benutzer.objects.bulk_create(
        Benutzer(
            username=f"augsburg-{i}",
            kommune=welt.augsburg,
            email=f"person{i}@augsburg.example",
            rolle=Rolle.MITARBEIT,
            benachrichtigung="aus",
            password="!",
        )
        for i in range(3 * FANOUT_STUECK)
    )
    empfaenger = list(
        Benutzer.objects.filter(
            is_active=True, kommune__aktiv=True, kommune__verbuende=welt.verbund
        )
        .exclude(kommune=welt.muenchen)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, p, art=EmpfaengerArt.VERBUND)
    ereignis = f"{EREIGNIS_NEUE_FREIGABE}:{f.pk}"
    zwei_stapel = 2 * FANOUT_STUECK

    with broker(REDIS):
        # The third batch needs a key-share lock on this user's row: the fan-out stops there.
        with (
            zeile_gesperrt("kommunen_benutzer", empfaenger[zwei_stapel + 10]),
            celery_worker(tmp_path / "a.log", **WORKER) as a,
        ):
            services.freigabe_erteilen(freigabe=f, by=admin)
            assert warten(
                lambda: Benachrichtigung.objects.filter(ereignis=ereignis).count() == zwei_stapel,
                60,
            ), a.ausgabe()[-2000:]
            a.toeten()
        assert Benachrichtigung.objects.filter(ereignis=ereignis).count() == zwei_stapel
        f.refresh_from_db()
        assert f.verteilt_am is None  # still owed

        with celery_worker(tmp_path / "b.log", **WORKER) as b:
            assert warten(
                lambda: Freigabe.objects.filter(pk=f.pk, verteilt_am__isnull=False).exists(), 60
            ), b.ausgabe()[-2000:]

    zeilen = Benachrichtigung.objects.filter(ereignis=ereignis)
    assert zeilen.count() == len(empfaenger)
    assert sorted(zeilen.values_list("empfaenger_id", flat=True)) == empfaenger


def test_ablauf_nach_sigkill_jede_freigabe_einmal(welt, tmp_path):
    import datetime as dt

    from django.utils import timezone

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekte = [projekt_anlegen(welt.muenchen, her, titel=f"Projekt {i}") for i in range(6)]
    freigaben = [freigeben(welt, p, an=welt.augsburg) for p in projekte]
    heute = timezone.localdate()
    Freigabe.objects.filter(pk__in=[f.pk for f in freigaben]).update(
        gueltig_ab=heute - dt.timedelta(days=30), gueltig_bis=heute - dt.timedelta(days=1)
    )
    admins = Benutzer.objects.filter(kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN).count()
    abgelaufen = Freigabe.objects.filter(status=FreigabeStatus.ABGELAUFEN)

    with broker(REDIS):
        # The sweep locks each object before its Freigabe (one lock order): it waits at the 4th.
        with (
            zeile_gesperrt("projekte_projekt", projekte[3].pk),
            celery_worker(tmp_path / "a.log", **WORKER) as a,
        ):
            tasks.freigaben_ablaufen.delay()
            assert warten(lambda: abgelaufen.count() == 3, 60), a.ausgabe()[-2000:]
            a.toeten()
        assert abgelaufen.count() == 3

        with celery_worker(tmp_path / "b.log", **WORKER) as b:
            assert warten(lambda: abgelaufen.count() == 6, 60), b.ausgabe()[-2000:]

    for f in freigaben:
        assert (
            Protokoll.objects.filter(
                aktion=Protokoll.Aktion.FREIGABE_ABGELAUFEN, freigabe_id_ref=f.pk
            ).count()
            == 1
        )
    # Told once each: the Freigabe-Admins and the publisher of the object.
    assert Benachrichtigung.objects.filter(ereignis="freigabe_abgelaufen").count() == 6 * (
        admins + 1
    )


def test_texterkennung_eines_grossen_dokuments_nach_sigkill_fertig(welt, tmp_path):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    ergebnis = ergebnis_anlegen(welt.muenchen, her)
    seiten = [f"Seite {i} Pegelmessung Hochwasserschutz" for i in range(6000)]
    seiten[-1] = "Letzte Seite Deichkontrolle"
    datei = d.upload("messreihe.pdf", d.pdf(*seiten), "application/pdf")

    with broker(REDIS):
        with celery_worker(tmp_path / "a.log", **WORKER) as a:
            dok = wissen_services.dokument_hochladen(ergebnis=ergebnis, datei=datei, by=her)
            mitten = Dokument.objects.filter(
                pk=dok.pk,
                extraktion=Dokument.Extraktion.LAEUFT,
                extraktion_fortschritt__gt=0,
                extraktion_fortschritt__lt=100,
            )
            assert warten(mitten.exists, 60), a.ausgabe()[-2000:]
            a.toeten()
        dok.refresh_from_db()
        assert dok.extraktion == Dokument.Extraktion.LAEUFT and dok.text == ""

        with celery_worker(tmp_path / "b.log", **WORKER) as b:
            fertig = Dokument.objects.filter(pk=dok.pk, extraktion=Dokument.Extraktion.FERTIG)
            assert warten(fertig.exists, 120), b.ausgabe()[-2000:]

    dok.refresh_from_db()
    assert dok.extraktion_fortschritt == 100
    assert dok.text.count("Pegelmessung") == 5999
    assert "Deichkontrolle" in dok.text
