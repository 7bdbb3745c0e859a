"""Text extraction delivered by a real Celery worker through Redis, after the upload commits."""

import contextlib

import pytest
from celery.contrib.testing import tasks as _ping  # noqa: F401  (registers celery.ping)
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.contrib.postgres.search import SearchQuery
from django.db import transaction

from portal.celery import app
from tests import dateien as d
from tests.factories import ergebnis_anlegen
from tests.kommunen.test_celery_worker import _verbindungen_schliessen, _vergessen, _warten
from wissen import services
from wissen.models import Dokument, Ergebnis

# A database of its own, so that a parallel run of the other worker tests cannot purge ours.
REDIS = "redis://127.0.0.1:6379/13"


@contextlib.contextmanager
def worker():
    alt = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS, result_backend=REDIS, task_always_eager=False)
    _vergessen()
    task_postrun.connect(_verbindungen_schliessen, weak=False)
    try:
        app.control.purge()
        with start_worker(app, perform_ping_check=True, shutdown_timeout=30, loglevel="WARNING"):
            yield
    finally:
        task_postrun.disconnect(_verbindungen_schliessen)
        app.conf.update(alt)
        _vergessen()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_extraktion_durch_echten_worker_nach_dem_commit(welt):
    her = welt.user("muenchen", "herausgabe")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Gutachten Rechenzentrum")
    with worker():
        with transaction.atomic():
            dok = services.dokument_hochladen(
                ergebnis=ergebnis,
                datei=d.upload("rz.pdf", d.pdf("Abwärmenutzung", "im Rechenzentrum")),
                by=her,
            )
            # Nothing is queued before the upload is committed.
            assert Dokument.objects.get(pk=dok.pk).extraktion == Dokument.Extraktion.WARTET
        assert _warten(lambda: Dokument.objects.filter(pk=dok.pk, extraktion="fertig").exists(), 30)
    dok.refresh_from_db()
    assert dok.extraktion_fortschritt == 100
    assert "Abwärmenutzung" in dok.text
    anfrage = SearchQuery("Abwärmenutzung", config="german")
    # The document's words go to the vector searched for those who may download, only.
    assert list(Ergebnis.objects.filter(suchvektor_mit_dokumenten=anfrage)) == [ergebnis]
    assert not Ergebnis.objects.filter(suchvektor=anfrage).exists()
