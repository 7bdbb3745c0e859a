"""The read replica against a second real database: the lists, the search and the dashboard
read it, everything else and every read after a write reads the primary.

The replica is a test database of its own on the same server (tests/conftest.py). A real
replica replays the primary with some lag; here `replizieren()` is that replay, so what a
test writes on the primary afterwards is what a lagging replica has not seen yet.
"""

from types import SimpleNamespace

import pytest
from django.db import connections
from django.http import HttpResponse
from django.urls import reverse

from common.datenbanken import COOKIE, PRIMAER, REPLIKAT, ReplikatMiddleware, replikat_lesen
from kommunen import services
from projekte.models import Projekt
from tests.factories import (
    ergebnis_anlegen,
    freigeben,
    im_suchindex,
    projekt_anlegen,
)
from tests.formulare import projekt_daten

pytestmark = pytest.mark.django_db(databases=[PRIMAER, REPLIKAT])

LISTE_P = reverse("projekte:liste")
LISTE_E = reverse("wissen:liste")
SUCHE = reverse("suche")
DASHBOARD = reverse("dashboard")


def replizieren() -> None:
    """The replica catches up: afterwards it holds exactly what the primary holds now.

    Both connections are inside this test's transactions, which roll back at its end. Like a
    streaming replica the copy fires no triggers (session_replication_role).
    """
    with connections[REPLIKAT].cursor() as ziel, connections[PRIMAER].cursor() as quelle:
        ziel.execute("SET LOCAL session_replication_role = replica")
        ziel.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'django_migrations' ORDER BY tablename"
        )
        tabellen = [f'"{name}"' for (name,) in ziel.fetchall()]
        ziel.execute(f"TRUNCATE {', '.join(tabellen)}")
        for tabelle in tabellen:
            with (
                quelle.cursor.copy(f"COPY {tabelle} TO STDOUT (FORMAT BINARY)") as aus,
                ziel.cursor.copy(f"COPY {tabelle} FROM STDIN (FORMAT BINARY)") as ein,
            ):
                for block in aus:
                    ein.write(block)
        ziel.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def replikat(settings):
    """The router and its middleware, as portal.settings installs them with a replica."""
    settings.DATABASE_ROUTERS = ["common.datenbanken.ReplikatRouter"]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
        "common.datenbanken.ReplikatMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.DATABASE_REPLICA_PRIMAER_SEKUNDEN = 5


