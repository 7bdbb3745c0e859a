"""Load test: staff browse and search, publishers create and upload, admins decide.

Started by `scripts/last` (tests/load/run.py), which sets LAST_KONTEN (the accounts, from
tests/load/konten.py), LAST_NUTZER (how many users run) and where to write the mix of users
and every request's time. Every response is checked (tests/load/sitzung.py): the expected
status, a marker of the page, and no login page where a page was expected. Requests are named
by page kind ("/projekte/[id]/"), so the figures come per page.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
import random
import re
import time

import gevent
from locust import between, events, task

from tests.bench.text import HAEUFIG, NOMEN, SELTEN, ZWEI_WORTE
from tests.dateien import docx, pdf
from tests.load.formular import Formular, formular
from tests.load.sitzung import KONTEN, Portalnutzer, links

NUTZER = int(os.environ.get("LAST_NUTZER", "50"))

# The mix: 5 % admins (at least one), 15 % publishers, the rest staff (50: 3, 7, 40).
ADMINS = max(1, math.ceil(NUTZER * 0.05))
HERAUSGABE = max(1, math.floor(NUTZER * 0.15))

_mitarbeit = itertools.cycle(KONTEN["mitarbeit"])
_admin_nr = itertools.count()
_herausgabe_nr = itertools.count()

# --- staff -----------------------------------------------------------------------------------

SUCHWORTE = [*NOMEN, HAEUFIG, HAEUFIG, *SELTEN]
ART_ERGEBNIS = ("studie", "gutachten", "konzept", "leitfaden", "evaluation", "bericht")
STATUS_PROJEKT = ("idee", "planung", "umsetzung", "betrieb", "abgeschlossen")
THEMA = re.compile(r'<select name="thema"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')


class Mitarbeit(Portalnutzer):
    """A city's staff member: start page, lists with filters and pages, details, search."""

    weight = 80
    wait_time = between(5, 15)

    def konto(self) -> str:
        return next(_mitarbeit)

    def _detail(self, html: str | None, art: str):
        ziele = links(html or "", art)
        if ziele:
            self.wait()
            self.seite(random.choice(ziele), f"/{art}/[id]/", 'id="h-eckdaten"')

    @task(2)
    def startseite(self):
        self.seite("/", "/", "<h1>Wissensverbund</h1>")

    @task(6)
    def projekte(self):
        html = self.seite("/projekte/", "/projekte/", "<h1>Projekte</h1>")
        if html is None:
            return
        wahl = random.random()
        if wahl < 0.4:
            self.wait()
            html = self.seite(
                "/projekte/", "/projekte/?seite=[n]", "<h1>Projekte</h1>",
                seite=random.randint(2, 40),
            )  # fmt: skip
        elif wahl < 0.8:
            auswahl = THEMA.search(html)
            themen = OPTION.findall(auswahl.group(1)) if auswahl else []
            self.wait()
            filter_ = {"status": random.choice(STATUS_PROJEKT)}
            if themen:
                filter_["thema"] = random.choice(themen)
            html = self.seite("/projekte/", "/projekte/?[filter]", "<h1>Projekte</h1>", **filter_)
        self._detail(html, "projekte")

    @task(4)
    def ergebnisse(self):
        html = self.seite("/ergebnisse/", "/ergebnisse/", "<h1>Ergebnisse</h1>")
        if html is None:
            return
        wahl = random.random()
        if wahl < 0.4:
            self.wait()
            html = self.seite(
                "/ergebnisse/", "/ergebnisse/?seite=[n]", "<h1>Ergebnisse</h1>",
                seite=random.randint(2, 20),
            )  # fmt: skip
        elif wahl < 0.8:
            self.wait()
            html = self.seite(
                "/ergebnisse/", "/ergebnisse/?[filter]", "<h1>Ergebnisse</h1>",
                art=random.choice(ART_ERGEBNIS),
            )  # fmt: skip
        self._detail(html, "ergebnisse")

    @task(5)
    def suchen(self):
        if random.random() < 0.3:
            q, name = ZWEI_WORTE, "/suche/?q=[zwei Wörter]"
        else:
            q, name = random.choice(SUCHWORTE), "/suche/?q=[Wort]"
        html = self.seite("/suche/", name, "<h1>Suche</h1>", q=q)
        if html is None:
            return
        if random.random() < 0.3:
            self.wait()
            html = self.seite(
                "/suche/", "/suche/?q=[Wort]&typ=ergebnisse", "<h1>Suche</h1>",
                q=random.choice(NOMEN), typ="ergebnisse",
            )  # fmt: skip
        art = random.choice(("projekte", "ergebnisse"))
        self._detail(html, art)

    @task(1)
    def benachrichtigungen(self):
        self.seite("/benachrichtigungen/", "/benachrichtigungen/", "<h1>Benachrichtigungen</h1>")


