"""The legal pages: the operator's text from the admin, safely rendered, in both languages."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from kommunen import services as kommunen_services
from portal.demo_rechtstexte import DATENSCHUTZ_EMAIL, demo_rechtstexte
from portal.models import Rechtstext, RechtstextArt
from portal.services import rechtstext_speichern

SEITEN = [art.value for art in RechtstextArt]
NOCH_NICHT = "Dieser Text wird vom Betreiber gepflegt und ist noch nicht veröffentlicht."


def _sichtbar(response) -> str:
    """The text a visitor reads in the page's main region (tags removed, entities decoded)."""
    main = re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)[1]
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _betrieb(username="betrieb", superuser=True):
    user = kommunen_services.benutzer_anlegen(
        username=username, kommune=None, rolle="", password="Betrieb-Passwort-123", is_staff=True
    )
    user.is_superuser = superuser
    user.save(update_fields=["is_superuser"])
    return user


def _text(art, von=None, **felder) -> Rechtstext:
    if art == RechtstextArt.BARRIEREFREIHEIT:
        felder.setdefault("erklaerung_vom", dt.date(2025, 9, 1))
        felder.setdefault("geprueft_am", dt.date(2025, 11, 3))
    return rechtstext_speichern(rechtstext=Rechtstext(art=art, **felder), von=von)


def _englisch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("art", SEITEN)
def test_seite_zeigt_den_text_des_betreibers_als_sicheres_html(client, art):
    _text(
        art,
        text_de="# Abschnitt\n\n## Unterabschnitt\n\n**Fett** und ein [Link](https://example.org)."
        '\n\n<script>alert("x")</script>\n\n[Böse](javascript:alert(1))'
        '\n\n<p onclick="alert(1)">Klick</p>',
    )
    r = client.get(reverse(art))
    assert r.status_code == 200
    html = r.content.decode()
    # The page owns the h1; the text's sections follow as h2 and h3 (a sound outline).
    assert "<h2>Abschnitt</h2>" in html and "<h3>Unterabschnitt</h3>" in html
    assert "<strong>Fett</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script>alert" not in html and "javascript:" not in html and "onclick" not in html
    assert NOCH_NICHT not in html
    assert "Stand:" in _sichtbar(r)


@pytest.mark.django_db
@pytest.mark.parametrize("art", SEITEN)
def test_fehlt_der_text_ein_neutraler_satz_ohne_platzhalter(client, art, settings):
    r = client.get(reverse(art))
    assert r.status_code == 200
    text = _sichtbar(r)
    assert NOCH_NICHT in text
    assert f"mailto:{settings.PORTAL_KONTAKT_EMAIL}" in r.content.decode()
    for platzhalter in ("[", "TODO", "ergänzen", "Vorlage"):
        assert platzhalter not in text


@pytest.mark.django_db
def test_englische_fassung_und_rueckfall_auf_deutsch(client, settings):
    _text(RechtstextArt.IMPRESSUM, text_de="Angaben auf Deutsch.", text_en="Details in English.")
    _text(RechtstextArt.DATENSCHUTZ, text_de="Nur auf Deutsch.", text_en="  ")
    _englisch(client, settings)
    html = client.get(reverse("impressum")).content.decode()
    assert "Details in English." in html and "Angaben auf Deutsch." not in html
    assert '<div class="rechtstext">' in html
    html = client.get(reverse("datenschutz")).content.decode()
    # No English text: the German one, marked as German for screen readers.
    assert '<div class="rechtstext" lang="de">' in html and "Nur auf Deutsch." in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(reverse("impressum")).content.decode()
    assert "Angaben auf Deutsch." in html and "Details in English." not in html


@pytest.mark.django_db
def test_barrierefreiheit_nennt_ihre_daten(client):
    _text(RechtstextArt.BARRIEREFREIHEIT, text_de="Teilweise vereinbar.")
    text = _sichtbar(client.get(reverse("barrierefreiheit")))
    assert "Diese Erklärung wurde am 1. September 2025 erstellt" in text
    assert "zuletzt am 3. November 2025 überprüft" in text


@pytest.mark.django_db
def test_datenschutz_nennt_die_frist_aus_den_einstellungen_auch_neben_dem_text(client, settings):
    _text(RechtstextArt.DATENSCHUTZ, text_de="# Verantwortlicher\n\nDie Stadt.")
    settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE = 18
    text = _sichtbar(client.get(reverse("datenschutz")))
    assert "Die Stadt." in text
    assert "Name und Benutzerkonto bleiben 18 Monate gespeichert" in text


# --- the demo's texts -----------------------------------------------------------------------------


@pytest.fixture
def demo_texte(db, settings):
    settings.PORTAL_BETREIBER = "Geschäftsstelle des Wissensverbunds"
    settings.PORTAL_KONTAKT_EMAIL = "kontakt@wissensverbund.example"
    assert demo_rechtstexte(von=_betrieb()) == 3


@pytest.mark.parametrize("sprache", ["de", "en"])
@pytest.mark.parametrize("art", SEITEN)
def test_demo_texte_vollstaendig_ohne_platzhalter(client, settings, demo_texte, art, sprache):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = sprache
    r = client.get(reverse(art))
    assert r.status_code == 200
    text = _sichtbar(r)
    assert NOCH_NICHT not in text
    for platzhalter in ("[", "]", "TODO", "ergänzen", "Platzhalter", "xxx", "Vorlage"):
        assert platzhalter not in text, platzhalter
    assert "Geschäftsstelle des Wissensverbunds" in text
    assert "kontakt@wissensverbund.example" in text


