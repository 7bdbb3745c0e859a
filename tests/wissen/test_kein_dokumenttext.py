"""Crawl of the demo: no page shows a word of a document the visitor may not download.

On the seeded demo data, every demo user and an anonymous visitor walk the portal from the
start page (GET only, internal links breadth-first, plus searches for document words) and
every response is checked for distinctive words taken from the extracted text of each
document they may not download (`sharing.can(user, "download", ergebnis)`). A word is
distinctive when it occurs nowhere else: in no other column of the database and in no
template or UI string, and in no document the visitor may download.
"""

import io
import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils.html import escape

from common.models import Suchwort
from kommunen import sharing
from kommunen.models import Benutzer
from wissen.models import Dokument, Ergebnis

ROOT = Path(__file__).resolve().parents[2]
MAX_SEITEN = 150  # per visitor; the demo needs fewer
SUCHWOERTER_JE_BESUCHER = 4
MIN_LAENGE = 9

# Never followed: leaving the session, file downloads (their bytes are the document itself,
# which the download view already guards), static files, the operators' Django admin,
# the language switch (POST).
NICHT_FOLGEN = (
    re.compile(r"^/abmelden/"),
    re.compile(r"^/ergebnisse/\d+/dokumente/\d+/$"),
    re.compile(r"^/static/"),
    re.compile(r"^/media/"),
    re.compile(r"^/betrieb/"),
    re.compile(r"^/i18n/"),
)
LINK = re.compile(r'(?:href|hx-get)="([^"]+)"')


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed", demo=True, stdout=io.StringIO())


def _woerter(text: str) -> set[str]:
    return {w.lower() for w in re.findall(rf"[^\W\d_]{{{MIN_LAENGE},}}", text)}


def _sonst_ueberall() -> str:
    """Every text of the database except the documents' extracted text, plus the UI texts."""
    teile = []
    for modell in apps.get_models():
        felder = [
            f.attname
            for f in modell._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not (modell is Dokument and f.name == "text")
            # The search index's own stores (stems, vocabulary) are never shown to anyone.
            and f.name not in ("suchtext", "suchtext_dokumente")
            and modell is not Suchwort
        ]
        if felder:
            for zeile in modell._default_manager.values_list(*felder):
                teile.extend(str(w) for w in zeile if w)
    for ordner in ("templates", "locale"):
        for datei in (ROOT / ordner).rglob("*"):
            if datei.suffix in (".html", ".txt", ".po"):
                teile.append(datei.read_text(encoding="utf-8"))
    return "\n".join(teile).lower()


def _dokumentwoerter(sonst: str) -> dict[int, set[str]]:
    """Per result: the distinctive words of its documents' text."""
    woerter: dict[int, set[str]] = {}
    for ergebnis_id, text in Dokument.objects.values_list("ergebnis_id", "text"):
        woerter.setdefault(ergebnis_id, set()).update(_woerter(text or ""))
    return {e: {w for w in ws if w not in sonst} for e, ws in woerter.items()}


def _verboten(user, dokumentwoerter) -> tuple[set[str], set[str]]:
    """Words of documents the user may not download, and of those they may."""
    ergebnisse = Ergebnis.objects.filter(pk__in=dokumentwoerter)
    darf = set(sharing.visible(user, ergebnisse, "download").values_list("pk", flat=True))
    erlaubt = set().union(*(dokumentwoerter[e] for e in darf))
    verboten = set().union(*(w for e, w in dokumentwoerter.items() if e not in darf))
    return verboten - erlaubt, erlaubt


def _folgen(url: str) -> str | None:
    url = url.replace("&amp;", "&")
    teile = urlsplit(url)
    if teile.scheme or teile.netloc or not teile.path.startswith("/"):
        return None
    if any(m.search(teile.path) for m in NICHT_FOLGEN):
        return None
    return teile.path + (f"?{teile.query}" if teile.query else "")


def _ohne_echo(url: str, html: str) -> str:
    """The response without the places that repeat the request's own address or query."""
    html = html.replace(escape(url), "")
    if "q=" in url:
        html = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
        html = re.sub(r'<form[^>]*role="search".*?</form>', "", html, flags=re.S)
        html = re.sub(r'href="[^"]*q=[^"]*"', "", html)
    return html