@pytest.fixture
def lage(welt, replikat):
    """München shares a project and a result with Augsburg; the replica has caught up."""
    her = welt.user("muenchen", "herausgabe")
    projekt = im_suchindex(projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag"))
    ergebnis = im_suchindex(ergebnis_anlegen(welt.muenchen, her, titel="Studie Bauantrag"))
    freigaben = [
        freigeben(welt, projekt, an=welt.augsburg),
        freigeben(welt, ergebnis, an=welt.augsburg),
    ]
    replizieren()
    return SimpleNamespace(projekt=projekt, ergebnis=ergebnis, freigaben=freigaben)


def _titel(response) -> set[str]:
    return {o.titel for o in response.context["page"].object_list}


def _treffer(response) -> set[str]:
    return {t.objekt.titel for t in response.context["treffer"]}


def _fluss(response) -> list[tuple[str, str, int]]:
    return [(f["von"], f["an"], f["anzahl"]) for f in response.context["fluss"]]


def _widerrufen(welt, lage) -> None:
    admin = welt.user("muenchen", "freigabe_admin")
    for freigabe in lage.freigaben:
        services.freigabe_widerrufen(freigabe=freigabe, by=admin, grund="Test")


def test_zwei_datenbanken():
    """The replica alias is a database of its own, not a second name of the primary."""
    namen = {}
    for alias in (PRIMAER, REPLIKAT):
        with connections[alias].cursor() as c:
            c.execute("SELECT current_database()")
            namen[alias] = c.fetchone()[0]
    assert namen[REPLIKAT] == f"{namen[PRIMAER]}_replikat"
    assert namen[PRIMAER].startswith("test_")


def test_listen_suche_und_dashboard_lesen_das_replikat(client, welt, lage):
    her = welt.user("muenchen", "herausgabe")
    neu = projekt_anlegen(welt.muenchen, her, titel="Neues Vorhaben Bauantrag")
    im_suchindex(neu)
    freigeben(welt, neu, an=welt.augsburg)  # on the primary only: the replica lags
    client.force_login(welt.user("augsburg"))  # the session, too, exists on the primary only

    r = client.get(LISTE_P)
    assert r.context["user"].is_authenticated
    assert _titel(r) == {"Digitaler Bauantrag"}
    assert _titel(client.get(LISTE_E)) == {"Studie Bauantrag"}
    assert _treffer(client.get(SUCHE, {"q": "Bauantrag"})) == {
        "Digitaler Bauantrag",
        "Studie Bauantrag",
    }
    assert _fluss(client.get(DASHBOARD)) == [("München", "Augsburg", 2)]
    # Pages that are not marked read the primary.
    assert client.get(reverse("projekte:detail", args=[neu.pk])).status_code == 200

    replizieren()
    assert _titel(client.get(LISTE_P)) == {"Digitaler Bauantrag", "Neues Vorhaben Bauantrag"}
    assert _fluss(client.get(DASHBOARD)) == [("München", "Augsburg", 3)]


def test_ein_widerruf_verlaesst_listen_und_suche_sofort_das_dashboard_mit_dem_replikat(
    client, welt, lage
):
    """The documented bound: the lists' ids and the search's counts are computed on the
    primary under the permission generation, so a revoked Freigabe leaves them at once; the
    dashboard checks on the replica and follows it with its lag; the detail page reads the
    primary and refuses."""
    client.force_login(welt.user("augsburg"))
    assert _titel(client.get(LISTE_P)) == {"Digitaler Bauantrag"}  # cached now
    assert len(_treffer(client.get(SUCHE, {"q": "Bauantrag"}))) == 2
    _widerrufen(welt, lage)

    assert _titel(client.get(LISTE_P)) == set()
    assert _titel(client.get(LISTE_E)) == set()
    assert client.get(reverse("projekte:detail", args=[lage.projekt.pk])).status_code == 404
    assert client.get(reverse("wissen:detail", args=[lage.ergebnis.pk])).status_code == 404
    assert _treffer(client.get(SUCHE, {"q": "Bauantrag"})) == set()
    assert _fluss(client.get(DASHBOARD)) == [("München", "Augsburg", 2)]

    replizieren()
    assert _titel(client.get(LISTE_P)) == set()
    assert _titel(client.get(LISTE_E)) == set()
    assert _treffer(client.get(SUCHE, {"q": "Bauantrag"})) == set()
    assert _fluss(client.get(DASHBOARD)) == []


def test_nach_einem_schreiben_liest_der_browser_einige_sekunden_den_primaer(client, welt, lage):
    """POST, redirect, GET: the list right after creating a project shows it."""
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(reverse("projekte:neu"), projekt_daten(titel="Gerade angelegt"))
    assert r.status_code == 302
    marke = r.cookies[COOKIE]
    assert marke["max-age"] == 5
    assert marke["httponly"]

    assert "Gerade angelegt" in _titel(client.get(LISTE_P))  # the primary

    client.cookies[COOKIE] = "0"  # the marker has run out
    assert "Gerade angelegt" not in _titel(client.get(LISTE_P))  # the replica, lagging
    del client.cookies[COOKIE]
    assert "Gerade angelegt" not in _titel(client.get(LISTE_P))


def test_nur_eine_anfrage_die_schreibt_setzt_die_marke(client, welt, lage):
    client.force_login(welt.user("augsburg"))
    for url in (LISTE_P, LISTE_E, DASHBOARD, f"{SUCHE}?q=Bauantrag"):
        assert COOKIE not in client.get(url).cookies
    # A detail page records the read in the Protokoll: a write like any other.
    assert COOKIE in client.get(reverse("projekte:detail", args=[lage.projekt.pk])).cookies


def _anfrage(rf, methode: str, ansicht):
    request = getattr(rf, methode)("/")
    return ReplikatMiddleware(replikat_lesen(ansicht))(request)


def _titel_lesen() -> set[str]:
    return set(Projekt.objects.values_list("titel", flat=True))


@pytest.mark.parametrize("schreiben", ["raw_sql", "orm_update"])
def test_nach_einem_schreiben_in_der_anfrage_liest_sie_den_primaer(rf, welt, lage, schreiben):
    gesehen = []

    def ansicht(request):
        gesehen.append(_titel_lesen())
        if schreiben == "raw_sql":
            # No model, no router: the statement on the primary's connection tells.
            with connections[PRIMAER].cursor() as c:
                c.execute(
                    f"UPDATE {Projekt._meta.db_table} SET titel = %s WHERE id = %s",  # noqa: S608
                    ["Umbenannt", lage.projekt.pk],
                )
        else:
            Projekt.objects.filter(pk=lage.projekt.pk).update(titel="Umbenannt")
        gesehen.append(_titel_lesen())
        return HttpResponse("ok")

    r = _anfrage(rf, "get", ansicht)
    assert gesehen == [{"Digitaler Bauantrag"}, {"Umbenannt"}]
    assert COOKIE in r.cookies
    assert set(Projekt.objects.using(REPLIKAT).values_list("titel", flat=True)) == {
        "Digitaler Bauantrag"
    }


def test_ein_post_liest_den_primaer(rf, welt, lage):
    Projekt.objects.filter(pk=lage.projekt.pk).update(titel="Nur auf dem Primär")
    gesehen = []

    def ansicht(request):
        gesehen.append(_titel_lesen())
        return HttpResponse("ok")

    _anfrage(rf, "get", ansicht)
    _anfrage(rf, "post", ansicht)
    assert gesehen == [{"Digitaler Bauantrag"}, {"Nur auf dem Primär"}]
