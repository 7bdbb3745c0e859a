"""The three journeys of the issue, in Chromium, each page checked with axe-core.

1. A München CDO creates a study with a PDF and proposes sharing it fully with Augsburg;
   a München admin approves it in the inbox.
2. An Augsburg staff member finds it by a word that is only inside the PDF and downloads it;
   a Nürnberg staff member finds nothing and gets 404 on its address and its download.
3. A Nürnberg staff member sees a metadata-only result, asks for access, the owner's admin
   approves, the document downloads, and the owner's Protokoll shows every step.
"""

import re
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from kommunen import services
from kommunen.models import EmpfaengerArt, Freigabe, FreigabeStatus, Protokoll, Rolle, Umfang
from portal.demo_pdf import pdf_erzeugen
from tests import dateien
from wissen import services as wissen_services
from wissen.models import Ergebnis

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e

M, H, A = Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN


def _geheimwort() -> str:
    # Only letters, so the german stemmer keeps it whole; unique per run.
    return "quellwort" + "".join(chr(ord("a") + b % 26) for b in secrets.token_bytes(8))


def _pdf(titel: str, wort: str) -> bytes:
    return pdf_erzeugen(
        titel,
        [
            "## Ergebnis",
            f"Die Untersuchung nennt das Verfahren {wort} als Empfehlung für alle Ämter.",
            "Weitere Einzelheiten stehen im Anhang.",
        ],
    )


def _ergebnis_mit_pdf(welt, kommune: str, titel: str, wort: str) -> tuple[Ergebnis, bytes]:
    """A shareable study of `kommune` with one PDF, created through the services."""
    cdo = welt.user(kommune, H)
    ergebnis = wissen_services.ergebnis_anlegen(
        by=cdo,
        titel=titel,
        zusammenfassung="Eine Studie für die Partnerstädte.",
        art=Ergebnis.Art.STUDIE,
        nutzungsrechte="eigene",
    )
    daten = _pdf(titel, wort)
    dokument = wissen_services.dokument_hochladen(
        ergebnis=ergebnis,
        datei=SimpleUploadedFile("studie.pdf", daten, content_type="application/pdf"),
        by=cdo,
    )
    wissen_services.dokument_text_extrahieren(dokument_id=dokument.pk)
    return ergebnis, daten


def _teilen(welt, ergebnis, *, umfang: str, **empfaenger) -> Freigabe:
    kommune = ergebnis.kommune.slug
    freigabe = services.freigabe_beantragen(
        objekt=ergebnis, by=welt.user(kommune, H), umfang=umfang, **empfaenger
    )
    return services.freigabe_erteilen(freigabe=freigabe, by=welt.user(kommune, A))


def _download_pruefen(page, dateiname: str, erwartet: bytes) -> None:
    with page.expect_download() as info:
        page.get_by_role("link", name=dateiname).click()
    download = info.value
    with open(download.path(), "rb") as f:
        assert f.read() == erwartet
    assert download.suggested_filename == dateiname


