"""The notifications page in a browser: grouped per object, older ones opened by keyboard,
the kind filter and mark-all-read without JavaScript, axe-clean throughout."""

from playwright.sync_api import expect

from kommunen import services

from .conftest import anmelden, axe_pruefen


def test_gruppen_filter_und_alle_gelesen(page, e2e_welt):
    user = e2e_welt.user("augsburg")
    for betreff in ("Erste zu Radwege", "Zweite zu Radwege", "Neueste zu Radwege"):
        services.benachrichtigen(
            empfaenger=[user], ereignis="freigabe_ausgesetzt", betreff=betreff, text="t",
            link="/projekte/1/",
        )  # fmt: skip
    services.benachrichtigen(
        empfaenger=[user], ereignis="freigabe_neu:9", betreff="Neu: Parken", text="t",
        link="/projekte/2/",
    )  # fmt: skip
    # The page works without the portal's scripts (axe, served by the test, still loads).
    page.route("**/static/**/*.js", lambda route: route.abort())
    anmelden(page, user)
    page.goto("/benachrichtigungen/")
    axe_pruefen(page)
    aelter = page.get_by_role("link", name="Zweite zu Radwege")
    expect(aelter).to_be_hidden()
    page.get_by_text("2 ältere Benachrichtigungen dazu").focus()
    page.keyboard.press("Enter")
    expect(aelter).to_be_visible()
    axe_pruefen(page)

    page.get_by_label("Art der Benachrichtigung").select_option("freigabe_neu")
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_role("link", name="Neu: Parken")).to_be_visible()
    expect(page.get_by_text("Neueste zu Radwege")).to_have_count(0)
    axe_pruefen(page)
    page.get_by_role("button", name="1 angezeigte als gelesen markieren").click()
    expect(page.get_by_text("1 Benachrichtigung(en) als gelesen markiert.")).to_be_visible()
    assert "art=freigabe_neu" in page.url
    assert user.benachrichtigungen.filter(gelesen_am__isnull=True).count() == 3
