"""The pages everyone reaches without logging in: styled, axe-clean, under the CSP."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_pruefen, fokus_sichtbar

pytestmark = pytest.mark.e2e


def test_oeffentliche_seiten(page, live_server):
    # The header is painted in the portal's blue: the hashed stylesheet came from whitenoise.
    page.goto("/")
    farbe = page.locator("header.kopf").evaluate("e => getComputedStyle(e).backgroundColor")
    assert farbe == "rgb(11, 79, 138)"
    href = page.locator("link[rel=stylesheet]").get_attribute("href")
    antwort = page.request.get(href)
    assert antwort.ok and "text/css" in antwort.headers["content-type"]

    for pfad in (
        "/",
        "/anmelden/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/rechtsgrundlagen/",
    ):
        antwort = page.goto(pfad)
        assert antwort.status == 200, pfad
        expect(page.locator("h1")).to_be_visible()
        axe_pruefen(page)

    # Keyboard: the first Tab reaches the skip link, visibly focused; it leads to the content.
    page.keyboard.press("Tab")
    fokus = page.locator(":focus")
    expect(fokus).to_have_text("Zum Inhalt springen")
    assert fokus.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    assert fokus.bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhalt"

    page.goto("/anmelden/")
    assert fokus_sichtbar(page) >= 8

    assert page.goto("/gibt-es-nicht/").status == 404
    axe_pruefen(page)
    # Anonymous visitors of a protected page land on the login form.
    page.goto("/freigaben/eingang/")
    assert "/anmelden/" in page.url
    axe_pruefen(page)


def test_axe_findet_verstoesse(page, live_server):
    """The check itself can fail: a picture without text and a nameless button are caught."""
    page.goto("/impressum/")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<img src="/static/x.png"><button></button>');
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as fehler:
        axe_pruefen(page)
    meldung = str(fehler.value)
    assert "image-alt (critical)" in meldung and "button-name (critical)" in meldung
    assert '["img"]' in meldung or "img" in meldung


def test_fokuspruefung_findet_unsichtbaren_fokus(page, live_server):
    page.goto("/impressum/")
    page.evaluate(
        """() => document.querySelectorAll('footer a').forEach(a => {
            a.style.outline = 'none'; a.style.boxShadow = 'none';
        })"""
    )
    with pytest.raises(AssertionError, match="Ohne sichtbaren Fokus.*Impressum"):
        fokus_sichtbar(page)
