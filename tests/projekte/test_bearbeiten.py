"""Creating and editing projects (herausgabe): permissions, forged fields, scripts, Protokoll."""

import datetime as dt

import pytest
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse

from kommunen import services, sharing
from kommunen.models import EmpfaengerArt, FreigabeStatus, Protokoll, Umfang
from projekte.models import Beteiligung, Initiative, Projekt, Thema
from tests.factories import projekt_anlegen
from tests.formulare import projekt_daten

NEU = reverse("projekte:neu")
SKRIPT = '<script>alert("x")</script>'


def _bearbeiten_daten(projekt, **extra):
    daten = projekt_daten(titel=projekt.titel, zusammenfassung=projekt.zusammenfassung)
    daten.pop("beteiligung-0-akteur")
    daten.pop("beteiligung-0-art")
    daten.pop("beteiligung-0-beschreibung")
    daten.update(extra)
    return daten


@pytest.fixture
def thema(db):
    return Thema.objects.create(name="Bauen", slug="bauen")


# --- permissions ------------------------------------------------------------------------


def test_anonym_wird_zur_anmeldung_geschickt(client, welt):
    projekt = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    for url in (NEU, reverse("projekte:bearbeiten", args=[projekt.pk])):
        r = client.get(url)
        assert r.status_code == 302
        assert r.url.startswith(reverse("login"))
    r = client.post(NEU, projekt_daten())
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert Projekt.objects.count() == 1


@pytest.mark.parametrize("rolle", ["mitarbeit", "freigabe_admin"])
def test_nur_herausgabe_legt_an(client, welt, rolle):
    client.force_login(welt.user("muenchen", rolle))
    assert client.get(NEU).status_code == 403
    assert client.post(NEU, projekt_daten()).status_code == 403
    assert not Projekt.objects.exists()


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [
        ("muenchen", "mitarbeit"),
        ("muenchen", "freigabe_admin"),
        ("augsburg", "herausgabe"),
        ("regensburg", "herausgabe"),
    ],
)
def test_bearbeiten_ohne_recht_404(client, welt, slug, rolle):
    projekt = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="Alt")
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    client.force_login(welt.user(slug, rolle))
    assert client.get(url).status_code == 404
    assert client.post(url, _bearbeiten_daten(projekt, titel="Neu")).status_code == 404
    projekt.refresh_from_db()
    assert projekt.titel == "Alt"


