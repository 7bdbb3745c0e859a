"""Every page of every role on a living portal (the demo content): axe-clean and under the CSP."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kommunen.models import Benutzer, Freigabe, FreigabeStatus
from projekte.models import Projekt
from wissen.models import Ergebnis

from .conftest import anmelden, axe_pruefen, fokus_sichtbar

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(live_server, settings):
    # seed --demo refuses to run without DEBUG (known demo passwords); the pages are then
    # served with DEBUG off again, as in production.
    settings.DEBUG = True
    call_command("seed", demo=True, stdout=io.StringIO())
    settings.DEBUG = False
    return settings.DEMO_PASSWORD


def _anmelden(page, username, passwort):
    anmelden(page, Benutzer.objects.get(username=username), passwort)


def _besuchen(page, pfade):
    for pfad in pfade:
        antwort = page.goto(pfad)
        assert antwort.status == 200, f"{pfad}: {antwort.status}"
        axe_pruefen(page)


def _schmal(page, pfade):
    """Reflow (WCAG 1.4.10): at 320 CSS px nothing makes the page scroll sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    for pfad in pfade:
        page.goto(pfad)
        breite = page.evaluate("() => document.documentElement.scrollWidth")
        assert breite <= 320, f"{pfad} ist bei 320px Fensterbreite {breite}px breit"
    page.set_viewport_size({"width": 1280, "height": 720})


