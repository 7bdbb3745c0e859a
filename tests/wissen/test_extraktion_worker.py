"""Text extraction delivered by a real Celery worker through Redis, after the upload commits."""

import pytest
from celery.contrib.testing import tasks as _ping  # noqa: F401  (registers celery.ping)
from django.contrib.postgres.search import SearchQuery
from django.db import transaction

from tests import dateien as d
from tests.factories import ergebnis_anlegen
from tests.worker import echter_worker, warten
from wissen import services
from wissen.models import Dokument, Ergebnis

# A database of its own, so that a parallel run of the other worker tests cannot purge ours.
REDIS = "redis://127.0.0.1:6379/13"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_extraktion_durch_echten_worker_nach_dem_commit(welt):
    her = welt.user("muenchen", "herausgabe")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Gutachten Rechenzentrum")
    with echter_worker(REDIS):
        with transaction.atomic():
            dok = services.dokument_hochladen(
                ergebnis=ergebnis,
                datei=d.upload("rz.pdf", d.pdf("Abwärmenutzung", "im Rechenzentrum")),
                by=her,
            )
            # Nothing is queued before the upload is committed.
            assert Dokument.objects.get(pk=dok.pk).extraktion == Dokument.Extraktion.WARTET
        assert warten(lambda: Dokument.objects.filter(pk=dok.pk, extraktion="fertig").exists(), 30)
    dok.refresh_from_db()
    assert dok.extraktion_fortschritt == 100
    assert "Abwärmenutzung" in dok.text
    anfrage = SearchQuery("Abwärmenutzung", config="german")
    # The document's words go to the vector searched for those who may download, only.
    assert list(Ergebnis.objects.filter(suchvektor_mit_dokumenten=anfrage)) == [ergebnis]
    assert not Ergebnis.objects.filter(suchvektor=anfrage).exists()
