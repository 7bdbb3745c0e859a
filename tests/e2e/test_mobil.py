"""Small screens (320 and 375 CSS px): the pages of the three journeys stay usable.

Browsing and searching as a city's staff, publishing a result with a document, deciding a
Freigabe as an admin: no sideways scrolling, a header that leaves room for the content, tables
as readable cards, search results above the filters, and axe-core clean at those widths.
Set E2E_BILDER to a directory to keep a screenshot of every page at 375 and 1280 px.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kommunen.models import Rolle
from tests.factories import (
    OEFFENTLICH,
    beantragen,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    im_suchindex,
    projekt_anlegen,
)

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e

M, H, A = Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN
FENSTER = ({"width": 320, "height": 568}, {"width": 375, "height": 667})
DATEI = "Machbarkeitsstudie_Digitalisierung_Buergerbuero_Endfassung_2026.pdf"


@pytest.fixture
def lage(e2e_welt):
    welt = e2e_welt
    ergebnis = ergebnis_anlegen(
        welt.muenchen,
        welt.user("muenchen", H),
        titel="Machbarkeitsstudie Terminvergabe im Bürgerbüro",
        art="studie",
    )
    dokument_anlegen(ergebnis, welt.user("muenchen", H), name=DATEI)
    im_suchindex(ergebnis)
    freigabe = freigeben(welt, ergebnis, an=welt.augsburg)
    projekt = im_suchindex(
        projekt_anlegen(welt.muenchen, welt.user("muenchen", H), titel="Terminvergabe online")
    )
    freigeben(welt, projekt, an=welt.augsburg)
    offen = beantragen(welt, projekt, an=welt.nuernberg)
    return {"ergebnis": ergebnis, "projekt": projekt, "freigabe": freigabe, "offen": offen}


def _bild(page, name: str) -> None:
    ziel = os.environ.get("E2E_BILDER")
    if ziel:
        Path(ziel).mkdir(parents=True, exist_ok=True)
        breite = page.viewport_size["width"]
        page.screenshot(path=f"{ziel}/{name}-{breite}.png", full_page=True)


def _schmal_pruefen(page, pfad: str, name: str) -> None:
    """The page at each small window: fits, a short header, axe-clean."""
    for fenster in FENSTER:
        page.set_viewport_size(fenster)
        antwort = page.goto(pfad)
        assert antwort.status == 200, pfad
        breite = page.evaluate("() => document.documentElement.scrollWidth")
        assert breite <= fenster["width"], f"{pfad}: {breite}px bei {fenster['width']}px"
        kopf = page.locator("header.kopf").bounding_box()["height"]
        assert kopf <= fenster["height"] / 5, f"{pfad}: Kopf {kopf}px hoch bei {fenster}"
        axe_pruefen(page)
        if fenster["width"] == 375:
            _bild(page, name)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(pfad)
    _bild(page, name)


def test_mitarbeit_sucht_und_liest_auf_dem_telefon(page, e2e_welt, lage):
    anmelden(page, e2e_welt.user("augsburg", M))
    ergebnis = lage["ergebnis"]
    for pfad, name in (
        ("/", "start"),
        ("/projekte/", "projekte"),
        ("/ergebnisse/", "ergebnisse"),
        ("/suche/?q=Terminvergabe", "suche"),
        (ergebnis.get_absolute_url(), "ergebnis"),
        (lage["projekt"].get_absolute_url(), "projekt"),
        ("/dashboard/", "dashboard"),
        ("/benachrichtigungen/", "benachrichtigungen"),
        ("/rechtsgrundlagen/", "rechtsgrundlagen"),
    ):
        _schmal_pruefen(page, pfad, f"mitarbeit-{name}")

    page.set_viewport_size(FENSTER[0])
    # Search and lists: the first result stands above the filter form.
    for pfad, formular in (
        ("/suche/?q=Terminvergabe", "#suchformular"),
        ("/projekte/", "#filter"),
        ("/ergebnisse/", "#filter"),
    ):
        page.goto(pfad)
        treffer = page.locator("main .objekte > li").first
        expect(treffer).to_be_visible()
        oben = treffer.bounding_box()["y"]
        assert oben < page.locator(formular).bounding_box()["y"], pfad
        # The link at the top leads to the filters.
        page.locator(f"a.zu-den-filtern[href='{formular}']").click()
        assert page.url.endswith(formular)
    # On a wide screen the filters stay above the results and the link is not shown.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/suche/?q=Terminvergabe")
    assert (
        page.locator("#suchformular").bounding_box()["y"]
        < page.locator("main .objekte > li").first.bounding_box()["y"]
    )
    expect(page.locator("a.zu-den-filtern")).to_be_hidden()


def test_dokumententabelle_als_karten(page, e2e_welt, lage):
    anmelden(page, e2e_welt.user("augsburg", M))
    for fenster in FENSTER:
        page.set_viewport_size(fenster)
        page.goto(lage["ergebnis"].get_absolute_url())
        zelle = page.locator("table.dokumente td").first
        expect(zelle).to_contain_text(DATEI)
        assert zelle.bounding_box()["width"] > 100
        # The file name wraps inside its card instead of widening the page.
        link = page.get_by_role("link", name=DATEI)
        assert link.bounding_box()["x"] + link.bounding_box()["width"] <= fenster["width"]
        # Still a table with its column headers for assistive technology.
        expect(page.get_by_role("columnheader", name="Datei")).to_have_count(1)
        expect(page.get_by_role("cell", name=DATEI)).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(lage["ergebnis"].get_absolute_url())
    assert page.locator("table.dokumente").evaluate("t => getComputedStyle(t).display") == "table"


def test_kopf_menue_ohne_skript_und_per_tastatur(page, e2e_welt, lage):
    anmelden(page, e2e_welt.user("augsburg", M))
    page.set_viewport_size(FENSTER[0])
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation).to_be_hidden()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Menü")
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    _bild(page, "menue-offen")
    page.get_by_role("link", name="Ergebnisse", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnisse")
    # Wide screens show the navigation without opening anything.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(navigation).to_be_visible()
    expect(page.get_by_text("Menü", exact=True)).to_be_hidden()
    assert page.locator("header.kopf").bounding_box()["height"] < 120


def test_herausgabe_veroeffentlicht_auf_dem_telefon(page, e2e_welt, lage):
    anmelden(page, e2e_welt.user("muenchen", H))
    ergebnis = lage["ergebnis"]
    for pfad, name in (
        ("/ergebnisse/neu/", "ergebnis-neu"),
        (ergebnis.get_absolute_url(), "ergebnis-eigen"),
        (f"/ergebnisse/{ergebnis.pk}/dokumente/neu/", "dokument-neu"),
        (f"/ergebnisse/{ergebnis.pk}/freigeben/", "freigeben"),
    ):
        _schmal_pruefen(page, pfad, f"herausgabe-{name}")


def test_admin_entscheidet_auf_dem_telefon(page, e2e_welt, lage):
    anmelden(page, e2e_welt.user("muenchen", A))
    for pfad, name in (
        ("/freigaben/eingang/", "eingang"),
        (f"/freigaben/{lage['offen'].pk}/", "freigabe"),
        (f"/freigaben/{lage['freigabe'].pk}/", "freigabe-erteilt"),
        ("/freigaben/matrix/", "matrix"),
        ("/protokoll/", "protokoll"),
    ):
        _schmal_pruefen(page, pfad, f"admin-{name}")
    # The matrix names each cell's recipient on a card.
    page.set_viewport_size(FENSTER[0])
    page.goto("/freigaben/matrix/")
    expect(page.locator("table.matrix td[data-label='Augsburg']").first).to_be_visible()
    # Deciding works at 320 px: the inbox's button grants the proposal.
    page.goto("/freigaben/eingang/")
    page.locator("article").filter(has_text=lage["projekt"].titel).get_by_role(
        "button", name="Erteilen"
    ).click()
    # The confirmation step that names who gains access fits the phone too.
    expect(page.get_by_role("heading", name="Erteilen bestätigen")).to_be_visible()
    axe_pruefen(page)
    page.get_by_role("button", name="Ja, Freigabe erteilen").click()
    expect(page.get_by_role("status").first).to_be_visible()
    lage["offen"].refresh_from_db()
    assert lage["offen"].status == "erteilt"
    axe_pruefen(page)


def test_besucher_sieht_ein_oeffentliches_objekt(page, e2e_welt):
    """The public page of a project and a result: licence, source, owner, contact; axe-clean."""
    welt = e2e_welt
    her = welt.user("muenchen", H)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Offene Baumkataster-Daten", **OEFFENTLICH)
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie Stadtbäume", **OEFFENTLICH)
    dokument_anlegen(ergebnis, her, name=DATEI)
    for objekt in (projekt, ergebnis):
        freigeben(welt, objekt)
    for objekt, name in ((projekt, "oeffentlich-projekt"), (ergebnis, "oeffentlich-ergebnis")):
        _schmal_pruefen(page, objekt.get_absolute_url(), name)
        lizenz = page.get_by_role("link", name="Creative Commons Namensnennung 4.0")
        expect(lizenz).to_have_attribute(
            "href", "https://creativecommons.org/licenses/by/4.0/deed.de"
        )
        expect(page.locator("q.quellenangabe")).to_contain_text(objekt.titel)
        expect(page.get_by_text("Freigabe Nr.")).to_have_count(0)
        axe_pruefen(page)