def test_1_cdo_legt_studie_an_admin_erteilt(page, neue_seite, e2e_welt):
    wort = _geheimwort()
    titel = f"Studie digitale Terminvergabe {wort[-4:]}"

    anmelden(page, e2e_welt.user("muenchen", H))
    axe_pruefen(page)
    page.goto("/ergebnisse/neu/")
    axe_pruefen(page)
    page.get_by_role("textbox", name=re.compile(r"^Titel")).fill(titel)
    page.get_by_role("combobox", name=re.compile(r"^Art")).select_option("studie")
    page.get_by_role("textbox", name=re.compile(r"^Zusammenfassung")).fill(
        "Wie lange warten Bürgerinnen und Bürger auf einen Termin?"
    )
    page.get_by_role("combobox", name=re.compile(r"^Nutzungsrechte")).select_option("eigene")
    page.get_by_role("button", name="Ergebnis anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    axe_pruefen(page)
    ergebnis = Ergebnis.objects.get(titel=titel)
    assert ergebnis.kommune == e2e_welt.muenchen

    page.get_by_role("link", name="Dokument hochladen").click()
    axe_pruefen(page)
    page.get_by_label(re.compile(r"^Datei")).set_input_files(
        {"name": "terminvergabe.pdf", "mimeType": "application/pdf", "buffer": _pdf(titel, wort)}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    expect(page.get_by_role("link", name="terminvergabe.pdf")).to_be_visible()
    axe_pruefen(page)
    # A scan: the page says that its text was read by OCR and may contain errors.
    page.get_by_role("link", name="Dokument hochladen").click()
    page.get_by_label(re.compile(r"^Datei")).set_input_files(
        {
            "name": "aushang.png",
            "mimeType": "image/png",
            "buffer": dateien.bilddatei("Aushang im Bürgerbüro", "Öffnungszeiten"),
        }
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("link", name="aushang.png")).to_be_visible()
    expect(page.get_by_text("Text per Texterkennung (OCR) gelesen: 1 von 1 Seite")).to_be_visible()
    axe_pruefen(page)

    page.get_by_role("link", name="Freigabe beantragen").click()
    axe_pruefen(page)
    page.get_by_role("radio", name="Kommune").check()
    page.get_by_role("combobox", name=re.compile(r"^Kommune")).select_option(label="Augsburg")
    page.get_by_role("radio", name=re.compile(r"^vollständig")).check()
    page.get_by_role("textbox", name=re.compile(r"^Rechtsgrundlage")).fill(
        "Kooperationsvereinbarung vom 16. Juli"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Regeln prüfen").click()
    axe_pruefen(page)
    page.get_by_role("button", name="Freigabe beantragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(titel)
    axe_pruefen(page)
    freigabe = Freigabe.objects.get(ergebnis=ergebnis)
    assert (freigabe.status, freigabe.umfang, freigabe.empfaenger_kommune) == (
        FreigabeStatus.BEANTRAGT,
        Umfang.VOLLSTAENDIG,
        e2e_welt.augsburg,
    )

    admin = neue_seite()
    anmelden(admin, e2e_welt.user("muenchen", A))
    axe_pruefen(admin)
    admin.goto("/freigaben/eingang/")
    axe_pruefen(admin)
    antrag = admin.locator("article").filter(has_text=titel)
    antrag.get_by_role("button", name="Erteilen").click()
    # The grant is confirmed on a second step that names who gains access.
    expect(admin.get_by_role("heading", name="Erteilen bestätigen")).to_be_visible()
    expect(admin.get_by_text("Augsburg – 3 Benutzer/innen")).to_be_visible()
    axe_pruefen(admin)
    admin.get_by_role("button", name="Ja, Freigabe erteilen").click()
    expect(admin.get_by_role("status").first).to_be_visible()
    axe_pruefen(admin)
    freigabe.refresh_from_db()
    assert freigabe.status == FreigabeStatus.ERTEILT
    assert freigabe.entschieden_von == e2e_welt.user("muenchen", A)


def test_2_augsburg_findet_und_laedt_nuernberg_nicht(page, neue_seite, e2e_welt):
    wort = _geheimwort()
    ergebnis, daten = _ergebnis_mit_pdf(e2e_welt, "muenchen", "Studie Bürgerbüro der Zukunft", wort)
    _teilen(
        e2e_welt,
        ergebnis,
        umfang=Umfang.VOLLSTAENDIG,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=e2e_welt.augsburg,
    )
    dokument = ergebnis.dokumente.get()
    assert wort not in ergebnis.titel + ergebnis.zusammenfassung + ergebnis.text

    anmelden(page, e2e_welt.user("augsburg", M))
    page.goto("/suche/")
    axe_pruefen(page)
    page.get_by_role("searchbox").fill(wort)
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name="1 Treffer")).to_be_visible()
    axe_pruefen(page)
    page.get_by_role("link", name=ergebnis.titel).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ergebnis.titel)
    axe_pruefen(page)
    _download_pruefen(page, "studie.pdf", daten)
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.DOWNLOAD, akteur=e2e_welt.user("augsburg", M)
    ).exists()

    nuernberg = neue_seite()
    anmelden(nuernberg, e2e_welt.user("nuernberg", M))
    nuernberg.goto(f"/suche/?q={wort}")
    expect(nuernberg.get_by_role("heading", name="0 Treffer")).to_be_visible()
    expect(nuernberg.get_by_role("link", name=ergebnis.titel)).to_have_count(0)
    axe_pruefen(nuernberg)
    antwort = nuernberg.goto(ergebnis.get_absolute_url())
    assert antwort.status == 404
    assert ergebnis.titel not in nuernberg.content()
    axe_pruefen(nuernberg)
    download_url = f"/ergebnisse/{ergebnis.pk}/dokumente/{dokument.pk}/"
    antwort = nuernberg.request.get(download_url)
    assert antwort.status == 404 and antwort.body() != daten
    assert nuernberg.goto(download_url).status == 404
    axe_pruefen(nuernberg)


def test_3_zugangsanfrage_bis_zum_protokoll(page, neue_seite, e2e_welt):
    wort = _geheimwort()
    ergebnis, daten = _ergebnis_mit_pdf(e2e_welt, "augsburg", "Konzept digitaler Posteingang", wort)
    _teilen(
        e2e_welt,
        ergebnis,
        umfang=Umfang.METADATEN,
        empfaenger_art=EmpfaengerArt.VERBUND,
        empfaenger_verbund=e2e_welt.verbund,
    )

    anmelden(page, e2e_welt.user("nuernberg", M))
    page.goto("/ergebnisse/")
    axe_pruefen(page)
    page.get_by_role("link", name=ergebnis.titel).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ergebnis.titel)
    axe_pruefen(page)
    expect(page.get_by_role("link", name="studie.pdf")).to_have_count(0)
    page.get_by_role("textbox", name=re.compile(r"^Begründung")).fill(
        "Wir planen 2027 einen zentralen Posteingang und möchten Ihr Konzept nachnutzen."
    )
    page.get_by_role("button", name="Zugang anfragen").click()
    expect(page.get_by_text("ist offen")).to_be_visible()
    axe_pruefen(page)

    admin = neue_seite()
    anmelden(admin, e2e_welt.user("augsburg", A))
    admin.goto("/freigaben/eingang/")
    axe_pruefen(admin)
    anfrage = admin.locator("article").filter(has_text=ergebnis.titel)
    anfrage.get_by_role("button", name="Genehmigen").click()
    expect(admin.get_by_role("status").first).to_be_visible()
    axe_pruefen(admin)

    page.reload()
    axe_pruefen(page)
    _download_pruefen(page, "studie.pdf", daten)

    admin.goto("/protokoll/")
    axe_pruefen(admin)
    tabelle = admin.get_by_role("table")
    for aktion in (
        "Freigabe erteilt",
        "Zugangsanfrage gestellt",
        "Zugangsanfrage genehmigt",
        "Dokument heruntergeladen",
    ):
        zeilen = tabelle.get_by_role("row").filter(has_text=aktion).filter(has_text=ergebnis.titel)
        expect(zeilen.first).to_be_visible()
    # The download row names who downloaded it, from which city.
    expect(
        tabelle.get_by_role("row")
        .filter(has_text="Dokument heruntergeladen")
        .filter(has_text="Nürnberg")
    ).to_have_count(1)