def _mitarbeit(page, demo):
    _anmelden(page, "muenchen-mitarbeit", demo)
    axe_pruefen(page)
    fremd_metadaten = Ergebnis.objects.get(titel="Konzept KI-gestützte Postverteilung")
    fremd_voll = Ergebnis.objects.get(titel="Prozessanalyse Digitaler Bauantrag")  # VERSION-1
    vsnfd = Ergebnis.objects.get(einstufung="vs_nfd")
    projekt = Projekt.objects.get(titel="Bürgerbeteiligung online")
    _besuchen(
        page,
        [
            "/projekte/",
            "/projekte/?thema=e-akte",
            "/ergebnisse/",
            "/ergebnisse/?art=studie&sortierung=titel",
            "/suche/",
            "/suche/?q=E-Akte",
            "/suche/?q=Regalmeter+oder+Sensoren",
            "/dashboard/",
            projekt.get_absolute_url(),
            fremd_metadaten.get_absolute_url(),
            fremd_voll.get_absolute_url(),
            vsnfd.get_absolute_url(),
            "/benachrichtigungen/",
            "/freigaben/meine/",
            "/konto/benachrichtigungen/",
            "/impressum/",
            "/rechtsgrundlagen/",
        ],
    )
    # Pages of the sharing admins: a clear 403 page, itself accessible.
    assert page.goto("/freigaben/eingang/").status == 403
    expect(page.locator("h1")).to_be_visible()
    axe_pruefen(page)
    # The English catalogue: the same pages, the document language follows.
    page.goto("/ergebnisse/")
    page.get_by_role("combobox", name="Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_pruefen(page)
    _besuchen(page, ["/", "/suche/?q=E-Akte", fremd_metadaten.get_absolute_url()])
    page.get_by_role("combobox").filter(has=page.locator("option[value=de]")).select_option("de")
    page.locator("form.sprache button").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    # A form with an error: the message is tied to its field and still axe-clean.
    page.goto(fremd_metadaten.get_absolute_url())
    page.get_by_role("button", name="Zugang anfragen").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    axe_pruefen(page)


def _herausgabe(page, demo):
    _anmelden(page, "muenchen-herausgabe", demo)
    axe_pruefen(page)
    ergebnis = Ergebnis.objects.get(titel="Machbarkeitsstudie E-Akte: Migration der Altakten")
    projekt = Projekt.objects.get(titel="E-Akte für die Stadtverwaltung")
    _besuchen(
        page,
        [
            "/projekte/neu/",
            "/ergebnisse/neu/",
            projekt.get_absolute_url(),
            f"/projekte/{projekt.pk}/bearbeiten/",
            f"/projekte/{projekt.pk}/freigeben/",
            ergebnis.get_absolute_url(),
            f"/ergebnisse/{ergebnis.pk}/bearbeiten/",
            f"/ergebnisse/{ergebnis.pk}/dokumente/neu/",
            f"/ergebnisse/{ergebnis.pk}/freigeben/",
            "/neu/",
            "/freigaben/meine/",
            f"/projekte/{projekt.pk}/zurueckziehen/",
            f"/ergebnisse/{ergebnis.pk}/zurueckziehen/",
            *[
                f"/ergebnisse/{ergebnis.pk}/dokumente/{d.pk}/loeschen/"
                for d in ergebnis.dokumente.all()[:1]
            ],
        ],
    )
    # Forms sent empty or against the rules show their errors accessibly.
    page.goto("/ergebnisse/neu/")
    page.get_by_role("button", name="Ergebnis anlegen").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    axe_pruefen(page)
    page.goto("/projekte/neu/")
    page.get_by_role("button", name="Projekt anlegen").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    axe_pruefen(page)
    page.goto(f"/ergebnisse/{ergebnis.pk}/dokumente/neu/")
    page.get_by_role("button", name="Hochladen").click()
    axe_pruefen(page)
    page.goto(f"/ergebnisse/{ergebnis.pk}/freigeben/")
    assert fokus_sichtbar(page) > 15
    # htmx (a 'self' script under the CSP) re-checks the rules as the form changes.
    page.get_by_role("radio", name="Öffentlichkeit").check()
    expect(page.locator("#regelpruefung")).to_contain_text("OEFFENTLICH-1")
    axe_pruefen(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Regeln prüfen").click()
    expect(page.locator("#regelpruefung")).to_contain_text("OEFFENTLICH-1")
    axe_pruefen(page)


def _freigabe_admin(page, demo):
    _anmelden(page, "augsburg-admin", demo)
    axe_pruefen(page)
    freigaben = Freigabe.objects.filter(eigentuemer__slug="augsburg")
    _besuchen(
        page,
        [
            "/freigaben/eingang/",
            "/freigaben/matrix/",
            "/protokoll/",
            "/protokoll/?aktion=download",
            "/dashboard/",
            "/benachrichtigungen/",
        ]
        + [f"/freigaben/{f.pk}/" for f in freigaben.order_by("status").distinct("status")],
    )
    page.goto("/freigaben/eingang/")
    assert fokus_sichtbar(page, hoechstens=150) > 20
    assert set(freigaben.values_list("status", flat=True)) >= {
        FreigabeStatus.ERTEILT,
        FreigabeStatus.ABGELEHNT,
        FreigabeStatus.WIDERRUFEN,
        FreigabeStatus.ABGELAUFEN,
        FreigabeStatus.AUSGESETZT,
    }


def test_jede_rolle_jede_seite(page, neue_seite, demo):
    """One seeded portal, three people: a staff member, a CDO and a sharing admin."""
    _mitarbeit(page, demo)
    herausgabe = neue_seite()
    _herausgabe(herausgabe, demo)
    admin = neue_seite()
    _freigabe_admin(admin, demo)

    ergebnis = Ergebnis.objects.get(titel="Prozessanalyse Digitaler Bauantrag")
    projekt = Projekt.objects.get(titel="Digitaler Bauantrag")
    seiten = ["/", "/projekte/", "/ergebnisse/", "/suche/?q=Bauantrag", "/dashboard/"]
    seiten += ["/benachrichtigungen/", ergebnis.get_absolute_url(), projekt.get_absolute_url()]
    seiten += ["/rechtsgrundlagen/"]
    _schmal(page, seiten)
    _schmal(herausgabe, ["/ergebnisse/neu/", "/projekte/neu/"])
    _schmal(admin, ["/freigaben/eingang/", "/freigaben/matrix/", "/protokoll/"])
