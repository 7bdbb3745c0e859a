"""Every page a person reaches without a journey: axe-clean, styled, and under the CSP."""

import pytest
from playwright.sync_api import expect

from kommunen.models import Rolle

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e


def test_stylesheet_kommt_von_whitenoise(page, live_server):
    page.goto("/")
    # The header is painted in the portal's blue: the hashed stylesheet was served.
    farbe = page.locator("header.kopf").evaluate("e => getComputedStyle(e).backgroundColor")
    assert farbe == "rgb(11, 79, 138)"
    href = page.locator("link[rel=stylesheet]").get_attribute("href")
    antwort = page.request.get(href)
    assert antwort.ok and "text/css" in antwort.headers["content-type"]


@pytest.mark.parametrize(
    "pfad", ["/", "/anmelden/", "/impressum/", "/datenschutz/", "/barrierefreiheit/"]
)
def test_oeffentliche_seiten(page, live_server, pfad):
    antwort = page.goto(pfad)
    assert antwort.status == 200
    expect(page.locator("h1")).to_be_visible()
    axe_pruefen(page)


def test_fehlerseite_404(page, live_server):
    antwort = page.goto("/gibt-es-nicht/")
    assert antwort.status == 404
    axe_pruefen(page)


@pytest.mark.parametrize("rolle", [Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN])
def test_startseite_je_rolle(page, e2e_welt, rolle):
    anmelden(page, e2e_welt.user("augsburg", rolle))
    expect(page.get_by_text("Willkommen, Augsburg.")).to_be_visible()
    axe_pruefen(page)
