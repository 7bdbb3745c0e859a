"""Results are classified like projects: Themen and Initiativen, found by them, filtered by
them; the „Neu anlegen“ page offers Projekt and Ergebnis side by side."""

from django.urls import reverse

from kommunen.models import Rolle, Umfang
from projekte.models import Initiative, Thema
from tests.factories import ergebnis_anlegen, freigeben
from wissen import selectors
from wissen.models import Ergebnis

from .test_bearbeiten import _daten

NEU = reverse("wissen:neu")


def test_ergebnis_mit_themen_anlegen_filtern_und_finden(client, welt):
    thema = Thema.objects.create(name="Mobilitätsdaten", slug="mobilitaetsdaten")
    initiative = Initiative.objects.create(name="Digitalplan Bayern", slug="dp-by", ebene="land")
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    client.force_login(her)
    antwort = client.post(NEU, _daten(themen=[thema.pk], initiativen=[initiative.pk]))
    assert antwort.status_code == 302
    e = Ergebnis.objects.get()
    assert list(e.themen.all()) == [thema] and list(e.initiativen.all()) == [initiative]
    text = client.get(e.get_absolute_url()).content.decode()
    assert "Mobilitätsdaten" in text and initiative.name in text
    treffer = selectors.ergebnisse_gefiltert(user=her, filter={"thema": thema.pk})
    assert list(treffer) == [e]
    treffer = selectors.ergebnisse_gefiltert(user=her, filter={"initiative": initiative.pk})
    assert list(treffer) == [e]
    # The topic's name is in the search index of the result.
    from django.contrib.postgres.search import SearchQuery

    assert Ergebnis.objects.filter(
        pk=e.pk, suchvektor=SearchQuery("Mobilitätsdaten", config="german")
    ).exists()


def test_thema_filter_zeigt_anderen_nur_was_sie_sehen(welt):
    thema = Thema.objects.create(name="Wärmeplanung", slug="waermeplanung")
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    geteilt = ergebnis_anlegen(welt.muenchen, her, titel="Geteilt")
    geheim = ergebnis_anlegen(welt.muenchen, her, titel="Intern")
    for e in (geteilt, geheim):
        e.themen.add(thema)
    freigeben(welt, geteilt, an=welt.augsburg, umfang=Umfang.METADATEN)
    for slug, erwartet in (("augsburg", [geteilt]), ("regensburg", [])):
        treffer = selectors.ergebnisse_gefiltert(user=welt.user(slug), filter={"thema": thema.pk})
        assert list(treffer) == erwartet


def test_gefaelschte_themen_ids_aendern_nichts(client, welt):
    client.force_login(welt.user("muenchen", Rolle.HERAUSGABE))
    for wert in ("999999", "abc"):
        antwort = client.post(NEU, _daten(themen=[wert]))
        assert antwort.status_code == 400
    assert not Ergebnis.objects.exists()


def test_neu_anlegen_bietet_beides(client, welt):
    url = reverse("neu_anlegen")
    client.force_login(welt.user("muenchen", Rolle.HERAUSGABE))
    text = client.get(url).content.decode()
    assert reverse("projekte:neu") in text and reverse("wissen:neu") in text
    client.force_login(welt.user("muenchen", Rolle.MITARBEIT))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_liste_zeigt_das_datum_der_studie(client, welt):
    import datetime as dt

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    ergebnis_anlegen(welt.muenchen, her, titel="Mit Datum", datum=dt.date(2019, 3, 14))
    ohne = ergebnis_anlegen(welt.muenchen, her, titel="Ohne Datum", datum=None)
    client.force_login(her)
    text = client.get(reverse("wissen:liste")).content.decode()
    assert "14.03.2019" in text
    assert ohne.erstellt_am.strftime("%d.%m.%Y") not in text


def test_themen_heissen_auf_englisch_englisch(client, welt):
    from django.utils import translation

    thema = Thema.objects.create(name="Open Data", name_en="Open data", slug="open-data")
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Offene Haushaltsdaten")
    e.themen.add(thema)
    with translation.override("en"):
        assert str(thema) == "Open data"
    with translation.override("de"):
        assert str(thema) == "Open Data"
    client.force_login(her)
    client.cookies["django_language"] = "en"
    text = client.get(e.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open data" in text


def test_jeder_katalogeintrag_der_demo_hat_einen_englischen_namen():
    from portal import demo_inhalt

    slugs = {slug for slug, _name in demo_inhalt.THEMEN} | {
        i["slug"] for i in demo_inhalt.INITIATIVEN
    }
    assert slugs == set(demo_inhalt.NAMEN_EN)
