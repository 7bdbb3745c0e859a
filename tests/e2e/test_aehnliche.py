"""Similar work while typing, in Chromium: htmx refreshes the suggestions after the title is
typed, the page stays free of axe-core violations, and the dashboard shows the savings."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kommunen.models import Rolle, Umfang
from projekte.models import Projekt
from projekte.services import nutzung as services_nutzung
from tests.factories import freigeben, im_suchindex, projekt_anlegen

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e


def test_vorschlaege_beim_tippen_und_einsparung_im_dashboard(page, e2e_welt):
    welt = e2e_welt
    p = im_suchindex(
        projekt_anlegen(
            welt.muenchen,
            welt.user("muenchen", Rolle.HERAUSGABE),
            titel="Digitaler Bauantrag München",
            zusammenfassung="Bauanträge online einreichen.",
        )
    )
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    anmelden(page, welt.user("augsburg", Rolle.HERAUSGABE))
    page.goto("/projekte/neu/")
    vorher = Projekt.objects.count()
    page.get_by_label("Titel").press_sequentially("Bauantrag")
    bereich = page.locator("#aehnliche")
    expect(
        bereich.get_by_role("link", name="Digitaler Bauantrag München", exact=True)
    ).to_be_visible()
    axe_pruefen(page)
    assert Projekt.objects.count() == vorher

    services_nutzung.nachnutzung_erklaeren(
        projekt=p, by=welt.user("augsburg"), einsparung_eur=Decimal("42000")
    )
    page.goto("/dashboard/")
    expect(
        page.get_by_role("table", name="Nachnutzung je Kommune (sichtbare Projekte)")
    ).to_contain_text("42.000 €")
    axe_pruefen(page)