def test_partner_mit_nur_metadaten_darf_nicht_bearbeiten(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Alt")
    f = services.freigabe_beantragen(
        objekt=projekt,
        by=her,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.METADATEN,
    )
    services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    client.force_login(welt.user("augsburg", "herausgabe"))
    assert client.get(projekt.get_absolute_url()).status_code == 200
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    assert client.post(url, _bearbeiten_daten(projekt, titel="Neu")).status_code == 404
    projekt.refresh_from_db()
    assert projekt.titel == "Alt"


# --- create ------------------------------------------------------------------------------


def test_anlegen_mit_allem(client, welt, thema):
    her = welt.user("muenchen", "herausgabe")
    initiative = Initiative.objects.create(
        name="OZG/EfA",
        slug="ozg",
        ebene="bund",
        beschreibung="Einer für Alle: Onlinedienste nachnutzen statt selbst bauen.",
    )
    client.force_login(her)
    r = client.get(NEU)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Einer für Alle: Onlinedienste nachnutzen" in html  # what it means for cities
    # Every legal field is explained, in fieldsets with legends.
    assert "<legend>Personenbezogene Daten (DSGVO)</legend>" in html
    assert "§ 31 Abs. 5 UrhG" in html
    assert 'aria-describedby="id_personenbezug_helptext"' in html

    r = client.post(NEU, projekt_daten(themen=[thema.pk], initiativen=[initiative.pk]))
    assert r.status_code == 302
    projekt = Projekt.objects.get()
    assert r.url == projekt.get_absolute_url()
    assert projekt.kommune == welt.muenchen
    assert projekt.erstellt_von == her
    assert projekt.budget_eur == 250000
    assert list(projekt.themen.all()) == [thema]
    assert list(projekt.initiativen.all()) == [initiative]
    assert list(projekt.beteiligungen.values_list("akteur", "art")) == [
        ("Handwerkskammer", "konsultation")
    ]
    # Permissions synced: the author may edit and share; a partner sees nothing.
    assert sharing.can(her, "change", projekt)
    assert sharing.can(welt.user("muenchen", "freigabe_admin"), "share", projekt)
    assert not sharing.can(welt.user("augsburg"), "view", projekt)
    eintrag = Protokoll.objects.get(aktion=Protokoll.Aktion.OBJEKT_ERSTELLT)
    assert eintrag.object_id == projekt.pk and eintrag.akteur == her
    # Search vector written in the same step.
    assert Projekt.objects.filter(suchvektor=SearchQuery("Bauanträge", config="german")).exists()


def test_gefaelschte_kommune_und_autorin_werden_ignoriert(client, welt):
    her = welt.user("muenchen", "herausgabe")
    fremd = welt.user("augsburg", "herausgabe")
    client.force_login(her)
    r = client.post(
        NEU,
        projekt_daten(kommune=welt.augsburg.pk, erstellt_von=fremd.pk, kommune_id=welt.augsburg.pk),
    )
    assert r.status_code == 302
    projekt = Projekt.objects.get()
    assert projekt.kommune == welt.muenchen
    assert projekt.erstellt_von == her


def test_service_verweigert_gefaelschte_felder(welt):
    from django.core.exceptions import ValidationError

    from projekte import services as projekt_services

    with pytest.raises(ValidationError, match="kommune"):
        projekt_services.projekt_anlegen(
            by=welt.user("muenchen", "herausgabe"),
            titel="X",
            zusammenfassung="Y",
            kommune=welt.augsburg,
        )
    assert not Projekt.objects.exists()


@pytest.mark.parametrize(
    ("extra", "feld", "meldung"),
    [
        (
            {"laufzeit_von": "2026-01-01", "laufzeit_bis": "2025-01-01"},
            "laufzeit_bis",
            "Das Ende der Laufzeit liegt vor ihrem Beginn.",
        ),
        ({"budget_eur": "-5"}, "budget_eur", "Das Budget kann nicht negativ sein."),
        (
            {"personenbezug": "personenbezogen"},
            "rechtsgrundlage",
            "Bei personenbezogenen Daten ist die Rechtsgrundlage anzugeben",
        ),
        ({"einstufung": "vs_nfd"}, "vsnfd_ansprechstelle", "VSNFD-1"),
        ({"einstufung": "streng_geheim"}, "einstufung", "keine gültige Auswahl"),
        ({"titel": ""}, "titel", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_ungueltige_eingaben_400_mit_meldung_am_feld(client, welt, extra, feld, meldung):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(NEU, projekt_daten(**extra))
    assert r.status_code == 400
    html = r.content.decode()
    assert meldung in html
    # The message is tied to its input and listed in the summary at the top.
    assert f'id="id_{feld}_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="fehler-zusammenfassung"' in html
    assert not Projekt.objects.exists()
    assert not Beteiligung.objects.exists()


def test_skripte_werden_als_text_gespeichert_und_nie_als_html_gezeigt(client, welt):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(
        NEU,
        projekt_daten(titel=SKRIPT, zusammenfassung=SKRIPT, beschreibung=f"Text {SKRIPT}"),
    )
    assert r.status_code == 302
    projekt = Projekt.objects.get()
    assert projekt.titel == SKRIPT
    assert projekt.beschreibung == f"Text {SKRIPT}"
    for url in (projekt.get_absolute_url(), reverse("projekte:bearbeiten", args=[projekt.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


# --- edit --------------------------------------------------------------------------------


def test_bearbeiten_protokolliert_beschreibung(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Alt")
    client.force_login(her)
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert 'value="Alt"' in r.content.decode()
    r = client.post(url, _bearbeiten_daten(projekt, titel="Neu", status="betrieb"))
    assert r.status_code == 302
    projekt.refresh_from_db()
    assert (projekt.titel, projekt.status) == ("Neu", "betrieb")
    eintrag = Protokoll.objects.get(aktion=Protokoll.Aktion.OBJEKT_BEARBEITET)
    assert "Titel" in eintrag.details["felder"]
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.RECHTLICHES_GEAENDERT).exists()


def test_rechtliche_aenderung_prueft_freigaben_neu(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her)
    f = services.freigabe_beantragen(
        objekt=projekt,
        by=her,
        empfaenger_art=EmpfaengerArt.VERBUND,
        empfaenger_verbund=welt.verbund,
        umfang=Umfang.VOLLSTAENDIG,
    )
    services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    assert sharing.can(welt.user("augsburg"), "view", projekt)
    client.force_login(her)
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    daten = _bearbeiten_daten(
        projekt,
        personenbezug="personenbezogen",
        rechtsgrundlage="Art. 6 Abs. 1 lit. e DSGVO",
        zweck="Planung",
        loeschdatum=(dt.date.today() + dt.timedelta(days=365)).isoformat(),
        einwilligung="keine",
    )
    # First the page says what saving would do, and nothing is saved yet.
    r = client.post(url, daten)
    assert r.status_code == 200
    seite = r.content.decode()
    assert "Was das Speichern bewirkt" in seite
    assert f"Freigabe Nr. {f.pk} an {welt.verbund} wird ausgesetzt" in seite
    assert "DSGVO-1" in seite and 'name="folgen_bestaetigt"' in seite
    f.refresh_from_db()
    projekt.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT and projekt.personenbezug == "keiner"
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.RECHTLICHES_GEAENDERT).exists()
    # Confirmed, it is saved, and the message says what happened.
    r = client.post(url, {**daten, "folgen_bestaetigt": "1"}, follow=True)
    assert r.redirect_chain[-1][0] == projekt.get_absolute_url()
    assert f"Ausgesetzt (kein Zugang, bis erneut erteilt): Nr. {f.pk} an {welt.verbund}" in (
        r.content.decode()
    )
    f.refresh_from_db()
    # Personal data may not go to a Verbund (DSGVO-1): the Freigabe is suspended.
    assert f.status == FreigabeStatus.AUSGESETZT
    assert "DSGVO-1" in f.beendet_grund
    assert not sharing.can(welt.user("augsburg"), "view", projekt)
    eintrag = Protokoll.objects.get(aktion=Protokoll.Aktion.RECHTLICHES_GEAENDERT)
    assert eintrag.details["personenbezug"] == ["keiner", "personenbezogen"]


def test_beteiligung_aendern_und_loeschen(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her)
    b = Beteiligung.objects.create(projekt=projekt, akteur="Seniorenbeirat", art="information")
    client.force_login(her)
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    daten = _bearbeiten_daten(
        projekt,
        **{
            "beteiligung-TOTAL_FORMS": "2",
            "beteiligung-INITIAL_FORMS": "1",
            "beteiligung-0-id": str(b.pk),
            "beteiligung-0-projekt": str(projekt.pk),
            "beteiligung-0-akteur": "Seniorenbeirat",
            "beteiligung-0-art": "information",
            "beteiligung-0-DELETE": "on",
            "beteiligung-1-akteur": "Jugendparlament",
            "beteiligung-1-art": "mitentscheidung",
        },
    )
    assert client.post(url, daten).status_code == 302
    assert list(projekt.beteiligungen.values_list("akteur", flat=True)) == ["Jugendparlament"]
    assert (
        "Beteiligung"
        in Protokoll.objects.get(aktion=Protokoll.Aktion.OBJEKT_BEARBEITET).details["felder"]
    )


def test_mitarbeit_partner_bearbeitet_beschreibung_nicht_rechtliches(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Gemeinsam")
    f = services.freigabe_beantragen(
        objekt=projekt,
        by=her,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.MITARBEIT,
    )
    services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    url = reverse("projekte:bearbeiten", args=[projekt.pk])
    # Co-editing is the partner's Herausgabe's; its other staff read only.
    for rolle in ("mitarbeit", "freigabe_admin"):
        client.force_login(welt.user("augsburg", rolle))
        assert client.get(url).status_code == 404
        r = client.post(url, _bearbeiten_daten(projekt, titel="Von der Seite"))
        assert r.status_code == 404
    projekt.refresh_from_db()
    assert projekt.titel == "Gemeinsam"
    partner = welt.user("augsburg", "herausgabe")
    client.force_login(partner)
    r = client.get(url)
    assert r.status_code == 200
    assert 'name="einstufung"' not in r.content.decode()
    # A forged legal field is not part of the form and so changes nothing.
    r = client.post(url, _bearbeiten_daten(projekt, titel="Gemeinsam 2", einstufung="offen"))
    assert r.status_code == 302
    projekt.refresh_from_db()
    assert projekt.titel == "Gemeinsam 2"
    assert projekt.einstufung == "intern"
    assert projekt.kommune == welt.muenchen


@pytest.mark.parametrize(
    ("slug", "rolle", "bearbeiten", "teilen"),
    [
        ("muenchen", "herausgabe", True, True),
        ("muenchen", "freigabe_admin", False, True),
        ("muenchen", "mitarbeit", False, False),
        ("augsburg", "herausgabe", False, False),
    ],
)
def test_aktionen_auf_den_detailseiten(client, welt, slug, rolle, bearbeiten, teilen):
    from tests.factories import ergebnis_anlegen, freigeben

    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her)
    ergebnis = ergebnis_anlegen(welt.muenchen, her)
    freigeben(welt, projekt, an=welt.augsburg, umfang=Umfang.METADATEN)
    freigeben(welt, ergebnis, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user(slug, rolle))
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert (reverse("projekte:bearbeiten", args=[projekt.pk]) in html) is bearbeiten
    assert (reverse("projekte:freigeben", args=[projekt.pk]) in html) is teilen
    html = client.get(ergebnis.get_absolute_url()).content.decode()
    assert (reverse("wissen:bearbeiten", args=[ergebnis.pk]) in html) is bearbeiten
    assert (reverse("wissen:dokument_neu", args=[ergebnis.pk]) in html) is bearbeiten
    assert (reverse("wissen:freigeben", args=[ergebnis.pk]) in html) is teilen


def test_mitarbeit_partner_laedt_keine_dokumente_hoch(client, welt):
    """Documents are the owner's: a co-editing partner can neither see the upload nor use it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import ergebnis_anlegen, freigeben
    from wissen.models import Dokument

    her = welt.user("muenchen", "herausgabe")
    ergebnis = ergebnis_anlegen(welt.muenchen, her)
    freigeben(welt, ergebnis, an=welt.augsburg, umfang=Umfang.MITARBEIT)
    partner = welt.user("augsburg", "herausgabe")
    assert sharing.can(partner, "change", ergebnis)
    client.force_login(partner)
    hochladen = reverse("wissen:dokument_neu", args=[ergebnis.pk])
    html = client.get(ergebnis.get_absolute_url()).content.decode()
    assert reverse("wissen:bearbeiten", args=[ergebnis.pk]) in html
    assert hochladen not in html
    assert client.get(hochladen).status_code == 404
    datei = SimpleUploadedFile("notiz.txt", b"Eine Notiz der Partnerstadt.\n", "text/plain")
    assert client.post(hochladen, {"datei": datei}).status_code == 404
    assert not Dokument.objects.filter(ergebnis=ergebnis).exists()
    with pytest.raises(services.KeineBerechtigung):
        from wissen import services as wissen_services

        wissen_services.dokument_hochladen(
            ergebnis=ergebnis,
            datei=SimpleUploadedFile("n.txt", b"Noch eine Notiz.\n", "text/plain"),
            by=partner,
        )
    assert not Dokument.objects.filter(ergebnis=ergebnis).exists()


def test_neu_anlegen_in_der_navigation_nur_fuer_herausgabe(client, welt):
    auswahl = reverse("neu_anlegen")  # Projekt and Ergebnis side by side
    client.force_login(welt.user("muenchen", "herausgabe"))
    assert f'href="{auswahl}"' in client.get(reverse("start")).content.decode()
    client.force_login(welt.user("muenchen", "mitarbeit"))
    assert f'href="{auswahl}"' not in client.get(reverse("start")).content.decode()
