"""`seed --demo`: idempotent, every sharing state present, readable PDFs, working demo logins."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from common.suche import Anfrage
from kommunen.models import (
    Benachrichtigung,
    Benutzer,
    Freigabe,
    FreigabeStatus,
    Protokoll,
    Zugangsanfrage,
)
from portal.models import Rechtstext, RechtstextArt
from projekte.models import Abo, Beteiligung, Initiative, Nachnutzung, Projekt, Thema
from wissen.models import Dokument, Ergebnis

MODELLE = (
    Thema,
    Initiative,
    Projekt,
    Beteiligung,
    Ergebnis,
    Dokument,
    Freigabe,
    Zugangsanfrage,
    Abo,
    Nachnutzung,
    Benachrichtigung,
    Protokoll,
    Benutzer,
    Rechtstext,
)


def _seed_demo():
    call_command("seed", demo=True, stdout=io.StringIO())


def _zaehlen():
    return {m.__name__: m.objects.count() for m in MODELLE}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    _seed_demo()


def test_ohne_debug_verweigert(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        _seed_demo()
    assert not Projekt.objects.exists()


def test_zweiter_lauf_legt_nichts_an(demo):
    vorher = _zaehlen()
    natuerlich = sorted(Ergebnis.objects.values_list("kommune__slug", "titel"))
    _seed_demo()
    assert _zaehlen() == vorher
    assert sorted(Ergebnis.objects.values_list("kommune__slug", "titel")) == natuerlich
    assert vorher["Projekt"] >= 9 and vorher["Ergebnis"] >= 12
    for slug in ("muenchen", "nuernberg", "augsburg"):
        assert Projekt.objects.filter(kommune__slug=slug).count() >= 3
        assert Ergebnis.objects.filter(kommune__slug=slug).count() >= 4


def test_rechtstexte_des_demos(demo, client):
    """Impressum, Datenschutzerklärung and Barrierefreiheit are complete, by the operator."""
    assert set(Rechtstext.objects.values_list("art", flat=True)) == set(RechtstextArt.values)
    assert {t.geaendert_von.username for t in Rechtstext.objects.all()} == {"betrieb"}
    for art in RechtstextArt.values:
        html = client.get(reverse(art)).content.decode()
        assert "noch nicht veröffentlicht" not in html and "<h2>" in html


def test_jeder_freigabestatus_und_jede_art(demo):
    status = set(Freigabe.objects.values_list("status", flat=True))
    assert status == set(FreigabeStatus.values)
    erteilt = Freigabe.objects.filter(status=FreigabeStatus.ERTEILT)
    arten = set(erteilt.values_list("empfaenger_art", "umfang"))
    assert {
        ("kommune", "metadaten"),
        ("kommune", "vollstaendig"),
        ("verbund", "metadaten"),
        ("verbund", "vollstaendig"),
        ("oeffentlich", "vollstaendig"),
    } <= arten
    assert erteilt.filter(dokumente_zurueckgehalten=True).exists()  # VERSION-1
    assert Freigabe.objects.filter(status=FreigabeStatus.ABGELEHNT).exclude(begruendung="")
    assert set(Ergebnis.objects.values_list("art", flat=True)) == set(Ergebnis.Art.values)
    assert Zugangsanfrage.objects.filter(status="offen").count() >= 2
    assert Benachrichtigung.objects.exists()


def test_rechtliche_vielfalt(demo):
    assert Ergebnis.objects.filter(personenbezug="pseudonymisiert").exclude(rechtsgrundlage="")
    vsnfd = Ergebnis.objects.get(einstufung="vs_nfd")
    assert vsnfd.vsnfd_ansprechstelle and not vsnfd.dokumente.exists()
    assert set(vsnfd.freigaben.values_list("umfang", flat=True)) == {"metadaten"}
    assert Ergebnis.objects.filter(vergabebezug="bieterunterlagen", geschwaerzt=True).exists()
    assert Ergebnis.objects.filter(nutzungsrechte="ungeklaert").exists()
    offen = Ergebnis.objects.get(lizenz="DL-DE-BY-2.0")
    assert offen.quellenvermerk and offen.freigaben.filter(empfaenger_art="oeffentlich")
    assert Initiative.objects.filter(slug="ozg-efa").exclude(beschreibung="").exists()
    assert Projekt.objects.filter(titel="Digitaler Bauantrag", initiativen__slug="bayernid")


def test_pdfs_sind_lesbar_und_durchsuchbar(demo):
    dokumente = list(Dokument.objects.all())
    assert len(dokumente) >= 12
    for dokument in dokumente:
        with dokument.datei.open("rb") as f:
            daten = f.read()
        assert daten.startswith(b"%PDF-1.4") and len(daten) == dokument.groesse
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(daten)).pages)
        assert dokument.ergebnis.titel.split(":")[0] in text
        assert dokument.extraktion == "fertig"
        assert " ".join(dokument.text.split()) == " ".join(text.split())
    # The document text is in the stored vector for those who may download (PostgreSQL), not
    # in the metadata vector that everyone who sees the result searches.
    regalmeter = Anfrage.aus("Regalmeter").query
    assert not Ergebnis.objects.filter(suchvektor=regalmeter).exists()
    treffer = Ergebnis.objects.filter(suchvektor_mit_dokumenten=regalmeter)
    assert list(treffer.values_list("titel", flat=True)) == [
        "Machbarkeitsstudie E-Akte: Migration der Altakten"
    ]


ROLLENTEXT = {
    "mitarbeit": "Mitarbeiter/in",
    "herausgabe": "Herausgeber/in",
    "admin": "Zu entscheiden",
}


def test_jeder_demo_benutzer_meldet_sich_an(demo, client, settings):
    for slug, name in (
        ("muenchen", "München"),
        ("nuernberg", "Nürnberg"),
        ("augsburg", "Augsburg"),
    ):
        for rolle, text in ROLLENTEXT.items():
            username = f"{slug}-{rolle}"
            client.logout()
            antwort = client.post(
                "/anmelden/",
                {"username": username, "password": settings.DEMO_PASSWORD},
                follow=True,
            )
            assert antwort.status_code == 200
            user = antwort.wsgi_request.user
            assert user.get_username() == username
            inhalt = antwort.content.decode()
            gruss = f"Willkommen, {user.get_full_name()} ({name})."
            assert gruss in inhalt and text in inhalt
            # What partners shared through the Verbund shows on every city's start page.
            fremde = Projekt.objects.exclude(kommune=user.kommune).filter(
                freigaben__status="erteilt", freigaben__empfaenger_art="verbund"
            )
            assert any(p.titel in inhalt for p in fremde), username
    admins = Benutzer.objects.filter(username__endswith="-admin")
    assert all(Benachrichtigung.objects.filter(empfaenger=a).exists() for a in admins)


def test_rahmenvertrag_nennt_einen_partner_und_den_anderen_nicht(demo, client):
    """Both texts of the reuse form are visible in the demo (§ 21 Abs. 2 VgV)."""
    p = Projekt.objects.get(titel="E-Akte für die Stadtverwaltung")
    assert p.rahmenvertrag
    assert list(p.rahmenvertrag_kommunen.values_list("slug", flat=True)) == ["augsburg"]
    assert Nachnutzung.objects.get(projekt=p).rahmenvertrag_abrufen
    assert Benachrichtigung.objects.filter(
        ereignis="nachnutzung", text__contains="Abruf aus Ihrem Rahmenvertrag"
    ).exists()
    client.force_login(Benutzer.objects.get(username="augsburg-mitarbeit"))
    html = client.get(p.get_absolute_url()).content.decode()
    assert 'name="rahmenvertrag_abrufen"' in html
    client.force_login(Benutzer.objects.get(username="nuernberg-mitarbeit"))
    html = client.get(p.get_absolute_url()).content.decode()
    assert 'name="rahmenvertrag_abrufen"' not in html
    assert "ist für Ihre Kommune nicht möglich" in html


def test_loeschdatum_ueberschritten_im_demo(demo, client):
    """LOESCH-1 in the demo: a result past its Löschdatum whose Freigabe is suspended, whose
    owners were reminded, and which cannot be shared again."""
    e = Ergebnis.objects.get(titel="Auswertung der Online-Terminbuchung im Bürgeramt")
    assert e.loeschdatum_ueberschritten and e.loeschdatum_erinnert_fuer == e.loeschdatum
    (f,) = e.freigaben.all()
    assert f.status == FreigabeStatus.AUSGESETZT and "LOESCH-1" in f.beendet_grund
    assert f.gueltig_bis == e.loeschdatum
    erinnert = Benachrichtigung.objects.filter(ereignis="loeschdatum_erinnerung")
    assert set(erinnert.values_list("empfaenger__username", flat=True)) == {
        "nuernberg-herausgabe",
        "nuernberg-admin",
    }
    client.force_login(Benutzer.objects.get(username="nuernberg-herausgabe"))
    assert "ist überschritten" in client.get(e.get_absolute_url()).content.decode()
    daten = {
        "empfaenger_art": "kommune",
        "empfaenger_kommune": f.empfaenger_kommune_id,
        "umfang": "metadaten",
    }
    antwort = client.post(f"/ergebnisse/{e.pk}/freigeben/pruefen/", daten)
    assert "LOESCH-1" in antwort.content.decode()
    assert Ergebnis.objects.filter(loeschdatum__isnull=False).count() >= 2
