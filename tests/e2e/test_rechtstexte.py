"""The legal pages with the demo's texts: axe-clean in German and English, headings in order."""

import pytest
from playwright.sync_api import expect

from portal.demo_rechtstexte import demo_rechtstexte

from .conftest import axe_pruefen

pytestmark = pytest.mark.e2e


def _seiten_pruefen(page) -> None:
    for pfad in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
        page.goto(pfad)
        expect(page.locator("main h2").first).to_be_visible()
        ebenen = page.locator("main :is(h1, h2, h3, h4, h5, h6)").evaluate_all(
            "hs => hs.map(h => Number(h.tagName[1]))"
        )
        # One h1, then no level skipped: the text's headings fit under the page's title.
        assert ebenen[0] == 1 and ebenen.count(1) == 1, ebenen
        assert all(b - a <= 1 for a, b in zip(ebenen, ebenen[1:], strict=False)), ebenen
        axe_pruefen(page)


def test_rechtstexte_barrierefrei(page, e2e_welt):
    demo_rechtstexte(von=None)
    _seiten_pruefen(page)
    page.get_by_role("combobox", name="Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _seiten_pruefen(page)
    expect(page.locator("main .rechtstext")).not_to_have_attribute("lang", "de")
