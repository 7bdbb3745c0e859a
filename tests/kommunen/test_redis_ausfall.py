"""Redis killed while users propose, grant, revoke and upload; then started again, empty.

A Redis of this test's own (tests/dienste.py) serves as broker and cache of the portal (the
test client, in this process) and of a real Celery worker process. It is killed with SIGKILL
and has no persistence: every message it held is gone, as after a crash. What the tasks
owed is recorded in PostgreSQL and swept up; every notice and mail arrives exactly once.
"""

import datetime as dt
import email
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from common import aufgaben
from kommunen import services, sharing, tasks
from kommunen.models import Benachrichtigung, Freigabe, FreigabeStatus, Rolle
from tests import dateien as d
from tests.dienste import celery_worker, eigene_redis, warten_bis
from tests.factories import ergebnis_anlegen, projekt_anlegen
from tests.formulare import entscheiden_url, freigabe_daten
from tests.worker import broker
from wissen import services as wissen_services
from wissen.models import Dokument

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _mails(ordner: Path) -> Counter:
    """Recipients of the mails the worker sent (file backend: one file per connection)."""
    empfangen = Counter()
    for datei in ordner.glob("*.log"):
        for teil in datei.read_text().split("\n" + "-" * 79 + "\n"):
            if teil.strip():
                empfangen[email.message_from_string(teil)["To"]] += 1
    return empfangen


def test_redis_absturz_unter_nutzung_nichts_verloren(welt, client, settings, tmp_path):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    leser = welt.user("augsburg")
    verbund_projekt = projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag")
    kommune_projekt = projekt_anlegen(welt.muenchen, her, titel="Parkraummanagement")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Pegelstudie")
    postausgang = tmp_path / "mails"

    with eigene_redis() as redis, broker(redis.url(0)):
        settings.CELERY_BROKER_URL = redis.url(0)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis.url(1),
            }
        }
        with celery_worker(
            tmp_path / "worker.log",
            CELERY_BROKER_URL=redis.url(0),
            CELERY_RESULT_BACKEND=redis.url(0),
            CACHE_URL=redis.url(1),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(postausgang),
        ) as worker:
            redis.toeten()

            # --- users at work while Redis is away -------------------------------------------
            client.force_login(her)
            for objekt, art in ((verbund_projekt, "verbund"), (kommune_projekt, "kommune")):
                r = client.post(
                    reverse("projekte:freigeben", args=[objekt.pk]),
                    freigabe_daten(
                        empfaenger_art=art,
                        empfaenger_kommune=welt.augsburg.pk if art == "kommune" else "",
                        empfaenger_verbund=welt.verbund.pk if art == "verbund" else "",
                    ),
                )
                assert r.status_code == 302, r.content[:500]
            r = client.post(
                reverse("wissen:dokument_neu", args=[ergebnis.pk]),
                {"datei": d.upload("pegel.pdf", d.pdf("Pegelstände der Pegnitz", "Fazit"))},
            )
            assert r.status_code == 302
            an_verbund = Freigabe.objects.get(projekt=verbund_projekt)
            an_kommune = Freigabe.objects.get(projekt=kommune_projekt)

            client.force_login(admin)
            for f in (an_verbund, an_kommune):
                r = client.post(entscheiden_url(f), {"aktion": "erteilen", "bestaetigt": "1"})
                assert r.status_code == 302
            r = client.post(
                entscheiden_url(an_kommune),
                {"aktion": "widerrufen", "begruendung": "Projekt beendet", "bestaetigt": "1"},
            )
            assert r.status_code == 302

            client.force_login(leser)
            for url in (
                "/",
                reverse("projekte:liste"),
                reverse("wissen:liste"),
                "/suche/?q=Bauantrag",
                verbund_projekt.get_absolute_url(),
            ):
                assert client.get(url).status_code == 200, url
            assert client.get("/healthz").json()["broker"] == "error"

            # Every decision is saved and in force, whatever Redis did.
            an_verbund.refresh_from_db()
            an_kommune.refresh_from_db()
            assert an_verbund.status == FreigabeStatus.ERTEILT
            assert an_kommune.status == FreigabeStatus.WIDERRUFEN
            assert sharing.can(leser, "view", verbund_projekt)
            assert not sharing.can(leser, "view", kommune_projekt)
            dok = Dokument.objects.get(ergebnis=ergebnis)
            assert dok.extraktion == Dokument.Extraktion.WARTET
            assert an_verbund.verteilt_am is None

            # --- Redis is back, empty; the sweeps run some minutes later ------------------------
            redis.starten()
            # Half a minute later this process queues again (common/aufgaben.py).
            aufgaben.pause_beenden()
            spaeter = timezone.now() + dt.timedelta(minutes=11)
            assert services.benachrichtigungen.verteilungen_nachholen(jetzt=spaeter) == 6
            assert wissen_services.extraktion_nachholen(jetzt=spaeter) == 1
            tasks.benachrichtigungen_nachsenden.delay()

            offen = Benachrichtigung.objects.filter(
                zugestellt_am__isnull=True, mail="sofort"
            ).exclude(empfaenger__email="")
            assert warten_bis(
                lambda: (
                    not offen.exists()
                    and Dokument.objects.filter(pk=dok.pk, extraktion="fertig").exists()
                ),
                90,
                0.2,
            ), worker.ausgabe()[-3000:]
            # A second sweep finds nothing more to do.
            # This process is no worker, whatever an earlier embedded worker thread left in
            # Celery's process-wide "a task must not wait" flag.
            nochmal = tasks.benachrichtigungen_nachsenden.delay()
            assert nochmal.get(timeout=30, disable_sync_subtasks=False) == 0
            assert services.benachrichtigungen.verteilungen_nachholen(jetzt=spaeter) == 0

    an_verbund.refresh_from_db()
    assert an_verbund.verteilt_am is not None
    verbund_empfaenger = Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{an_verbund.pk}")
    assert sorted(verbund_empfaenger.values_list("empfaenger__username", flat=True)) == sorted(
        f"{k}-{r}" for k in ("nuernberg", "augsburg") for r in Rolle.values
    )
    assert "Pegnitz" in Dokument.objects.get(pk=dok.pk).text
    # Exactly one mail per notice that asked for one: none lost, none twice.
    erwartet = Counter(
        Benachrichtigung.objects.filter(mail="sofort")
        .exclude(empfaenger__email="")
        .values_list("empfaenger__email", flat=True)
    )
    assert sum(erwartet.values()) > 10
    assert _mails(postausgang) == erwartet
