"""Password reset in the browser: every page axe-clean, from the login link to a new login."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e

NEU = "Neues-Passwort-2026!"


def test_passwort_vergessen_bis_zur_anmeldung(page, e2e_welt):
    user = e2e_welt.user("nuernberg", "mitarbeit")
    mail.outbox.clear()
    page.goto("/anmelden/")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.locator("h1")).to_have_text("Passwort vergessen")
    axe_pruefen(page)

    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Link anfordern").click()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_attribute("aria-invalid", "true")
    axe_pruefen(page)

    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_role("button", name="Link anfordern").click()
    expect(page.locator("h1")).to_have_text("E-Mail unterwegs")
    axe_pruefen(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/passwort/neu/\S+/", mail.outbox[0].body)[0]
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Neues Passwort festlegen")
    axe_pruefen(page)
    page.get_by_label("Neues Passwort", exact=True).fill(NEU)
    page.get_by_label("Neues Passwort bestätigen").fill(NEU)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page.locator("h1")).to_have_text("Passwort gespeichert")
    axe_pruefen(page)

    page.goto(link)  # used once: the page says so
    expect(page.get_by_role("alert")).to_contain_text("Dieser Link ist ungültig")
    axe_pruefen(page)

    anmelden(page, user, NEU)
