"""Freigabevermerk: every decision on a Freigabe leaves a PDF memo for the city's e-file."""

import csv
import datetime as dt
import functools
import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kommunen import rules, services, vermerk_pdf
from kommunen.models import Freigabe, FreigabeStatus, Freigabevermerk, Protokoll, Rolle
from portal.sicherung import dateien
from projekte.services import projekt_loeschen
from tests.factories import projekt_anlegen

A = Protokoll.Aktion
ART = Freigabevermerk.Art
TITEL = "Straßenbeleuchtung: Übersicht der Maßnahmen"


@pytest.fixture
def m(welt):
    class M:
        her = services.benutzer_anlegen(
            username="muenchen-her",
            kommune=welt.muenchen,
            rolle=Rolle.HERAUSGABE,
            first_name="Jürgen",
            last_name="Größl",
        )
        admin = services.benutzer_anlegen(
            username="muenchen-adm",
            kommune=welt.muenchen,
            rolle=Rolle.FREIGABE_ADMIN,
            first_name="Bärbel",
            last_name="Öztürk",
        )
        mitarbeit = welt.user("muenchen", Rolle.MITARBEIT)

    return M


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """The block's commits happen at its end, with what follows them (the memo's PDF)."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


def beantragen(welt, m, objekt, **kw):
    heute = timezone.localdate()
    werte = {
        "empfaenger_art": "kommune",
        "empfaenger_kommune": welt.augsburg,
        "umfang": "vollstaendig",
        "rechtsgrundlage": "Art. 8 BayEGovG (Zusammenarbeit der Behörden)",
        "gueltig_ab": heute,
        "gueltig_bis": heute + dt.timedelta(days=400),
    }
    werte.update(kw)
    return services.freigabe_beantragen(objekt=objekt, by=m.her, **werte)


def text(vermerk) -> str:
    with default_storage.open(vermerk.datei.name, "rb") as datei:
        return "\n".join(seite.extract_text() for seite in PdfReader(datei).pages)


def einzeilig(s: str) -> str:
    # Text extraction breaks long lines where the PDF wraps them.
    return " ".join(s.split())


def zeile(freigabe, aktion) -> Protokoll:
    return Protokoll.objects.get(freigabe_id_ref=freigabe.pk, aktion=aktion)


def pruefen(vermerk, freigabe, aktion, *namen):
    """What every memo says: object, recipient, validity, rules, people, Protokoll row."""
    assert vermerk.vorhanden
    with default_storage.open(vermerk.datei.name, "rb") as datei:
        assert hashlib.sha256(datei.read()).hexdigest() == vermerk.sha256
    inhalt = einzeilig(text(vermerk))
    assert TITEL in inhalt  # umlauts and ß survive extraction
    assert "Augsburg" in inhalt and "München" in inhalt
    assert "Übermittlungsgrundlage" in inhalt
    assert freigabe.gueltig_ab.strftime("%d.%m.%Y") in inhalt
    assert freigabe.gueltig_bis.strftime("%d.%m.%Y") in inhalt
    assert "Art. 8 BayEGovG (Zusammenarbeit der Behörden)" in inhalt
    for regel in rules.REGEL_IDS:
        assert f"(Regel {regel})" in inhalt
    for name in namen:
        assert name in inhalt
    protokoll = zeile(freigabe, aktion)
    assert vermerk.protokoll_id == protokoll.pk
    assert f"Protokolleintrag Nr. {protokoll.pk}" in inhalt
    assert f"Protokoll-Nr. {protokoll.pk}" in inhalt
    return inhalt


def test_erteilung_hat_vermerk(welt, m, django_capture_on_commit_callbacks):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    with django_capture_on_commit_callbacks() as nach_commit:
        f = services.freigabe_erteilen(freigabe=beantragen(welt, m, p), by=m.admin)
    vermerk = Freigabevermerk.objects.get(freigabe=f)
    # The content is there with the decision; the PDF is drawn once it is committed.
    assert vermerk.inhalt["protokoll_nr"] == zeile(f, A.FREIGABE_ERTEILT).pk
    assert not vermerk.vorhanden
    for callback in nach_commit:
        callback()
    vermerk.refresh_from_db()
    assert vermerk.art == ART.ERTEILT
    inhalt = pruefen(vermerk, f, A.FREIGABE_ERTEILT, "Jürgen Größl (muenchen-her)", "Bärbel Öztürk")
    assert "Freigabevermerk: Erteilung der Freigabe Nr." in inhalt
    assert "vollständig" in inhalt
    assert vermerk.datei.name.startswith(f"vermerke/{welt.muenchen.pk}/{f.pk}/")


def test_ablehnung_hat_vermerk_mit_begruendung(welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    with commit():
        f = services.freigabe_ablehnen(
            freigabe=beantragen(welt, m, p),
            by=m.admin,
            begruendung="Zweck unklar – bitte ergänzen",
        )
    vermerk = Freigabevermerk.objects.get(freigabe=f)
    assert vermerk.art == ART.ABGELEHNT
    inhalt = pruefen(vermerk, f, A.FREIGABE_ABGELEHNT, "Bärbel Öztürk (muenchen-adm)")
    assert "Ablehnung" in inhalt
    assert "Zweck unklar – bitte ergänzen" in inhalt


def test_widerruf_hat_eigenen_vermerk(welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    with commit():
        f = services.freigabe_erteilen(freigabe=beantragen(welt, m, p), by=m.admin)
    with commit():
        f = services.freigabe_widerrufen(freigabe=f, by=m.admin, grund="Projekt beendet")
    erteilt, widerrufen = Freigabevermerk.objects.filter(freigabe=f).order_by("pk")
    assert (erteilt.art, widerrufen.art) == (ART.ERTEILT, ART.WIDERRUFEN)
    inhalt = pruefen(widerrufen, f, A.FREIGABE_WIDERRUFEN, "Widerrufen von Bärbel Öztürk")
    assert "Projekt beendet" in inhalt
    assert erteilt.protokoll_id != widerrufen.protokoll_id


def test_vier_augen_und_rechtliche_angaben_im_vermerk(client, welt, m, commit):
    p = projekt_anlegen(
        welt.muenchen,
        m.her,
        titel=TITEL,
        personenbezug="personenbezogen",
        rechtsgrundlage="Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG",
        zweck="Evaluation der Verkehrszählung",
        loeschdatum=timezone.localdate() + dt.timedelta(days=800),
    )
    f = beantragen(
        welt,
        m,
        p,
        uebermittlungsgrundlage="aufgabe",
        empfaenger_zweck="Evaluation der Verkehrszählung",
    )
    client.force_login(m.admin)  # the decision's own path: the admins' form
    with commit():
        antwort = client.post(
            reverse("kommunen:freigabe_entscheiden", args=[f.pk]),
            {"aktion": "erteilen", "bestaetigt": "1"},
        )
    assert antwort.status_code == 302
    vermerk = Freigabevermerk.objects.get(freigabe=f)
    inhalt = pruefen(vermerk, f, A.FREIGABE_ERTEILT)
    assert (
        "Vier-Augen-Prinzip gewahrt: vorgeschlagen von Jürgen Größl (muenchen-her), München, "
        "entschieden von Bärbel Öztürk (muenchen-adm), München"
    ) in inhalt
    assert "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG" in inhalt
    assert "Evaluation der Verkehrszählung" in inhalt
    assert p.loeschdatum.strftime("%d.%m.%Y") in inhalt


def test_beanstandete_regel_steht_mit_meldung_und_id():
    inhalt = {
        "titel": "Freigabevermerk: Ablehnung der Freigabe Nr. 7",
        "untertitel": "„Ä“ an Verbund",
        "freigabe_nr": 7,
        "protokoll_nr": 9,
        "eigentuemer": "München",
        "objekt_titel": "Ä",
        "abschnitte": [],
        "regeln_hinweis": "",
        "regeln": [
            {
                "id": "VERBUND-1",
                "wann": "Empfänger Verbund",
                "ergebnis": "beanstandet",
                "meldungen": ["Die Kommune ist nicht Mitglied des Verbunds."],
            }
        ],
        "schluss": "",
    }
    assert vermerk_pdf.regel_saetze(inhalt["regeln"][0]) == [
        "Empfänger Verbund: beanstandet – Die Kommune ist nicht Mitglied des Verbunds. "
        "(Regel VERBUND-1)"
    ]
    daten = vermerk_pdf.zeichnen(inhalt)
    assert daten == vermerk_pdf.zeichnen(inhalt)  # the same content, the same bytes
    gelesen = einzeilig("\n".join(s.extract_text() for s in PdfReader(io.BytesIO(daten)).pages))
    assert "beanstandet – Die Kommune ist nicht Mitglied des Verbunds. (Regel VERBUND-1)" in (
        gelesen
    )


@pytest.mark.parametrize("schrift", ["dejavu", "ohne"])
def test_umlaute_mit_und_ohne_dejavu(tmp_path, schrift):
    satz = "Größe „Übersicht“ – Maßnahmen für Öffentlichkeit"
    inhalt = {
        "titel": satz,
        "untertitel": satz,
        "freigabe_nr": 1,
        "protokoll_nr": 2,
        "eigentuemer": "München",
        "objekt_titel": satz,
        "abschnitte": [{"titel": "Gegenstand", "zeilen": [["Titel", satz]]}],
        "regeln_hinweis": "",
        "regeln": [],
        "schluss": satz,
    }
    ordner = vermerk_pdf.DEJAVU if schrift == "dejavu" else tmp_path
    pdf = PdfReader(io.BytesIO(vermerk_pdf.zeichnen(inhalt, schriftordner=ordner)))
    assert einzeilig(pdf.pages[0].extract_text()).count(satz) >= 3
    schriften = {
        str(f.get_object()["/BaseFont"]) for f in pdf.pages[0]["/Resources"]["/Font"].values()
    }
    if schrift == "dejavu":
        assert any("DejaVuSans" in name for name in schriften)  # embedded subset
    else:
        assert "/Helvetica" in schriften


def test_genehmigte_zugangsanfrage_hat_vermerk(welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    services.freigabe_erteilen(freigabe=beantragen(welt, m, p, umfang="metadaten"), by=m.admin)
    a = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("augsburg"), begruendung="Wir planen dasselbe."
    )
    with commit():
        a = services.zugangsanfrage_entscheiden(anfrage=a, by=m.admin, genehmigen=True)
    vermerk = Freigabevermerk.objects.get(freigabe=a.freigabe)
    assert vermerk.art == ART.ERTEILT
    inhalt = einzeilig(text(vermerk))
    assert f"Zugangsanfrage Nr. {a.pk}" in inhalt
    assert f"Protokolleintrag Nr. {zeile(a.freigabe, A.FREIGABE_ERTEILT).pk}" in inhalt


def test_ablauf_hat_vermerk(welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    f = services.freigabe_erteilen(freigabe=beantragen(welt, m, p), by=m.admin)
    with commit():
        services.freigaben_ablaufen(heute=f.gueltig_bis + dt.timedelta(days=1))
    vermerk = Freigabevermerk.objects.get(freigabe=f, art=ART.ABGELAUFEN)
    inhalt = einzeilig(text(vermerk))
    assert "Fristablauf" in inhalt
    assert f"Protokolleintrag Nr. {zeile(f, A.FREIGABE_ABGELAUFEN).pk}" in inhalt


# --- who may download -------------------------------------------------------------------------


@pytest.fixture
def erteilt(welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    with commit():
        f = services.freigabe_erteilen(freigabe=beantragen(welt, m, p), by=m.admin)
    return f, Freigabevermerk.objects.get(freigabe=f)


def adresse(vermerk) -> str:
    return reverse("kommunen:vermerk_download", args=[vermerk.freigabe_id, vermerk.pk])


def test_download_fuer_freigabe_admin_der_besitzerin(client, m, erteilt):
    _f, vermerk = erteilt
    client.force_login(m.admin)
    response = client.get(adresse(vermerk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="freigabevermerk-{vermerk.freigabe_id}-{vermerk.protokoll_id}'
        f'-erteilt.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    daten = b"".join(response.streaming_content)
    assert hashlib.sha256(daten).hexdigest() == vermerk.sha256


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [
        ("muenchen", Rolle.MITARBEIT),
        ("muenchen", Rolle.HERAUSGABE),
        ("augsburg", Rolle.FREIGABE_ADMIN),  # the recipient
        ("augsburg", Rolle.MITARBEIT),
        ("regensburg", Rolle.FREIGABE_ADMIN),  # no Freigabe at all
    ],
)
def test_download_sonst_404(client, welt, erteilt, slug, rolle):
    _f, vermerk = erteilt
    client.force_login(welt.user(slug, rolle))
    response = client.get(adresse(vermerk))
    assert response.status_code == 404
    assert TITEL not in response.content.decode()


def test_download_anonym_fuehrt_zur_anmeldung(client, erteilt):
    _f, vermerk = erteilt
    response = client.get(adresse(vermerk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_falsche_freigabe_404(client, welt, m, erteilt):
    _f, vermerk = erteilt
    andere = beantragen(welt, m, projekt_anlegen(welt.muenchen, m.her))
    client.force_login(m.admin)
    url = reverse("kommunen:vermerk_download", args=[andere.pk, vermerk.pk])
    assert client.get(url).status_code == 404


def test_detailseite_und_protokoll_verlinken_vermerk(client, m, erteilt):
    f, vermerk = erteilt
    client.force_login(m.admin)
    html = client.get(reverse("kommunen:freigabe_detail", args=[f.pk])).content.decode()
    assert f'href="{adresse(vermerk)}"' in html
    assert vermerk.sha256 in html
    html = client.get(reverse("kommunen:protokoll")).content.decode()
    assert html.count(f'href="{adresse(vermerk)}"') == 1
    response = client.get(reverse("kommunen:protokoll_export"))
    zeilen = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert zeilen[0][-1] == "Freigabevermerk (SHA-256)"
    erteilt_zeile = [z for z in zeilen if z[1] == "Freigabe erteilt"]
    assert [z[-1] for z in erteilt_zeile] == [vermerk.sha256]


def test_andere_kommune_sieht_keinen_vermerk_im_protokoll(client, welt, erteilt):
    _f, vermerk = erteilt
    client.force_login(welt.user("augsburg", Rolle.FREIGABE_ADMIN))
    html = client.get(reverse("kommunen:protokoll")).content.decode()
    assert adresse(vermerk) not in html and TITEL not in html


# --- robust: the decision stands, the memo follows ---------------------------------------------


def test_ablage_faellt_aus_entscheidung_steht_vermerk_folgt(client, welt, m, monkeypatch, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    f = beantragen(welt, m, p)

    def kaputt(*args, **kwargs):
        raise OSError("Ablage nicht erreichbar")

    speicher = Freigabevermerk._meta.get_field("datei").storage
    speicher.exists("x")  # the lazy default storage is set up now
    with monkeypatch.context() as mp:
        mp.setattr(type(speicher._wrapped), "save", kaputt)
        with commit():
            f = services.freigabe_erteilen(freigabe=f, by=m.admin)
    assert Freigabe.objects.get(pk=f.pk).status == FreigabeStatus.ERTEILT
    vermerk = Freigabevermerk.objects.get(freigabe=f)
    assert not vermerk.vorhanden and vermerk.sha256 == ""
    client.force_login(m.admin)
    assert client.get(adresse(vermerk)).status_code == 404
    assert (
        "wird erstellt"
        in client.get(reverse("kommunen:freigabe_detail", args=[f.pk])).content.decode()
    )

    # Operations see what is owed on /healthz.
    rueckstand = client.get("/healthz").json()["rueckstand"]
    assert rueckstand["vermerke"] == 1 and rueckstand["vermerke_aeltestes_s"] >= 0

    # The object changes before the sweep: the memo still tells the decision as it stood.
    p.titel = "Ganz anderer Titel"
    p.save()
    assert services.vermerke_nachholen() == 1
    assert services.vermerke_nachholen() == 0
    vermerk.refresh_from_db()
    inhalt = pruefen(vermerk, f, A.FREIGABE_ERTEILT, "Bärbel Öztürk")
    assert "Ganz anderer Titel" not in inhalt
    assert client.get(adresse(vermerk)).status_code == 200
    assert client.get("/healthz").json()["rueckstand"]["vermerke"] == 0


def test_fehler_beim_zeichnen_laesst_entscheidung_stehen(welt, m, monkeypatch, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    f = beantragen(welt, m, p)
    monkeypatch.setattr(vermerk_pdf, "zeichnen", lambda inhalt: 1 / 0)
    with commit():
        f = services.freigabe_ablehnen(freigabe=f, by=m.admin, begruendung="nein")
    assert Freigabe.objects.get(pk=f.pk).status == FreigabeStatus.ABGELEHNT
    assert Freigabevermerk.objects.get(freigabe=f).datei.name == ""


# --- the record: deletion and backups ----------------------------------------------------------


def test_vermerke_bleiben_wenn_objekt_geloescht_wird(client, welt, m, commit):
    p = projekt_anlegen(welt.muenchen, m.her, titel=TITEL)
    with commit():
        f = services.freigabe_erteilen(freigabe=beantragen(welt, m, p), by=m.admin)
    with commit():
        projekt_loeschen(projekt=p, by=m.her)
    vermerke = list(Freigabevermerk.objects.filter(freigabe=f).order_by("pk"))
    assert [v.art for v in vermerke] == [ART.ERTEILT, ART.WIDERRUFEN]
    assert "Objekt gelöscht" in einzeilig(text(vermerke[1]))
    client.force_login(m.admin)
    for v in vermerke:
        assert default_storage.exists(v.datei.name)
        assert client.get(adresse(v)).status_code == 200
    with pytest.raises(Exception, match="nicht gelöscht"):
        vermerke[0].delete()


def test_sicherung_nimmt_vermerke_mit_pruefsumme_mit(welt, m, erteilt):
    _f, vermerk = erteilt
    verweise = [
        v for v in dateien.verweise_lesen() if v["feld"] == "kommunen.freigabevermerk.datei"
    ]
    assert verweise == [
        {
            "feld": "kommunen.freigabevermerk.datei",
            "pk": vermerk.pk,
            "name": vermerk.datei.name,
            "sha256_datenbank": vermerk.sha256,
        }
    ]
