"""The dashboard: accessible SVG charts with data tables, counted only over what one may see."""

import re

import pytest
from django.urls import reverse

from kommunen import services
from kommunen.models import EmpfaengerArt, Rolle, Umfang
from portal import dashboard
from projekte.models import Thema
from tests.factories import beantragen, eingang_fuellen, ergebnis_anlegen, projekt_anlegen

DASHBOARD = reverse("dashboard")
ADMIN = Rolle.FREIGABE_ADMIN


@pytest.fixture
def lage(welt):
    her_m = welt.user("muenchen", Rolle.HERAUSGABE)
    admin_m = welt.user("muenchen", ADMIN)
    thema = Thema.objects.create(name="Verwaltungsdigitalisierung", slug="verwaltung")
    geteilt = projekt_anlegen(welt.muenchen, her_m, titel="Digitaler Zwilling", status="betrieb")
    geteilt.themen.add(thema)
    f = beantragen(welt, geteilt, an=welt.augsburg)
    services.freigabe_erteilen(freigabe=f, by=admin_m)
    # München and Nürnberg agree on something between themselves only
    bilateral = projekt_anlegen(welt.muenchen, her_m, titel="Geheimes Bilateralprojekt")
    bilateral.themen.add(Thema.objects.create(name="Sicherheitsthema", slug="sicher"))
    g = beantragen(welt, bilateral, an=welt.nuernberg)
    services.freigabe_erteilen(freigabe=g, by=admin_m)
    studie = ergebnis_anlegen(welt.muenchen, her_m, titel="Studie KI im Bürgerservice")
    h = beantragen(welt, studie, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    services.freigabe_erteilen(freigabe=h, by=admin_m)
    projekt_anlegen(
        welt.regensburg, welt.user("regensburg", Rolle.HERAUSGABE), titel="Regensburg intern"
    )
    return welt


def test_anonym_zur_anmeldung(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rolle", list(Rolle.values))
def test_jede_rolle_sieht_das_dashboard(client, lage, rolle):
    client.force_login(lage.user("augsburg", rolle))
    response = client.get(DASHBOARD)
    assert response.status_code == 200


def test_svg_barrierefrei_und_ohne_inline_stil(client, lage):
    client.force_login(lage.user("augsburg"))
    html = client.get(DASHBOARD).content.decode()
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for i in ids:
            assert f'id="{i}"' in svg
        assert "style=" not in svg and "<script" not in svg
    assert html.count("<caption>") >= 4
    assert "<script" not in html.split("</main>")[0].split("<main")[1]


def test_augsburg_sieht_nur_was_es_betrifft(client, lage):
    client.force_login(lage.user("augsburg"))
    html = client.get(DASHBOARD).content.decode()
    # München -> Augsburg and München -> Verbund are Augsburg's business ...
    assert re.search(
        r"<th scope=\"row\">München</th><td data-label=\"an\">Augsburg</td>"
        r"<td data-label=\"Freigaben\">1</td>",
        html,
    )
    assert "Kooperationsbündnis" in html
    # ... München -> Nürnberg is not, and no title appears anywhere.
    assert '<td data-label="an">Nürnberg</td>' not in html
    for titel in (
        "Geheimes Bilateralprojekt",
        "Digitaler Zwilling",
        "Studie KI im Bürgerservice",
        "Regensburg intern",
        "Sicherheitsthema",
    ):
        assert titel not in html
    # the visible project counts in its Thema and Status
    assert "Verwaltungsdigitalisierung" in html
    status = dict(dashboard.projekte_nach_status(user=lage.user("augsburg")))
    assert status["Betrieb"] == 1 and sum(status.values()) == 1


def test_regensburg_ausserhalb_sieht_keine_verbundzahlen(client, lage):
    client.force_login(lage.user("regensburg"))
    html = client.get(DASHBOARD).content.decode()
    assert "Ihre Kommune ist an keiner wirksamen Freigabe beteiligt." in html
    assert "Verwaltungsdigitalisierung" not in html and "Sicherheitsthema" not in html
    assert sum(n for _m, n in dashboard.ergebnisse_pro_monat(user=lage.user("regensburg"))) == 0


def test_eigentuemer_sieht_alle_eigenen_fluesse(lage):
    fluss = dashboard.fluss_daten(user=lage.user("muenchen", ADMIN))
    ziele = {(d["von"], d["an"]): d["anzahl"] for d in fluss}
    assert ziele[("München", "Augsburg")] == 1
    assert ziele[("München", "Nürnberg")] == 1
    assert ziele[("München", "Kooperationsbündnis Nürnberg–Augsburg–München")] == 1
    monate = dashboard.ergebnisse_pro_monat(user=lage.user("muenchen", ADMIN))
    assert len(monate) == 12 and monate[-1][1] == 1


def test_fluss_diagramm_geometrie():
    svg = dashboard.fluss_diagramm(
        [{"von": "A", "an": "B", "anzahl": 4}, {"von": "A", "an": "C", "anzahl": 1}]
    )
    breiten = sorted(b.breite for b in svg["baender"])
    assert breiten[0] < breiten[1]
    assert len(svg["quellen"]) == 1 and len(svg["ziele"]) == 2


@pytest.mark.parametrize("n", [3, 300])
def test_abfragen_begrenzt(client, welt, n, django_assert_max_num_queries):
    eingang_fuellen(welt, n)
    client.force_login(welt.user("muenchen", ADMIN))
    client.get(DASHBOARD)
    with django_assert_max_num_queries(12):
        assert client.get(DASHBOARD).status_code == 200
