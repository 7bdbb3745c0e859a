"""Deciding on a Freigabe in Chromium: the page shows the law, granting and revoking are
confirmed with who gains or loses access, a failed decision stays on the page's address with
the summary at the top; every page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from kommunen.models import FreigabeStatus, Rolle, Umfang
from tests.factories import beantragen, freigeben, projekt_anlegen

from .conftest import anmelden, axe_pruefen

pytestmark = pytest.mark.e2e

A, H = Rolle.FREIGABE_ADMIN, Rolle.HERAUSGABE


def _detail(f) -> str:
    return f"/freigaben/{f.pk}/"


def test_erteilen_mit_bestaetigung(page, e2e_welt):
    projekt = projekt_anlegen(e2e_welt.muenchen, e2e_welt.user("muenchen", H), titel="E-Akte")
    antrag = beantragen(e2e_welt, projekt, an=e2e_welt.augsburg)
    anmelden(page, e2e_welt.user("muenchen", A))
    page.goto(_detail(antrag))
    expect(page.get_by_role("heading", name="Rechtliche Angaben des Objekts")).to_be_visible()
    regeln = page.get_by_role("table", name=re.compile("Jede Regel mit ihrem Ergebnis"))
    expect(regeln.get_by_role("row", name=re.compile(r"Regel FRIST-1\) erfüllt"))).to_be_visible()
    expect(
        regeln.get_by_role("row", name=re.compile(r"Regel DSGVO-1\) nicht anwendbar"))
    ).to_be_visible()
    axe_pruefen(page)

    page.get_by_role("button", name="Erteilen").click()
    expect(page.get_by_role("heading", name="Erteilen bestätigen")).to_be_visible()
    expect(page.get_by_text("Augsburg – 3 Benutzer/innen")).to_be_visible()
    assert page.url.endswith(_detail(antrag))
    axe_pruefen(page)
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT

    page.get_by_role("button", name="Ja, Freigabe erteilen").click()
    expect(page.get_by_role("status").first).to_contain_text("ist erteilt")
    assert page.url.endswith(_detail(antrag))
    axe_pruefen(page)
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.ERTEILT


def test_widerruf_nennt_wer_zugang_verliert(page, e2e_welt):
    projekt = projekt_anlegen(e2e_welt.muenchen, e2e_welt.user("muenchen", H), titel="Bürgerportal")
    freigeben(e2e_welt, projekt, an=e2e_welt.augsburg, umfang=Umfang.METADATEN)
    verbund = freigeben(e2e_welt, projekt, an=e2e_welt.verbund)
    anmelden(page, e2e_welt.user("muenchen", A))
    page.goto(_detail(verbund))
    expect(page.get_by_role("table", name=re.compile("Andere aktive Freigaben"))).to_contain_text(
        "Augsburg"
    )
    page.get_by_label("Grund des Widerrufs").fill("Projekt beendet")
    page.get_by_role("button", name="Widerrufen").click()
    expect(page.get_by_role("heading", name="Widerruf bestätigen")).to_be_visible()
    verliert = page.locator("ul.zugang-verliert")
    expect(verliert).to_contain_text("Nürnberg – 3 Benutzer/innen")
    expect(verliert).not_to_contain_text("Augsburg")
    expect(page.locator("ul.zugang-behaelt")).to_contain_text("Augsburg")
    axe_pruefen(page)
    page.get_by_role("button", name="Ja, Freigabe widerrufen").click()
    expect(page.get_by_role("status").first).to_contain_text("ist widerrufen")
    verbund.refresh_from_db()
    assert verbund.status == FreigabeStatus.WIDERRUFEN
    assert verbund.beendet_grund == "Projekt beendet"


def test_gescheiterte_entscheidung_zusammenfassung_oben_und_adresse_der_seite(page, e2e_welt):
    projekt = projekt_anlegen(e2e_welt.muenchen, e2e_welt.user("muenchen", H), titel="E-Akte")
    f = freigeben(e2e_welt, projekt, an=e2e_welt.augsburg)
    anmelden(page, e2e_welt.user("muenchen", A))
    page.goto(_detail(f))
    page.get_by_role("button", name="Widerrufen").click()
    zusammenfassung = page.get_by_role("alert")
    expect(zusammenfassung).to_contain_text("Bitte einen Grund für den Widerruf angeben.")
    assert page.url == page.url.split("#")[0] and page.url.endswith(_detail(f))
    # The summary comes before the page's sections and leads to the field.
    oben = page.evaluate(
        "() => document.getElementById('fehler-zusammenfassung').compareDocumentPosition("
        "document.getElementById('h-entscheiden')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert oben
    zusammenfassung.get_by_role("link").first.click()
    expect(page.get_by_label("Grund des Widerrufs")).to_be_focused()
    axe_pruefen(page)
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT


def test_gescheiterte_entscheidung_im_eingang_bleibt_im_eingang(page, e2e_welt):
    projekt = projekt_anlegen(e2e_welt.muenchen, e2e_welt.user("muenchen", H), titel="E-Akte")
    beantragen(e2e_welt, projekt, an=e2e_welt.augsburg)
    anmelden(page, e2e_welt.user("muenchen", A))
    page.goto("/freigaben/eingang/")
    page.locator("article").filter(has_text="E-Akte").get_by_role("button", name="Ablehnen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Bitte eine Begründung")
    assert page.url.endswith("/freigaben/eingang/")
    axe_pruefen(page)


def test_vorschlag_mit_verstoss_zusammenfassung_oben_mit_was_tun(page, e2e_welt):
    her = e2e_welt.user("muenchen", H)
    projekt = projekt_anlegen(
        e2e_welt.muenchen, her, titel="Gutachten Verkehr", nutzungsrechte="ungeklaert"
    )
    anmelden(page, her)
    url = f"/projekte/{projekt.pk}/freigeben/"
    page.goto(url)
    page.get_by_role("radio", name="Kommune").check()
    page.get_by_role("combobox", name=re.compile(r"^Kommune")).select_option(label="Augsburg")
    page.get_by_role("radio", name=re.compile(r"^vollständig")).check()
    page.get_by_role("button", name="Freigabe beantragen").click()
    zusammenfassung = page.locator("#fehler-zusammenfassung")
    expect(zusammenfassung).to_contain_text("RECHTE-1")
    expect(zusammenfassung).to_contain_text("Was tun:")
    expect(page.get_by_role("button", name="Freigabe beantragen")).to_have_accessible_description(
        re.compile("Die Regelprüfung zeigt noch Verstöße")
    )
    assert page.url.endswith(url)
    axe_pruefen(page)
