"""The sharing matrix and the Freigabe detail page: access, cells, filters, query budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommunen import selectors, services
from kommunen.models import EmpfaengerArt, FreigabeStatus, Rolle, Umfang
from tests.factories import beantragen, eingang_fuellen, ergebnis_anlegen, projekt_anlegen

MATRIX = reverse("kommunen:matrix")
ADMIN = Rolle.FREIGABE_ADMIN


def detail_url(f):
    return reverse("kommunen:freigabe_detail", args=[f.pk])


@pytest.fixture
def lage(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", ADMIN)
    projekt = projekt_anlegen(welt.muenchen, her, titel="WLAN an Schulen")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie Zwilling")
    geheim = projekt_anlegen(welt.muenchen, her, titel="Ungeteiltes Vorhaben")
    erteilt = beantragen(welt, projekt, an=welt.augsburg)
    services.freigabe_erteilen(freigabe=erteilt, by=admin)
    offen = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    fremd = projekt_anlegen(
        welt.augsburg, welt.user("augsburg", Rolle.HERAUSGABE), titel="Augsburger Projekt"
    )
    fremd_f = beantragen(welt, fremd, an=welt.muenchen)
    return {
        "projekt": projekt,
        "ergebnis": ergebnis,
        "geheim": geheim,
        "erteilt": erteilt,
        "offen": offen,
        "fremd": fremd,
        "fremd_f": fremd_f,
    }


def test_registry_findet_projekt_und_ergebnis():
    namen = {m._meta.label for m in selectors.freigebbare_modelle()}
    assert {"projekte.Projekt", "wissen.Ergebnis"} <= namen


def test_anonym_zur_anmeldung(client, lage):
    for url in (MATRIX, detail_url(lage["erteilt"])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rolle", [Rolle.MITARBEIT, Rolle.HERAUSGABE])
def test_andere_rollen_403(client, welt, lage, rolle):
    client.force_login(welt.user("muenchen", rolle))
    assert client.get(MATRIX).status_code == 403
    assert client.get(detail_url(lage["erteilt"])).status_code == 403


def test_matrix_zeilen_spalten_zellen(client, welt, lage):
    client.force_login(welt.user("muenchen", ADMIN))
    response = client.get(MATRIX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<caption id="matrix-titel">' in html
    assert 'scope="col"' in html and 'scope="row"' in html
    for titel in ("WLAN an Schulen", "Studie Zwilling", "Ungeteiltes Vorhaben"):
        assert titel in html
    assert "Augsburger Projekt" not in html  # rows are only the own city's objects
    for spalte in ("Augsburg", "Nürnberg", "Kooperationsbündnis", "Öffentlichkeit"):
        assert spalte in html
    assert "München</th>" not in html  # no column for the own city
    assert detail_url(lage["erteilt"]) in html and detail_url(lage["offen"]) in html
    # scope, status and expiry as text, not colour only
    bis = lage["erteilt"].gueltig_bis.strftime("%d.%m.%Y")
    assert f"vollständig (mit Dokumenten): erteilt, bis {bis}" in html
    assert "nur Metadaten: beantragt" in html


def test_matrix_filter(client, welt, lage):
    client.force_login(welt.user("muenchen", ADMIN))
    html = client.get(MATRIX, {"typ": "ergebnis"}).content.decode()
    assert "Studie Zwilling" in html and "WLAN an Schulen" not in html
    html = client.get(MATRIX, {"empfaenger": f"k{welt.augsburg.pk}"}).content.decode()
    assert "WLAN an Schulen" in html
    assert "Studie Zwilling" not in html and "Ungeteiltes Vorhaben" not in html
    html = client.get(MATRIX, {"status": "beantragt"}).content.decode()
    assert "Studie Zwilling" in html and "WLAN an Schulen" not in html
    html = client.get(MATRIX, {"suche": "wlan"}).content.decode()
    assert "WLAN an Schulen" in html and "Studie Zwilling" not in html


def test_matrix_gefaelschter_filter_400(client, welt, lage):
    client.force_login(welt.user("muenchen", ADMIN))
    response = client.get(MATRIX, {"empfaenger": "k999999", "typ": "benutzer"})
    assert response.status_code == 400
    assert "gültige Auswahl" in response.content.decode()


def test_matrix_andere_kommune_sieht_keine_zeilen(client, welt, lage):
    client.force_login(welt.user("augsburg", ADMIN))
    html = client.get(MATRIX).content.decode()
    assert "WLAN an Schulen" not in html and "Studie Zwilling" not in html
    assert "Augsburger Projekt" in html
    assert detail_url(lage["erteilt"]) not in html


def test_detail_mit_verlauf(client, welt, lage):
    client.force_login(welt.user("muenchen", ADMIN))
    response = client.get(detail_url(lage["erteilt"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "WLAN an Schulen" in html and "Verlauf aus dem Protokoll" in html
    assert "Freigabe beantragt" in html and "Freigabe erteilt" in html
    assert 'name="aktion" value="widerrufen"' in html


def test_detail_fremde_kommune_404(client, welt, lage):
    client.force_login(welt.user("augsburg", ADMIN))
    assert client.get(detail_url(lage["erteilt"])).status_code == 404
    # the recipient of a Freigabe does not see the owner's decision page either
    client.force_login(welt.user("nuernberg", ADMIN))
    assert client.get(detail_url(lage["offen"])).status_code == 404
    # while the owner sees their own
    client.force_login(welt.user("augsburg", ADMIN))
    assert client.get(detail_url(lage["fremd_f"])).status_code == 200


def test_detail_aus_zugangsanfrage_zeigt_anfrage(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    admin = welt.user("muenchen", ADMIN)
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Leitfaden Open Data")
    f = beantragen(welt, ergebnis, an=welt.nuernberg, umfang=Umfang.METADATEN)
    services.freigabe_erteilen(freigabe=f, by=admin)
    anfrage = services.zugangsanfrage_stellen(
        objekt=ergebnis, by=welt.user("nuernberg"), begruendung="Bitte"
    )
    anfrage = services.zugangsanfrage_entscheiden(anfrage=anfrage, by=admin, genehmigen=True)
    client.force_login(admin)
    html = client.get(detail_url(anfrage.freigabe)).content.decode()
    assert "Zugangsanfrage gestellt" in html and "Zugangsanfrage genehmigt" in html
    assert anfrage.freigabe.status == FreigabeStatus.ERTEILT


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


MATRIX_BUDGET = 20


@pytest.mark.parametrize("n", [3, 300])
def test_matrix_abfragen_begrenzt(client, welt, n, django_assert_max_num_queries):
    eingang_fuellen(welt, n)
    client.force_login(welt.user("muenchen", ADMIN))
    client.get(MATRIX)
    with django_assert_max_num_queries(MATRIX_BUDGET):
        response = client.get(MATRIX)
    assert "Massen" in response.content.decode()


def test_matrix_gleich_viele_abfragen_bei_3_und_300(client, welt):
    eingang_fuellen(welt, 3)
    client.force_login(welt.user("muenchen", ADMIN))
    client.get(MATRIX)
    wenige = _abfragen(client, MATRIX)
    eingang_fuellen(welt, 297)
    assert _abfragen(client, MATRIX) == wenige
    assert _abfragen(client, MATRIX + "?seite=4&status=beantragt") == wenige


def test_detail_abfragen_begrenzt(client, welt, lage, django_assert_max_num_queries):
    client.force_login(welt.user("muenchen", ADMIN))
    client.get(detail_url(lage["erteilt"]))
    with django_assert_max_num_queries(MATRIX_BUDGET):
        client.get(detail_url(lage["erteilt"]))


def test_kommunen_importiert_weder_projekte_noch_wissen():
    """kommunen reaches the shareable models only through the app registry and content types."""
    import ast
    from pathlib import Path

    paket = Path(selectors.__file__).parents[1]
    assert paket.name == "kommunen"
    verboten = []
    dateien = list(paket.rglob("*.py"))
    assert len(dateien) > 30
    for datei in dateien:
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Import):
                namen = [a.name for a in knoten.names]
            elif isinstance(knoten, ast.ImportFrom):
                namen = [knoten.module or ""]
            else:
                continue
            verboten += [
                f"{datei.name}: {n}" for n in namen if n.split(".")[0] in ("projekte", "wissen")
            ]
    assert verboten == []