def test_demo_datenschutz_deckt_die_pflichtangaben_ab(client, settings, demo_texte):
    text = _sichtbar(client.get(reverse("datenschutz")))
    for angabe in (
        "Verantwortlicher",
        "Datenschutzbeauftragte",
        DATENSCHUTZ_EMAIL,
        "Name und Benutzerkonto bleiben 24 Monate gespeichert",
        "erhält die Kommune, der das Projekt oder Ergebnis gehört",
        "Art. 6 Abs. 1 UAbs. 1 lit. e DSGVO",
        "Art. 15 DSGVO",
        "Art. 77 DSGVO",
        "Bayerische Landesbeauftragte für den Datenschutz",
    ):
        assert angabe in text, angabe


def test_demo_barrierefreiheit_deckt_die_pflichtangaben_ab(client, settings, demo_texte):
    r = client.get(reverse("barrierefreiheit"))
    text = _sichtbar(r)
    for angabe in (
        "Diese Erklärung wurde am 1. September 2025 erstellt",
        "BITV 2.0",
        "EN 301 549",
        "teilweise vereinbar",
        "Nicht barrierefreie Inhalte",
        "Landesamt für Digitalisierung, Breitband und Vermessung",
        "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik",
    ):
        assert angabe in text, angabe
    assert 'href="mailto:kontakt@wissensverbund.example?subject=Barrierefreiheit"' in (
        r.content.decode()
    )


def test_demo_ueberschreibt_keinen_text_des_betreibers(demo_texte):
    text = Rechtstext.objects.get(art="impressum")
    text.text_de = "Eigener Text."
    rechtstext_speichern(rechtstext=text, von=None)
    assert demo_rechtstexte(von=None) == 0
    assert Rechtstext.objects.get(art="impressum").text_de == "Eigener Text."


# --- the admin ------------------------------------------------------------------------------------


def _formular(rechtstext: Rechtstext, **anders) -> dict:
    daten = {
        "text_de": rechtstext.text_de,
        "text_en": rechtstext.text_en,
        "erklaerung_vom": rechtstext.erklaerung_vom or "",
        "geprueft_am": rechtstext.geprueft_am or "",
    }
    return {**daten, **anders}


@pytest.mark.django_db
def test_betrieb_bearbeitet_im_admin(client):
    betrieb = _betrieb()
    text = _text(RechtstextArt.BARRIEREFREIHEIT, text_de="Alt.")
    client.force_login(betrieb)
    liste = client.get(reverse("admin:portal_rechtstext_changelist")).content.decode()
    assert f'href="{reverse("barrierefreiheit")}"' in liste  # the preview link
    url = reverse("admin:portal_rechtstext_change", args=[text.pk])
    r = client.get(url)
    assert r.status_code == 200 and "Vorschau" in r.content.decode()
    r = client.post(url, _formular(text, text_de="# Neu\n\nGeprüft.", geprueft_am="2025-12-01"))
    assert r.status_code == 302
    text.refresh_from_db()
    assert text.text_de.startswith("# Neu") and text.geprueft_am == dt.date(2025, 12, 1)
    assert text.geaendert_von == betrieb
    assert LogEntry.objects.filter(object_id=str(text.pk), user=betrieb).exists()
    assert "<h2>Neu</h2>" in client.get(reverse("barrierefreiheit")).content.decode()


@pytest.mark.django_db
def test_admin_verlangt_die_daten_der_erklaerung(client):
    client.force_login(_betrieb())
    r = client.post(
        reverse("admin:portal_rechtstext_add"),
        {"art": "barrierefreiheit", "text_de": "Text.", "text_en": ""},
    )
    assert r.status_code == 200
    assert "Die Erklärung zur Barrierefreiheit nennt dieses Datum." in r.content.decode()
    r = client.post(
        reverse("admin:portal_rechtstext_add"),
        {"art": "impressum", "text_de": "Text.", "erklaerung_vom": "2025-01-01"},
    )
    assert "Nur die Erklärung zur Barrierefreiheit nennt dieses Datum." in r.content.decode()
    assert not Rechtstext.objects.exists()


def test_nutzer_einer_stadt_bearbeitet_nicht(client, welt):
    text = _text(RechtstextArt.IMPRESSUM, text_de="Original.")
    url = reverse("admin:portal_rechtstext_change", args=[text.pk])
    for rolle in ("mitarbeit", "herausgabe", "freigabe_admin"):
        client.force_login(welt.user("augsburg", rolle))
        r = client.get(url)
        assert r.status_code == 302 and reverse("admin:login") in r["Location"]
        client.post(url, _formular(text, text_de="Übernommen."))
    # Staff without the model's permission: refused too.
    client.force_login(_betrieb("betrieb-ohne-recht", superuser=False))
    assert client.get(url).status_code == 403
    assert client.post(url, _formular(text, text_de="Übernommen.")).status_code == 403
    text.refresh_from_db()
    assert text.text_de == "Original."


@pytest.mark.django_db
def test_rechtstext_wird_nicht_geloescht(client):
    client.force_login(_betrieb())
    text = _text(RechtstextArt.IMPRESSUM, text_de="Bleibt.")
    r = client.post(reverse("admin:portal_rechtstext_delete", args=[text.pk]), {"post": "yes"})
    assert r.status_code == 403
    assert Rechtstext.objects.filter(pk=text.pk).exists()