# --- publishers ------------------------------------------------------------------------------

RECHTLICHES = {
    "einstufung": "intern",
    "personenbezug": "keiner",
    "nutzungsrechte": "eigene",
    "vergabebezug": "keiner",
    "gremienstatus": "nicht_befasst",
    "geheimnisschutz": "keiner",
}


def _datei() -> tuple[str, bytes, str]:
    """A small real document: PDF, DOCX or plain text, with German words to find."""
    worte = " ".join(random.sample(NOMEN, 12))
    art = random.choice(("pdf", "docx", "txt"))
    nr = random.randint(1, 10**6)
    if art == "pdf":
        return (
            f"studie-{nr}.pdf",
            pdf(f"Studie {worte}", "Ergebnis der Untersuchung"),
            "application/pdf",
        )
    if art == "docx":
        return (
            f"konzept-{nr}.docx",
            docx(f"Konzept {worte}", "Zusammenfassung"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    return f"notiz-{nr}.txt", f"Notiz zur {worte}\n".encode(), "text/plain"


def _titel(art: str) -> str:
    a, b = random.sample(NOMEN, 2)
    return f"{art} {a} und {b} {random.randint(1, 10**5)}"


class Herausgabe(Portalnutzer):
    """A CDO or project lead: creates results and projects, uploads, proposes Freigaben."""

    fixed_count = HERAUSGABE
    wait_time = between(10, 30)

    def konto(self) -> str:
        nr = next(_herausgabe_nr)
        self.kommune_nr = nr % ADMINS  # the Kommunen whose admins are simulated
        liste = KONTEN["herausgabe"][self.kommune_nr]
        return liste[(nr // ADMINS) % len(liste)]

    def _freigabe_beantragen(self, art: str, pk: str):
        url = f"/{art}/{pk}/freigeben/"
        html = self.seite(url, f"/{art}/[id]/freigeben/", "<h1>Freigabe beantragen</h1>")
        if html is None:
            return
        f = formular(html, action="", feld="empfaenger_art")
        werte = {
            "umfang": random.choice(("metadaten", "vollstaendig")),
            "rechtsgrundlage": "Kooperationsvereinbarung vom 16. Juli",
            "auflagen": "Nur für die eigene Planung.",
        }
        verbuende = [v for v in f.auswahl.get("empfaenger_verbund", []) if v]
        if verbuende and random.random() < 0.3:
            werte.update(empfaenger_art="verbund", empfaenger_verbund=random.choice(verbuende))
        else:
            kommunen = [k for k in f.auswahl["empfaenger_kommune"] if k]
            werte.update(empfaenger_art="kommune", empfaenger_kommune=random.choice(kommunen))
        self.tippen()
        self.senden(
            url,
            f"POST /{art}/[id]/freigeben/",
            f.daten(werte, knopf=("beantragen", "1")),
            re.compile(rf"^/{art}/{pk}/$"),
        )
        self.seite(f"/{art}/{pk}/", f"/{art}/[id]/", 'id="h-eckdaten"')

    def _extraktion_abwarten(self, pk: str, html: str) -> None:
        """Poll the document's state as htmx does (every 2 s) until the worker is done."""
        m = re.search(rf'hx-get="(/ergebnisse/{pk}/dokumente/\d+/status/)"', html)
        for _ in range(60):
            if m is None:
                return
            gevent.sleep(2)
            teil = self.seite(
                m.group(1), "/ergebnisse/[id]/dokumente/[id]/status/", 'class="dok-status"'
            )
            if teil is None:
                return
            m = re.search(r'hx-get="([^"]+/status/)"', teil)
        with self.client.get(m.group(1), name="Texterkennung fertig", catch_response=True) as r:
            r.failure("Texterkennung nach 120 s nicht fertig")

    @task(3)
    def ergebnis_mit_dokument(self):
        html = self.seite("/ergebnisse/neu/", "/ergebnisse/neu/", "<h1>Neues Ergebnis</h1>")
        if html is None:
            return
        f = formular(html, action="", feld="titel")
        werte = {
            **RECHTLICHES,
            "titel": _titel("Studie"),
            "art": random.choice([a for a in f.auswahl["art"] if a]),
            "zusammenfassung": f"Untersuchung zu {random.choice(NOMEN)} in der Verwaltung.",
            "text": "## Ergebnis\n\n" + " ".join(random.sample(NOMEN, 20)),
            "datum": dt.date.today().isoformat(),
            "autoren": "Referat für Digitalisierung",
        }
        self.tippen(5, 15)
        m = self.senden(
            "/ergebnisse/neu/",
            "POST /ergebnisse/neu/",
            f.daten(werte),
            re.compile(r"^/ergebnisse/(\d+)/$"),
        )
        if m is None:
            return
        pk = m.group(1)
        if self.seite(f"/ergebnisse/{pk}/", "/ergebnisse/[id]/", 'id="h-eckdaten"') is None:
            return
        url = f"/ergebnisse/{pk}/dokumente/neu/"
        html = self.seite(url, "/ergebnisse/[id]/dokumente/neu/", "<h1>Dokument hochladen</h1>")
        if html is None:
            return
        f = formular(html, action="", feld="csrfmiddlewaretoken")
        name, inhalt, typ = _datei()
        self.tippen()
        if not self.senden(
            url,
            "POST /ergebnisse/[id]/dokumente/neu/",
            f.daten(),
            re.compile(rf"^/ergebnisse/{pk}/$"),
            dateien={"datei": (name, inhalt, typ)},
        ):
            return
        html = self.seite(f"/ergebnisse/{pk}/", "/ergebnisse/[id]/", 'id="h-dokumente"')
        if html is None:
            return
        self._extraktion_abwarten(pk, html)
        self._freigabe_beantragen("ergebnisse", pk)

    @task(1)
    def projekt_anlegen(self):
        html = self.seite("/projekte/neu/", "/projekte/neu/", "<h1>Neues Projekt</h1>")
        if html is None:
            return
        f: Formular = formular(html, action="", feld="titel")
        themen = [t for t in f.auswahl.get("themen", []) if t]
        werte = {
            **RECHTLICHES,
            "titel": _titel("Projekt"),
            "zusammenfassung": f"Wir digitalisieren {random.choice(NOMEN)}.",
            "beschreibung": "## Ziel\n\n" + " ".join(random.sample(NOMEN, 15)),
            "status": random.choice(STATUS_PROJEKT),
            "themen": random.sample(themen, min(2, len(themen))),
            "kontakt": "Referat für Digitalisierung",
            "beteiligung-0-akteur": "Seniorenbeirat",
            "beteiligung-0-art": random.choice(
                [a for a in f.auswahl.get("beteiligung-0-art", []) if a]
            ),
            "beteiligung-0-beschreibung": "Zwei Workshops",
        }
        self.tippen(10, 20)
        m = self.senden(
            "/projekte/neu/",
            "POST /projekte/neu/",
            f.daten(werte),
            re.compile(r"^/projekte/(\d+)/$"),
        )
        if m is None:
            return
        pk = m.group(1)
        if self.seite(f"/projekte/{pk}/", "/projekte/[id]/", 'id="h-eckdaten"') is None:
            return
        self.tippen()
        self._freigabe_beantragen("projekte", pk)

    @task(1)
    def eigene_liste(self):
        html = self.seite("/projekte/", "/projekte/", "<h1>Projekte</h1>")
        ziele = links(html or "", "projekte")
        if ziele:
            self.tippen()
            self.seite(random.choice(ziele), "/projekte/[id]/", 'id="h-eckdaten"')


# --- sharing admins --------------------------------------------------------------------------

ARTIKEL = re.compile(r'<article class="karte eintrag".*?</article>', re.S)


class FreigabeAdmin(Portalnutzer):
    """A city's admin for sharing: works through the inbox, grants or refuses proposals."""

    fixed_count = ADMINS
    wait_time = between(10, 30)

    def konto(self) -> str:
        nr = next(_admin_nr) % ADMINS
        return KONTEN["freigabe_admin"][nr]

    def _offene(self, html: str) -> list[tuple[Formular, bool, str]]:
        """The proposals of the inbox: their form, whether the rule check passed, the page."""
        aus = []
        for artikel in ARTIKEL.findall(html):
            f = formular(artikel, action="/freigaben/eingang/", feld="freigabe")
            if f is None or ("aktion", "ablehnen") not in f.knoepfe:
                continue  # an access request or a Freigabe to re-check, not a proposal
            aus.append((f, "pruefung-ok" in artikel, artikel))
        return aus

    @task(4)
    def eingang_entscheiden(self):
        html = self.seite(
            "/freigaben/eingang/", "/freigaben/eingang/", "Eingang der Freigabe-Admins"
        )
        if html is None:
            return
        offene = self._offene(html)
        if not offene:
            return
        # Newest first: what the publishers proposed during the run is on top of the queue.
        offene.sort(key=lambda x: int(dict(x[0].felder)["freigabe"]), reverse=True)
        f, ok, _artikel = offene[0] if random.random() < 0.7 else random.choice(offene)
        self.tippen(5, 15)
        if ok and random.random() < 0.85:
            # Granting shows who gains access first; the admin reads it and confirms.
            html = self.senden_seite(
                f.action,
                "POST /freigaben/eingang/ (erteilen: Bestätigung)",
                f.daten(knopf=("aktion", "erteilen")),
                "Erteilen bestätigen",
            )
            bestaetigung = html and formular(html, action=re.compile(r"^/freigaben/\d+/$"))
            if not bestaetigung:
                return
            self.tippen(2, 5)
            f = bestaetigung
            daten = f.daten(knopf=("bestaetigt", "1"))
            name = "POST /freigaben/[id]/ (erteilen bestätigt)"
        else:
            begruendung = (
                "Bitte zuerst die Regelprüfung klären."
                if not ok
                else "Nicht mit dem Zweck der Kooperation vereinbar."
            )
            daten = f.daten({"begruendung": begruendung}, knopf=("aktion", "ablehnen"))
            name = "POST /freigaben/eingang/ (ablehnen)"
        if self.senden(f.action, name, daten, re.compile(r"^/freigaben/eingang/$")):
            self.seite("/freigaben/eingang/", "/freigaben/eingang/", "Eingang der Freigabe-Admins")

    @task(1)
    def freigabe_ansehen(self):
        html = self.seite(
            "/freigaben/eingang/", "/freigaben/eingang/", "Eingang der Freigabe-Admins"
        )
        links = sorted(set(re.findall(r'href="(/freigaben/\d+/)"', html or "")))
        if links:
            self.tippen()
            self.seite(random.choice(links), "/freigaben/[id]/", 'id="h-verlauf"')

    @task(1)
    def protokoll(self):
        self.seite("/protokoll/", "/protokoll/", "Protokoll:")


_umgebung: dict = {}
_anfragen: list[tuple] = []


@events.init.add_listener
def _umgebung_merken(environment, **kwargs):
    _umgebung["env"] = environment


@events.request.add_listener
def _anfrage_merken(request_type, name, response_time, exception, **kwargs):
    """Every request's start, name, time and outcome, for exact percentiles in the report."""
    beginn = time.time() - response_time / 1000
    _anfragen.append(
        (round(beginn, 3), request_type, name, round(response_time, 1), bool(exception))
    )


@events.spawning_complete.add_listener
def _mischung_festhalten(user_count, **kwargs):
    """Record how many users of each kind ran, and when all had started."""
    ziel = os.environ.get("LAST_MISCHUNG")
    runner = _umgebung["env"].runner
    if ziel and runner is not None:
        with open(ziel, "w", encoding="utf-8") as f:
            json.dump({"klassen": dict(runner.user_classes_count), "alle_da": time.time()}, f)


@events.quitting.add_listener
def _anfragen_schreiben(environment, **kwargs):
    ziel = os.environ.get("LAST_ANFRAGEN")
    if ziel:
        with open(ziel, "w", encoding="utf-8") as f:
            json.dump(_anfragen, f)
