"""What every simulated user does the same way: log in, request pages with checks, send forms.

The client stands where the TLS-terminating reverse proxy stands in production: it sends
`X-Forwarded-Proto: https` (settings trust the header, SECURE_PROXY_SSL_HEADER), and it
returns the session's `Secure` cookies over the loopback connection, as the proxy would.
"""

from __future__ import annotations

import json
import os
import random
import re

import gevent
from locust import HttpUser

from tests.load.formular import formular

KONTEN = json.loads(open(os.environ["LAST_KONTEN"], encoding="utf-8").read())  # noqa: SIM115

ABMELDEN = 'action="/abmelden/"'
ID = re.compile(r"/(\d+)/")


def links(html: str, art: str) -> list[str]:
    """The detail pages of `art` ("projekte", "ergebnisse") a page links to."""
    return sorted(set(re.findall(rf'href="(/{art}/\d+/)"', html)))


def _fehlertext(text: str) -> str:
    """The first error message of a form page, to make a failure readable."""
    m = re.search(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', text, re.S)
    if m:
        return re.sub(r"<[^>]+>", "", m.group(1)).strip()[:200]
    m = re.search(r"\(Regel ([A-Z0-9-]+)\)", text)
    return f"Regel {m.group(1)}" if m else ""


class Portalnutzer(HttpUser):
    abstract = True

    def konto(self) -> str:
        raise NotImplementedError

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = re.sub(r"^http://", "https://", self.host.rstrip("/"))
        self.benutzername = self.konto()
        self.anmelden()

    # --- requests with checks ------------------------------------------------------------------

    def _cookies_wie_proxy(self):
        """Send `Secure` cookies on the plain loopback hop behind the (simulated) TLS proxy.

        requests builds a new cookie jar with the default policy for each request, so the
        flag itself is dropped from the session's cookies."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def seite(self, url: str, name: str, marke: str, **params) -> str | None:
        """GET a page that must answer 200 with `marke`, for a logged-in user."""
        self._cookies_wie_proxy()
        with self.client.get(
            url, params=params or None, name=name, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                ziel = r.headers.get("Location", "")
                r.failure(f"HTTP {r.status_code} {ziel}".strip())
                return None
            if 'name="password"' in r.text:
                r.failure("Anmeldeseite statt der erwarteten Seite")
                return None
            if marke not in r.text:
                r.failure(f"Marke fehlt: {marke}")
                return None
            if ABMELDEN not in r.text and "dok-status" not in marke:
                r.failure("nicht angemeldet")
                return None
            return r.text

    def senden(
        self, url: str, name: str, daten: list, ziel: re.Pattern, dateien=None
    ) -> re.Match | None:
        """POST a form as the browser does (Origin, Referer); it must redirect to `ziel`."""
        kopf = {"Origin": self.origin, "Referer": self.origin + url}
        self._cookies_wie_proxy()
        with self.client.post(
            url,
            data=daten,
            files=dateien,
            headers=kopf,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            ort = r.headers.get("Location", "")
            if r.status_code != 302:
                r.failure(f"HTTP {r.status_code} statt 302: {_fehlertext(r.text)}")
                return None
            m = ziel.search(ort)
            if m is None or "/anmelden/" in ort:
                r.failure(f"Weiterleitung nach {ort}")
                return None
            return m

    def senden_seite(self, url: str, name: str, daten: list, marke: str) -> str | None:
        """POST a form that answers with a page (200 with `marke`), such as a confirmation
        step, instead of a redirect."""
        kopf = {"Origin": self.origin, "Referer": self.origin + url}
        self._cookies_wie_proxy()
        with self.client.post(
            url, data=daten, headers=kopf, name=name, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200 or marke not in r.text:
                r.failure(f"HTTP {r.status_code} ohne {marke}: {_fehlertext(r.text)}")
                return None
            return r.text

    def anmelden(self):
        html = self.seite_ohne_konto("/anmelden/", "/anmelden/")
        if html is None:
            return
        f = formular(html, action="", feld="password")
        daten = f.daten({"username": self.benutzername, "password": KONTEN["passwort"]})
        if self.senden("/anmelden/", "POST /anmelden/", daten, re.compile(r"^/$")):
            self.seite("/", "/", "<h1>Wissensverbund</h1>")

    def seite_ohne_konto(self, url: str, name: str) -> str | None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200 or 'name="password"' not in r.text:
                r.failure(f"HTTP {r.status_code}, kein Anmeldeformular")
                return None
            return r.text

    def tippen(self, von: float = 2, bis: float = 8):
        """The time a person needs to fill in a form."""
        gevent.sleep(random.uniform(von, bis))
