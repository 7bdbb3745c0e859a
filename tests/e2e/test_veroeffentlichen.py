"""The publisher's side in Chromium: what a change does is said before it is saved, a
document is replaced with its history kept, an object is withdrawn, and the partner who
followed an old notification reads that it is no longer shared. Every page checked by axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from kommunen.models import Freigabe, FreigabeStatus, Rolle, Umfang
from tests import dateien
from tests.factories import freigeben, projekt_anlegen
from wissen import services as wissen_services
from wissen.models import Dokumentfassung

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e

H = Rolle.HERAUSGABE


def _datei(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": dateien.pdf(text)}


def test_rechtliche_aenderung_erst_folgen_dann_speichern(page, e2e_welt):
    her = e2e_welt.user("muenchen", H)
    projekt = projekt_anlegen(e2e_welt.muenchen, her, titel="Sensorik im Stadtpark")
    f = freigeben(e2e_welt, projekt, an=e2e_welt.verbund)
    anmelden(page, her)
    page.goto(f"/projekte/{projekt.pk}/bearbeiten/")
    page.select_option("select[name=personenbezug]", "personenbezogen")
    page.fill("[name=rechtsgrundlage]", "Art. 6 Abs. 1 lit. e DSGVO")
    page.fill("[name=zweck]", "Planung")
    page.fill("[name=loeschdatum]", (dt.date.today() + dt.timedelta(days=365)).isoformat())
    page.select_option("select[name=einwilligung]", "keine")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("heading", name="Was das Speichern bewirkt")).to_be_visible()
    expect(
        page.get_by_text(re.compile(rf"Freigabe Nr\. {f.pk} an .* wird ausgesetzt"))
    ).to_be_visible()
    axe_pruefen(page)
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT  # nothing saved yet
    page.get_by_role("button", name="Trotzdem speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sensorik im Stadtpark")
    expect(
        page.get_by_text(re.compile(r"Ausgesetzt \(kein Zugang, bis erneut erteilt\)"))
    ).to_be_visible()
    axe_pruefen(page)
    f.refresh_from_db()
    assert f.status == FreigabeStatus.AUSGESETZT


def test_dokument_ersetzen_zurueckziehen_und_die_alte_benachrichtigung(page, neue_seite, e2e_welt):
    her = e2e_welt.user("muenchen", H)
    from tests.factories import ergebnis_anlegen

    ergebnis = ergebnis_anlegen(e2e_welt.muenchen, her, titel="Parkraumstudie Altstadt")
    from django.core.files.uploadedfile import SimpleUploadedFile

    wissen_services.dokument_hochladen(
        ergebnis=ergebnis,
        datei=SimpleUploadedFile("parken.pdf", dateien.pdf("Erste Fassung"), "application/pdf"),
        by=her,
    )
    f = freigeben(e2e_welt, ergebnis, an=e2e_welt.augsburg, umfang=Umfang.VOLLSTAENDIG)

    anmelden(page, her)
    page.goto(ergebnis.get_absolute_url())
    page.get_by_role("link", name="Dokument hochladen").click()
    expect(page.get_by_role("heading", name="Was das Hochladen bewirkt")).to_be_visible()
    expect(page.get_by_text(re.compile(rf"Freigabe Nr\. {f.pk} an Augsburg"))).to_be_visible()
    axe_pruefen(page)
    page.get_by_label(re.compile(r"^Datei")).set_input_files(_datei("parken-v2.pdf", "Zweite"))
    page.get_by_label(re.compile(r"^Ersetzt")).select_option(label="parken.pdf")
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_text(re.compile(r"ist die neue Fassung"))).to_be_visible()
    expect(page.get_by_role("link", name="parken-v2.pdf")).to_be_visible()
    page.get_by_text("1 frühere Fassung").click()
    expect(page.get_by_role("link", name="parken.pdf")).to_be_visible()
    axe_pruefen(page)
    assert Dokumentfassung.objects.filter(dokument__ergebnis=ergebnis).count() == 1

    partner = neue_seite()
    anmelden(partner, e2e_welt.user("augsburg"))
    partner.goto("/benachrichtigungen/")
    axe_pruefen(partner)

    page.get_by_role("link", name="Zurückziehen").click()
    axe_pruefen(page)
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.get_by_text("Bitte geben Sie einen Grund an").first).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^Grund")).fill("Studie wird überarbeitet")
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.get_by_text(re.compile(r"ist zurückgezogen"))).to_be_visible()
    axe_pruefen(page)
    assert Freigabe.objects.get(pk=f.pk).status == FreigabeStatus.WIDERRUFEN

    partner.goto(ergebnis.get_absolute_url())
    expect(partner.get_by_role("heading", level=1)).to_have_text("Nicht mehr für Sie freigegeben")
    expect(partner.get_by_text("Parkraumstudie Altstadt").first).to_be_visible()
    axe_pruefen(partner)
    page.goto("/freigaben/meine/")
    axe_pruefen(page)
