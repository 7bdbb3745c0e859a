"""Browser tests: Debian's Chromium through Playwright against a live server, plus axe-core.

One browser for the package, a fresh context (cookies, storage) per test. The live server
answers like production: no test-only static or media handlers in front of Django, so CSS
comes from whitenoise out of STATIC_ROOT (collected by tests/conftest.py) and documents only
through the permission-checking views.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from pytest_django.live_server_helper import LiveServer

from tests.factories import Welt

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# axe is served under this same-origin path by a route of the browser context, so that it
# loads as a 'self' script and the pages' Content Security Policy stays fully in force.
AXE_PFAD = "/__e2e__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORT = "Geheim-Passwort-123"  # the password of the `welt` fixture's users


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def _async_unsafe_erlaubt():
    """Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    calls are still synchronous, so Django's async guard is lifted for the browser tests only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but with Django's own handler only (as in production)."""
    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    # LiveServerThread wraps the app in test-only static and media handlers; dropping them
    # means whitenoise serves the hashed static files and MEDIA_ROOT is not exposed.
    server.thread.static_handler = lambda _umhuellt: WSGIHandler()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(_async_unsafe_erlaubt):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _seite_beobachten(page):
    """Collect console errors (a CSP violation shows up there) for `axe_pruefen`."""
    page.konsolenfehler = []
    page.on(
        "console", lambda msg: page.konsolenfehler.append(msg.text) if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: page.konsolenfehler.append(str(exc)))
    return page


def _kontext(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", accept_downloads=True)
    context.set_default_timeout(10_000)
    context.route(
        f"**{AXE_PFAD}",
        lambda route: route.fulfill(path=AXE, content_type="text/javascript; charset=utf-8"),
    )
    return context


@pytest.fixture
def context(browser, live_server):
    context = _kontext(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return _seite_beobachten(context.new_page())


@pytest.fixture
def neue_seite(browser, live_server):
    """A page for one more person in the same test, with its own cookies."""
    kontexte = []

    def _neu():
        kontexte.append(_kontext(browser, live_server))
        return _seite_beobachten(kontexte[-1].new_page())

    yield _neu
    for context in kontexte:
        context.close()


@pytest.fixture
def e2e_welt(live_server) -> Welt:
    """The three Kommunen, Regensburg and one user per role, committed for the live server."""
    return Welt()


def anmelden(page, user, passwort: str = PASSWORT) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/anmelden/")
    page.get_by_label("Benutzername").fill(user.get_username())
    page.get_by_label("Passwort").fill(passwort)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert "/anmelden/" not in page.url, f"Anmeldung von {user} fehlgeschlagen: {page.url}"


def axe_pruefen(page, *, ausnahmen: tuple[str, ...] = ()) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page: 0 violations allowed."""
    page.wait_for_load_state("load")
    csp = [t for t in page.konsolenfehler if "Content Security Policy" in t]
    assert not csp, f"CSP-Verstöße auf {page.url}:\n" + "\n".join(csp)
    # Content wider than the window hides part of the page behind a horizontal scroll.
    breite, fenster = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert breite <= fenster, f"{page.url} ist {breite}px breit, das Fenster {fenster}px"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PFAD)
    ergebnis = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))
            }));
        }""",
        AXE_TAGS,
    )
    verstoesse = [v for v in ergebnis if v["id"] not in ausnahmen]
    if verstoesse:
        zeilen = [f"axe: {len(verstoesse)} Verstoß/Verstöße auf {page.url}"]
        for v in verstoesse:
            zeilen.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            for n in v["nodes"]:
                zeilen.append(f"    {json.dumps(n['target'])}: {n['summary']}")
        pytest.fail("\n".join(zeilen), pytrace=False)


def fokus_sichtbar(page, *, hoechstens: int = 80) -> int:
    """Tab through the page: every element that takes the focus shows it (WCAG 2.4.7)."""
    page.locator("body").focus()
    gesehen, ohne = set(), []
    for _ in range(hoechstens):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                const s = getComputedStyle(e);
                const sichtbar = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                    || s.boxShadow !== 'none';
                const text = (e.textContent || '').trim().slice(0, 30);
                const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + (e.name ? '[name=' + e.name + ']' : '') + ' ' + text;
                return [name + '@' + Math.round(e.getBoundingClientRect().top), sichtbar];
            }"""
        )
        if info is None or info[0] in gesehen:
            break
        gesehen.add(info[0])
        if not info[1]:
            ohne.append(info[0])
    assert not ohne, f"Ohne sichtbaren Fokus auf {page.url}: {ohne}"
    return len(gesehen)