def _durchlaufen(
    client, start: list[str], verboten: set[str], *, folgen: bool = True
) -> tuple[int, list[str], set]:
    gesehen = set(start)
    warteschlange = deque(start)
    funde, seiten = [], set()
    while warteschlange and len(seiten) < MAX_SEITEN:
        url = warteschlange.popleft()
        r = client.get(url)
        seiten.add(url)
        if not r.get("Content-Type", "").startswith(("text/", "application/json")):
            continue
        # Exports (CSV) stream their rows.
        roh = b"".join(r.streaming_content) if r.streaming else r.content
        inhalt = roh.decode("utf-8", "replace")
        rest = _ohne_echo(url, inhalt).lower()
        funde.extend(f"{url}: {w}" for w in verboten if w in rest)
        # A hit for such a word tells it is in the document, even if no excerpt shows it.
        q = parse_qs(urlsplit(url).query).get("q", [""])[0].lower()
        page = r.context.get("page") if q in verboten and r.context else None
        if page is not None and page.paginator.count:
            funde.append(f"{url}: {page.paginator.count} Treffer")
        if r.status_code != 200 or not folgen:
            continue
        for link in LINK.findall(inhalt):
            ziel = _folgen(link)
            if ziel and ziel not in gesehen:
                gesehen.add(ziel)
                warteschlange.append(ziel)
    return len(seiten), funde, seiten


@pytest.fixture(params=["volltext", "einfach"])
def pfad(request, monkeypatch):
    """The PostgreSQL full-text path, and the SQLite fallback (searches only: no other page
    depends on it)."""
    if request.param == "einfach":
        monkeypatch.setattr("common.suche.volltext", lambda: False)
        monkeypatch.setattr("wissen.suche.volltext", lambda: False)
    return request.param


def test_kein_dokumenttext_ohne_downloadrecht(demo, pfad):
    folgen = pfad == "volltext"
    sonst = _sonst_ueberall()
    dokumentwoerter = _dokumentwoerter(sonst)
    besucher = [*Benutzer.objects.filter(is_active=True).order_by("username"), AnonymousUser()]
    assert len(besucher) >= 10

    geprueft = 0  # (visitor, word) pairs checked
    sichtbar_ohne_download = 0  # results a visitor sees but may not download
    for user in besucher:
        sharing.forget(user)
        verboten, erlaubt = _verboten(user, dokumentwoerter)
        geprueft += len(verboten)
        client = Client()
        if user.is_authenticated:
            client.force_login(user)
        nur_sehen = list(
            sharing.visible(user, Ergebnis.objects.all(), "view").exclude(
                pk__in=sharing.visible(user, Ergebnis.objects.all(), "download").values("pk")
            )
        )
        # Search for words of the results seen without documents first, then any others.
        suche = [w for e in nur_sehen for w in sorted(dokumentwoerter.get(e.pk, set()))[:2]]
        suche += sorted(verboten)[:SUCHWOERTER_JE_BESUCHER]
        start = [f"/suche/?{urlencode({'q': w})}" for w in dict.fromkeys(suche)]
        if folgen:
            start.insert(0, "/")
        anzahl, funde, seiten = _durchlaufen(client, start, verboten, folgen=folgen)
        name = user.username or "anonym"
        assert not funde, f"{name} sieht Dokumenttext ohne Downloadrecht: {funde[:10]}"
        assert anzahl < MAX_SEITEN, f"{name}: Seitengrenze erreicht, die Prüfung ist unvollständig"
        # The crawl reached every result the visitor sees without its documents.
        for e in nur_sehen:
            sichtbar_ohne_download += 1
            if not folgen:
                continue
            assert e.get_absolute_url() in seiten, f"{name}: {e.get_absolute_url()} nicht besucht"
        print(f"{name}: {anzahl} Seiten, {len(verboten)} Wörter geprüft")

    # The test can fail: there are words to check, and results seen without their documents.
    assert geprueft >= 100
    assert sichtbar_ohne_download >= 3


def test_wer_laden_darf_findet_dieselben_woerter(demo, client):
    """The words are real search terms: the owner finds the result by them, with excerpt."""
    sonst = _sonst_ueberall()
    dokumentwoerter = _dokumentwoerter(sonst)
    gefunden = 0
    for ergebnis in Ergebnis.objects.filter(pk__in=dokumentwoerter).select_related("kommune"):
        woerter = sorted(dokumentwoerter[ergebnis.pk])
        if not woerter:
            continue
        user = Benutzer.objects.get(username=f"{ergebnis.kommune.slug}-mitarbeit")
        assert sharing.can(user, "download", ergebnis)
        client.force_login(user)
        wort = woerter[0]
        r = client.get("/suche/", {"q": wort})
        assert r.status_code == 200
        assert ergebnis in [t.objekt for t in r.context["treffer"]], wort
        html = _ohne_echo(r.wsgi_request.get_full_path(), r.content.decode()).lower()
        assert wort in html, wort
        gefunden += 1
    assert gefunden >= 10
