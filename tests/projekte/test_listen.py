"""Lists of projects and results: visibility, facets, sorting, pages, bad input, budgets."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommunen import sharing
from projekte.models import Initiative, Projekt, Thema
from tests.factories import OEFFENTLICH, ergebnis_anlegen, freigeben, projekt_anlegen, viele
from wissen.models import Ergebnis

LISTE_P = reverse("projekte:liste")
LISTE_E = reverse("wissen:liste")


@pytest.fixture
def geteilt(welt):
    """A München project shared with Augsburg, one kept to München, one public."""
    her = welt.user("muenchen", "herausgabe")
    mit_augsburg = projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag")
    freigeben(welt, mit_augsburg, an=welt.augsburg)
    intern = projekt_anlegen(welt.muenchen, her, titel="Internes Vorhaben")
    oeffentlich = projekt_anlegen(welt.muenchen, her, titel="Open-Data-Portal", **OEFFENTLICH)
    freigeben(welt, oeffentlich)
    return mit_augsburg, intern, oeffentlich


def _titel(response):
    return {p.titel for p in response.context["page"].object_list}


def test_projektliste_sichtbarkeit_je_rolle(client, welt, geteilt):
    client.force_login(welt.user("muenchen"))
    assert _titel(client.get(LISTE_P)) == {
        "Digitaler Bauantrag",
        "Internes Vorhaben",
        "Open-Data-Portal",
    }
    client.force_login(welt.user("augsburg"))
    assert _titel(client.get(LISTE_P)) == {"Digitaler Bauantrag", "Open-Data-Portal"}
    client.force_login(welt.user("regensburg"))
    r = client.get(LISTE_P)
    assert _titel(r) == {"Open-Data-Portal"}
    assert "Digitaler Bauantrag" not in r.content.decode()


def test_projektliste_anonym_nur_oeffentliches(client, welt, geteilt):
    r = client.get(LISTE_P)
    assert r.status_code == 200
    assert _titel(r) == {"Open-Data-Portal"}


def test_ergebnisliste_aussenstehende_sehen_nichts(client, welt):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie E-Akte")
    freigeben(welt, e, an=welt.verbund)
    client.force_login(welt.user("nuernberg"))
    assert _titel(client.get(LISTE_E)) == {"Studie E-Akte"}
    client.force_login(welt.user("regensburg"))
    r = client.get(LISTE_E)
    assert r.status_code == 200
    assert _titel(r) == set()
    assert client.logout() is None
    r = client.get(LISTE_E)
    assert _titel(r) == set()


def test_facetten_kommune_thema_status_initiative_jahr(client, welt):
    her_m = welt.user("muenchen", "herausgabe")
    her_a = welt.user("augsburg", "herausgabe")
    thema = Thema.objects.create(name="E-Akte", slug="e-akte")
    ini = Initiative.objects.create(name="OZG", slug="ozg", ebene="bund")
    a = projekt_anlegen(welt.muenchen, her_m, titel="A", status="betrieb")
    a.themen.add(thema)
    a.initiativen.add(ini)
    Projekt.objects.filter(pk=a.pk).update(laufzeit_von=dt.date(2023, 1, 1))
    projekt_anlegen(welt.muenchen, her_m, titel="B", status="idee")
    c = projekt_anlegen(welt.augsburg, her_a, titel="C", status="betrieb")
    freigeben(welt, c, an=welt.muenchen)
    client.force_login(welt.user("muenchen"))
    assert _titel(client.get(LISTE_P, {"kommune": welt.augsburg.pk})) == {"C"}
    assert _titel(client.get(LISTE_P, {"thema": thema.pk})) == {"A"}
    assert _titel(client.get(LISTE_P, {"initiative": ini.pk})) == {"A"}
    assert _titel(client.get(LISTE_P, {"status": "betrieb"})) == {"A", "C"}
    assert _titel(client.get(LISTE_P, {"jahr": 2023})) == {"A"}
    r = client.get(LISTE_P, {"sortierung": "titel"})
    assert [p.titel for p in r.context["page"].object_list] == ["A", "B", "C"]
    r = client.get(LISTE_P, {"sortierung": "kommune"})
    assert [p.kommune.name for p in r.context["page"].object_list][0] == "Augsburg"


def test_jahre_nur_aus_sichtbaren_objekten(client, welt):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(welt.muenchen, her, titel="Alt")
    Projekt.objects.filter(pk=p.pk).update(laufzeit_von=dt.date(2011, 5, 1))
    client.force_login(welt.user("regensburg"))
    r = client.get(LISTE_P)
    assert 2011 not in [c[0] for c in r.context["form"].fields["jahr"].choices]
    client.force_login(welt.user("muenchen"))
    r = client.get(LISTE_P)
    assert 2011 in [c[0] for c in r.context["form"].fields["jahr"].choices]


def test_ergebnis_thema_nur_ueber_sichtbare_projekte(client, welt):
    """Filtering by Thema must not reveal what a hidden project is about."""
    her = welt.user("muenchen", "herausgabe")
    thema = Thema.objects.create(name="Datenschutz", slug="datenschutz")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Verborgen")
    projekt.themen.add(thema)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Geteilte Studie", art="gutachten")
    Ergebnis.objects.filter(pk=e.pk).update(projekt=projekt)
    freigeben(welt, e, an=welt.augsburg)
    client.force_login(welt.user("augsburg"))
    assert _titel(client.get(LISTE_E)) == {"Geteilte Studie"}
    assert _titel(client.get(LISTE_E, {"thema": thema.pk})) == set()
    assert _titel(client.get(LISTE_E, {"art": "gutachten"})) == {"Geteilte Studie"}
    assert _titel(client.get(LISTE_E, {"art": "studie"})) == set()
    client.force_login(welt.user("muenchen"))
    assert _titel(client.get(LISTE_E, {"thema": thema.pk})) == {"Geteilte Studie"}


@pytest.mark.parametrize(
    "params",
    [
        {"kommune": "abc"},
        {"kommune": "999999999"},
        {"thema": "1 OR 1=1"},
        {"jahr": "zwei"},
        {"status": "<script>", "art": "<script>"},
        {"sortierung": "passwort"},
        {"kommune": "\x00"},
    ],
)
@pytest.mark.parametrize("liste", [LISTE_P, LISTE_E])
def test_ungueltige_facetten_werden_ignoriert(client, welt, geteilt, params, liste):
    client.force_login(welt.user("augsburg"))
    r = client.get(liste, params)
    assert r.status_code == 200
    text = r.content.decode()
    assert "ungültigen Wert und wurde ignoriert" in text
    assert "<script>" not in text.split("<main", 1)[1]


@pytest.mark.parametrize("seite", ["999", "-1", "abc", "1e9", "99999999999999999999999"])
def test_seitenzahl_ausserhalb_oder_kaputt(client, welt, seite):
    her = welt.user("muenchen", "herausgabe")
    viele(Projekt, welt.muenchen, her, 25)
    client.force_login(welt.user("muenchen"))
    r = client.get(LISTE_P, {"seite": seite})
    assert r.status_code == 200
    assert r.context["page"].number in (1, 2)
    r2 = client.get(LISTE_P, {"seite": "2"})
    assert len(r2.context["page"].object_list) == 5
    assert "Seite 2 von 2" in r2.content.decode()


def test_titel_mit_skript_wird_escaped(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt_anlegen(welt.muenchen, her, titel="<script>alert(1)</script>")
    ergebnis_anlegen(welt.muenchen, her, titel="<script>alert(2)</script>")
    client.force_login(welt.user("muenchen"))
    for url in (LISTE_P, LISTE_E):
        text = client.get(url).content.decode()
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert" in text


def _zaehlen(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200
    return len(ctx), r


@pytest.mark.parametrize("modell,url", [(Projekt, LISTE_P), (Ergebnis, LISTE_E)])
def test_abfragen_konstant_3_und_300(client, welt, modell, url, django_assert_max_num_queries):
    her = welt.user("muenchen", "herausgabe")
    thema = Thema.objects.create(name="Verwaltung", slug="verwaltung")
    client.force_login(welt.user("augsburg"))
    objekte = viele(
        modell, welt.muenchen, her, 3, sichtbar_fuer=[welt.augsburg.gruppe_mitglieder_id]
    )
    if modell is Projekt:
        for o in objekte:
            o.themen.add(thema)
    params = {"thema": thema.pk, "sortierung": "kommune"}
    client.get(url, params)  # warm the per-process caches (content types, permission ids)
    # The first request after a change computes the list's ids and years per group set
    # (kommunen.sichtlisten), the next reads them from the cache: neither grows with the list.
    sharing.generation_erhoehen()
    kalt3 = _zaehlen(client, url)[0]
    n3, r3 = _zaehlen(client, url)
    f3, _r = _zaehlen(client, url, params)
    objekte = viele(
        modell, welt.muenchen, her, 297, sichtbar_fuer=[welt.augsburg.gruppe_mitglieder_id]
    )
    if modell is Projekt:
        Projekt.themen.through.objects.bulk_create(
            [Projekt.themen.through(projekt_id=o.pk, thema_id=thema.pk) for o in objekte]
        )
    kalt300 = _zaehlen(client, url)[0]
    with django_assert_max_num_queries(n3):
        r300 = client.get(url)
    n300 = _zaehlen(client, url)[0]
    f300 = _zaehlen(client, url, params)[0]
    assert r3.context["page"].paginator.count == 3
    assert r300.context["page"].paginator.count == 300
    assert (kalt3, n3, f3) == (kalt300, n300, f300)
    # Warm: session, user (with groups and unread count), the page's rows, their Themen.
    assert n3 <= 6
    assert kalt3 <= n3 + 3
    print(f"Abfragen {modell.__name__}-Liste: {n3} (3 Objekte), {n300} (300 Objekte)")


@pytest.mark.parametrize("liste", [LISTE_P, LISTE_E])
def test_filter_ohne_und_mit_htmx(client, welt, liste):
    """Plain GET form first; htmx only swaps the result region and the status line."""
    client.force_login(welt.user("augsburg"))
    text = client.get(liste).content.decode()
    assert '<form method="get" class="filter"' in text
    assert 'hx-target="#treffer-bereich"' in text and 'id="treffer-bereich"' in text
    assert 'id="treffer-status" class="visually-hidden" role="status"' in text
    assert '<button type="submit">Anwenden</button>' in text
