"""Follow a Thema, an Initiative or a Kommune; the start page lists what I follow."""

import pytest
from django.urls import reverse

from projekte.models import Abo, Initiative, Projekt, Thema
from tests.factories import ergebnis_anlegen, freigeben, projekt_anlegen
from wissen.models import Ergebnis

FOLGEN = reverse("projekte:folgen")


@pytest.fixture
def thema(db):
    return Thema.objects.create(name="Smart City", slug="smart-city")


def test_thema_folgen_und_startseite(client, welt, thema):
    her = welt.user("muenchen", "herausgabe")
    sichtbar = projekt_anlegen(welt.muenchen, her, titel="Sensoren im Stadtpark")
    sichtbar.themen.add(thema)
    freigeben(welt, sichtbar, an=welt.augsburg)
    verborgen = projekt_anlegen(welt.muenchen, her, titel="Geheimes Sensorprojekt")
    verborgen.themen.add(thema)
    # a result of the hidden project: shared, but must not show up through the hidden topic
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie ohne Projektsicht")
    Ergebnis.objects.filter(pk=e.pk).update(projekt=verborgen)
    freigeben(welt, e, an=welt.augsburg)
    user = welt.user("augsburg")
    client.force_login(user)
    r = client.post(
        FOLGEN, {"art": "thema", "id": thema.pk, "aktion": "folgen", "weiter": "/projekte/"}
    )
    assert r.status_code == 302 and r["Location"] == "/projekte/"
    assert Abo.objects.filter(benutzer=user, thema=thema).count() == 1
    text = client.get(reverse("start")).content.decode()
    assert "Was ich verfolge" in text
    assert "Sensoren im Stadtpark" in text
    assert "Geheimes Sensorprojekt" not in text
    assert "Studie ohne Projektsicht" not in text.split("Was ich verfolge")[1].split("<h2")[0]
    # twice: no second row
    client.post(FOLGEN, {"art": "thema", "id": thema.pk, "aktion": "folgen"})
    assert Abo.objects.filter(benutzer=user).count() == 1
    # unfollow
    client.post(FOLGEN, {"art": "thema", "id": thema.pk, "aktion": "entfolgen"})
    assert not Abo.objects.filter(benutzer=user).exists()


def test_kommune_und_initiative_folgen(client, welt):
    her = welt.user("muenchen", "herausgabe")
    ini = Initiative.objects.create(name="OZG", slug="ozg", ebene="bund")
    p = projekt_anlegen(welt.muenchen, her, titel="Online-Dienst Wohngeld")
    p.initiativen.add(ini)
    freigeben(welt, p, an=welt.verbund)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Leitfaden Wohngeld")
    freigeben(welt, e, an=welt.verbund)
    user = welt.user("nuernberg")
    client.force_login(user)
    client.post(FOLGEN, {"art": "kommune", "id": welt.muenchen.pk})
    client.post(FOLGEN, {"art": "initiative", "id": ini.pk})
    assert Abo.objects.filter(benutzer=user).count() == 2
    text = client.get(reverse("start")).content.decode()
    teil = text.split("Was ich verfolge")[1]
    assert "Online-Dienst Wohngeld" in teil and "Leitfaden Wohngeld" in teil
    assert "„München“ nicht mehr folgen" in teil


def test_folgen_knopf_in_liste_und_detail(client, welt, thema):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    p.themen.add(thema)
    client.force_login(welt.user("muenchen"))
    text = client.get(reverse("projekte:liste"), {"thema": thema.pk}).content.decode()
    assert "„Smart City“ folgen" in text
    text = client.get(p.get_absolute_url()).content.decode()
    assert "„Smart City“ folgen" in text


@pytest.mark.parametrize(
    "daten",
    [
        {"art": "thema", "id": "abc"},
        {"art": "thema", "id": "999999"},
        {"art": "benutzer", "id": "1"},
        {"art": "", "id": ""},
        {"art": "kommune"},
    ],
)
def test_kaputte_eingaben(client, welt, daten):
    client.force_login(welt.user("augsburg"))
    r = client.post(FOLGEN, daten, follow=True)
    assert r.status_code == 200
    assert not Abo.objects.exists()
    assert any(m.level_tag == "error" for m in r.context["messages"])


def test_inaktive_kommune_nicht_folgbar(client, welt):
    client.force_login(welt.user("augsburg"))
    welt.regensburg.aktiv = False
    welt.regensburg.save()
    client.post(FOLGEN, {"art": "kommune", "id": welt.regensburg.pk})
    assert not Abo.objects.exists()


def test_fremde_weiterleitung_wird_ignoriert(client, welt, thema):
    client.force_login(welt.user("augsburg"))
    r = client.post(FOLGEN, {"art": "thema", "id": thema.pk, "weiter": "https://boese.example/"})
    assert r["Location"] == reverse("projekte:liste")


def test_anonym_zur_anmeldung(client, welt, thema):
    r = client.post(FOLGEN, {"art": "thema", "id": thema.pk})
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert not Abo.objects.exists()
    assert client.get(FOLGEN).status_code == 405


def test_startseite_abfragen_konstant(client, welt, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import viele

    thema = Thema.objects.create(name="Mobilität", slug="mobilitaet")
    her = welt.user("muenchen", "herausgabe")
    augsburg = [welt.augsburg.gruppe_mitglieder_id]
    user = welt.user("augsburg")
    client.force_login(user)
    Abo.objects.create(benutzer=user, thema=thema)
    Abo.objects.create(benutzer=user, kommune=welt.muenchen)

    def anlegen(n):
        projekte = viele(Projekt, welt.muenchen, her, n, sichtbar_fuer=augsburg)
        Projekt.themen.through.objects.bulk_create(
            [Projekt.themen.through(projekt_id=p.pk, thema_id=thema.pk) for p in projekte]
        )
        viele(Ergebnis, welt.muenchen, her, n, sichtbar_fuer=augsburg)

    anlegen(3)
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse("start"))
    n3 = len(ctx)
    assert len(r.context["verfolgt_projekte"]) == 3
    anlegen(297)
    with django_assert_max_num_queries(n3):
        r = client.get(reverse("start"))
    assert len(r.context["verfolgt_projekte"]) == 10
    print(f"Abfragen Startseite: {n3} (3 und 300 verfolgte Objekte)")


def test_folgen_knopf_in_der_suche(client, welt, thema):
    client.force_login(welt.user("augsburg"))
    text = client.get(reverse("suche"), {"q": "x", "thema": thema.pk}).content.decode()
    assert "„Smart City“ folgen" in text
    Abo.objects.create(benutzer=welt.user("augsburg"), thema=thema)
    text = client.get(reverse("suche"), {"q": "x", "thema": thema.pk}).content.decode()
    assert "„Smart City“ nicht mehr folgen" in text
