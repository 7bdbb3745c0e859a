"""PostgreSQL restarted under load: a German 503 while it is away, by itself back afterwards.

The database is an instance of this test's own (tests/dienste.py), holding a copy of the test
database; the portal runs under gunicorn with persistent connections and health checks, as in
production. Readers and proposers keep sending requests while the database stops and starts.
"""

import threading
import time

import psycopg
import pytest
from django.test import Client
from django.urls import reverse

from kommunen.models import Rolle
from tests.dienste import HttpKlient, eigene_postgresql, gunicorn, warten_bis
from tests.factories import projekt_anlegen
from tests.formulare import freigabe_daten

pytestmark = pytest.mark.django_db(transaction=True)


def test_neustart_unter_last_zeigt_503_und_erholt_sich(welt, tmp_path):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekte = [projekt_anlegen(welt.muenchen, her, titel=f"Projekt {i}") for i in range(40)]
    browser = Client()
    browser.force_login(her)
    sitzung = browser.cookies["sessionid"].value
    augsburg = welt.augsburg.pk

    with (
        eigene_postgresql() as pg,
        gunicorn(tmp_path / "gunicorn.log", DATABASE_URL=pg.url, CONN_MAX_AGE="60") as web,
    ):
        antworten: list[tuple[float, str, int, str, dict]] = []
        halt = threading.Event()

        def klient() -> HttpKlient:
            return HttpKlient(web.port, {"sessionid": sitzung})

        def lesen():
            k = klient()
            while not halt.is_set():
                for pfad in ("/", reverse("projekte:liste")):
                    r = k.anfrage("GET", pfad)
                    antworten.append((time.monotonic(), pfad, r.status, r.text, r.kopf))

        def vorschlagen():
            k = klient()
            for p in projekte:
                if halt.is_set():
                    return
                url = reverse("projekte:freigeben", args=[p.pk])
                token = k.csrf_holen(url)
                daten = freigabe_daten(empfaenger_kommune=augsburg, csrfmiddlewaretoken=token)
                r = k.anfrage("POST", url, daten)
                antworten.append((time.monotonic(), "vorschlagen", r.status, r.text, r.kopf))
                time.sleep(0.05)

        assert klient().anfrage("GET", "/").status == 200
        faeden = [threading.Thread(target=f) for f in (lesen, lesen, vorschlagen)]
        for t in faeden:
            t.start()
        time.sleep(1.0)
        gestoppt = time.monotonic()  # from here on, requests may meet the stopping server
        pg.stoppen()
        time.sleep(3.0)
        pg.starten()
        gestartet = time.monotonic()
        # Back by itself: the next requests find a working connection again.
        assert warten_bis(
            lambda: any(t > gestartet and s == 200 for t, _p, s, _x, _k in antworten[-20:]), 15
        ), "das Portal hat sich nach dem Neustart nicht erholt"
        erholt = min(t for t, _p, s, _x, _k in antworten if t > gestartet and s == 200)
        time.sleep(1.0)
        halt.set()
        for t in faeden:
            t.join(timeout=60)

        stati = {s for _t, _p, s, _x, _k in antworten}
        assert stati <= {200, 302, 503}, stati
        ausfall = [(x, k) for t, _p, s, x, k in antworten if s == 503]
        assert ausfall, "während des Ausfalls kam keine Anfrage an"
        for text, kopf in ausfall:
            assert "Der Wissensverbund ist gerade nicht erreichbar" in text
            assert "Traceback" not in text and "psycopg" not in text
            assert kopf["retry-after"] == "30"
        # Before the stop and after the recovery every answer is a normal one.
        assert all(s in (200, 302) for t, _p, s, _x, _k in antworten if t < gestoppt)
        assert all(s in (200, 302) for t, _p, s, _x, _k in antworten if t > erholt + 0.5)
        assert erholt - gestartet < 10
        vorgeschlagen = sum(1 for _t, p, s, _x, _k in antworten if p == "vorschlagen" and s == 302)
        assert vorgeschlagen > 0

        # No half-written Freigabe: each has its Protokoll row, no Protokoll row lacks its
        # Freigabe, and every proposal the portal confirmed is there.
        with psycopg.connect(pg.url) as db:
            freigaben = {
                r[0]
                for r in db.execute("SELECT id FROM kommunen_freigabe WHERE status = 'beantragt'")
            }
            protokolliert = [
                r[0]
                for r in db.execute(
                    "SELECT freigabe_id_ref FROM kommunen_protokoll "
                    "WHERE aktion = 'freigabe_beantragt'"
                )
            ]
    assert sorted(protokolliert) == sorted(freigaben)
    assert len(freigaben) >= vorgeschlagen
