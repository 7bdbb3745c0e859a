"""Search finds and quotes a document's text only for those who may download the document.

Every case runs on both paths: the PostgreSQL full-text search (stored vectors, ts_headline)
and the simple fallback the SQLite demo uses (`volltext()` False, icontains over the fields).
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from kommunen import sharing
from kommunen.models import Umfang
from tests import dateien
from tests.factories import OEFFENTLICH, ergebnis_anlegen, freigeben
from wissen import services
from wissen.suche import ergebnis_suchvektor_aktualisieren

SUCHE = reverse("suche")

TITEL = "Gutachten Tragwerksanalyse Altstadtbruecken"
METADATENWORT = "Tragwerksanalyse"
DOKUMENTWORT = "Quellwasserschutzgebiete"
# Words of the same document that a quoted excerpt around DOKUMENTWORT would show.
NACHBARWOERTER = ("Kellergewoelbe", "Sanierungsfahrplan", "Hochwasserrueckhaltung")
DOKUMENTTEXT = (
    "Vertraulicher Anhang: Kellergewoelbe und Quellwasserschutzgebiete im Sanierungsfahrplan "
    "der Hochwasserrueckhaltung."
)


@pytest.fixture(params=["volltext", "einfach"])
def pfad(request, monkeypatch):
    """Run on the PostgreSQL full-text path and on the SQLite fallback path."""
    if request.param == "einfach":
        monkeypatch.setattr("common.suche.volltext", lambda: False)
        monkeypatch.setattr("wissen.suche.volltext", lambda: False)
    return request.param


def _studie(welt, **legal):
    """A München result with one real PDF whose extracted text holds the document words."""
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel=TITEL, **legal)
    ergebnis_suchvektor_aktualisieren(e.pk)
    _dokument(e, her, "anhang.pdf", DOKUMENTTEXT)
    return e


def _dokument(e, her, name, text):
    dok = services.dokument_hochladen(
        ergebnis=e, datei=dateien.upload(name, dateien.pdf(text)), by=her
    )
    services.dokument_text_extrahieren(dokument_id=dok.pk)
    dok.refresh_from_db()
    assert DOKUMENTWORT in dok.text or DOKUMENTWORT not in text
    return dok


def _ohne_echo(r) -> str:
    """The page without the places that repeat the query itself (title, search field, the
    page's own address in hidden "next" fields)."""
    html = r.content.decode().replace(escape(r.wsgi_request.get_full_path()), "")
    html = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
    return re.sub(r'<form[^>]*role="search".*?</form>', "", html, flags=re.S)


def _suchen(client, q):
    r = client.get(SUCHE, {"q": q})
    assert r.status_code == 200
    return r, [t.objekt.titel for t in r.context["treffer"]]


def _kein_dokumenttext(client):
    """No hit for a document word, and no word of the document anywhere on the page."""
    r, titel = _suchen(client, DOKUMENTWORT)
    assert titel == []
    assert r.context["page"].paginator.count == 0
    html = _ohne_echo(r).lower()
    for wort in (DOKUMENTWORT, *NACHBARWOERTER):
        assert wort.lower() not in html, wort
    # Other words of the document, searched for themselves, find nothing either.
    for wort in NACHBARWOERTER:
        assert _suchen(client, wort)[1] == []


def _metadaten_finden(client):
    r, titel = _suchen(client, METADATENWORT)
    assert titel == [TITEL]
    html = r.content.decode().lower()
    for wort in (DOKUMENTWORT, *NACHBARWOERTER):
        assert wort.lower() not in html, wort


def test_nur_metadaten_an_partnerkommune(client, welt, pfad):
    e = _studie(welt)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    user = welt.user("augsburg")
    assert sharing.can(user, "view", e) and not sharing.can(user, "download", e)
    client.force_login(user)
    _kein_dokumenttext(client)
    _metadaten_finden(client)


def test_vollstaendig_aber_dokumente_zurueckgehalten(client, welt, pfad):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel=TITEL)
    ergebnis_suchvektor_aktualisieren(e.pk)
    _dokument(e, her, "erste-fassung.pdf", "Erste Fassung ohne Besonderheiten.")
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    user = welt.user("augsburg")
    assert sharing.can(user, "download", e)
    # VERSION-1: a new document after sharing withholds the documents until re-approval.
    _dokument(e, her, "anhang.pdf", DOKUMENTTEXT)
    sharing.forget(user)
    assert sharing.can(user, "view", e) and not sharing.can(user, "download", e)
    client.force_login(user)
    _kein_dokumenttext(client)
    _metadaten_finden(client)


def test_oeffentlich_nur_metadaten_anonym(client, welt, pfad):
    e = _studie(welt, **OEFFENTLICH)
    freigeben(welt, e, umfang=Umfang.METADATEN)
    assert sharing.can(None, "view", e) and not sharing.can(None, "download", e)
    _kein_dokumenttext(client)
    _metadaten_finden(client)


def test_andere_kommune_ohne_freigabe_findet_gar_nichts(client, welt, pfad):
    e = _studie(welt)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("regensburg"))
    _kein_dokumenttext(client)
    r, titel = _suchen(client, METADATENWORT)
    assert titel == []
    assert "altstadtbruecken" not in _ohne_echo(r).lower()


@pytest.mark.parametrize("slug", ["muenchen", "augsburg"])
def test_wer_laden_darf_findet_dokumenttext_mit_auszug(client, welt, pfad, slug):
    e = _studie(welt)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    user = welt.user(slug)
    assert sharing.can(user, "download", e)
    client.force_login(user)
    r, titel = _suchen(client, DOKUMENTWORT)
    assert titel == [TITEL]
    if pfad == "volltext":
        html = _ohne_echo(r)
        assert f"<mark>{DOKUMENTWORT}</mark>" in html
        assert "Kellergewoelbe" in html
    # Words of the title and of the document together still find the result.
    assert _suchen(client, f"{METADATENWORT} {DOKUMENTWORT}")[1] == [TITEL]
    assert _suchen(client, METADATENWORT)[1] == [TITEL]


def test_detailseite_nur_metadaten_ohne_dokumenttext(client, welt):
    e = _studie(welt)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    r = client.get(e.get_absolute_url())
    assert r.status_code == 200
    html = r.content.decode()
    assert TITEL in html
    for wort in re.findall(r"\w{6,}", DOKUMENTTEXT):
        assert wort.lower() not in html.lower(), wort
    assert "anhang.pdf" not in html
