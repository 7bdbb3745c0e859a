"""Limits of text extraction: huge texts, hostile XML, and uploads refused before parsing."""

import io
import itertools
import string

import pytest
from django.conf import settings
from django.http import multipartparser
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from kommunen.models import Rolle
from tests import dateien as d
from tests.factories import ergebnis_anlegen
from wissen import extraktion, services
from wissen.models import Dokument

NICHT_INDEXIERBAR = "zu umfangreich für den Suchindex"
XML_VERWEIGERT = "Das Dokument enthält unzulässige XML-Deklarationen."


@pytest.fixture
def her(welt):
    return welt.user("muenchen", Rolle.HERAUSGABE)


@pytest.fixture
def ergebnis(welt, her):
    return ergebnis_anlegen(welt.muenchen, her, titel="Studie Verkehr")


def _einmalige_woerter(zeichen: int) -> bytes:
    """Text of distinct made-up words: about 12 bytes of tsvector per 8 characters."""
    woerter = ("q" + "".join(t) for t in itertools.product(string.ascii_lowercase, repeat=6))
    teile, laenge = [], 0
    for wort in woerter:
        teile.append(wort)
        laenge += len(wort) + 1
        if laenge >= zeichen:
            break
    return " ".join(teile).encode()


def test_riesiger_text_wird_gekappt(her, ergebnis, settings, django_capture_on_commit_callbacks):
    settings.EXTRAKTION_MAX_ZEICHEN = 5_000
    with django_capture_on_commit_callbacks(execute=True):
        dok = services.dokument_hochladen(
            ergebnis=ergebnis, datei=d.upload("gross.txt", b"Verkehr Planung " * 2_000), by=her
        )
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert 0 < len(dok.text) <= 5_000


def test_nicht_indexierbarer_text_endet_in_fehler_statt_500(
    client, her, ergebnis, django_capture_on_commit_callbacks
):
    # 1.2 million characters of distinct words: over PostgreSQL's 1 MB tsvector limit even
    # after the default cap of 1,000,000 characters.
    inhalt = _einmalige_woerter(1_200_000)
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("wissen:dokument_neu", args=[ergebnis.pk]),
            {"datei": d.upload("woerter.txt", inhalt)},
        )
    assert r.status_code == 302
    dok = Dokument.objects.get()
    assert dok.extraktion == Dokument.Extraktion.FEHLER
    assert NICHT_INDEXIERBAR in dok.extraktion_fehler
    assert dok.text == ""
    # The result itself stays searchable by its title.
    ergebnis.refresh_from_db()
    assert ergebnis.suchvektor is not None


LACHEN = (
    '<!DOCTYPE w:document [<!ENTITY l0 "ha">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERN = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _docx_mit(dtd: str, text: str) -> bytes:
    # A long comment first pushes the declaration past any look at the first few kilobytes.
    kopf = '<?xml version="1.0"?><!--' + "x" * 10_000 + "-->" + dtd
    return d._zip(
        {
            "[Content_Types].xml": d.CT,
            "word/document.xml": (
                f'{kopf}<w:document xmlns:w="{d.W}"><w:body><w:p><w:r><w:t>{text}</w:t>'
                "</w:r></w:p></w:body></w:document>"
            ),
        }
    )


@pytest.mark.parametrize(
    "inhalt",
    [_docx_mit(LACHEN, "&l9;"), _docx_mit(LACHEN, "&l2;"), _docx_mit(EXTERN, "&x;")],
    ids=["billion-laughs", "kleine-entitaet", "externe-entitaet"],
)
def test_dtd_und_entitaeten_werden_verweigert(inhalt, her, ergebnis):
    with pytest.raises(extraktion.ExtraktionsFehler) as exc:
        extraktion.extrahieren(io.BytesIO(inhalt), "docx")
    assert exc.value.grund == XML_VERWEIGERT
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("lachen.docx", inhalt), by=her
    )
    assert services.dokument_text_extrahieren(dokument_id=dok.pk) == Dokument.Extraktion.FEHLER
    dok.refresh_from_db()
    assert dok.extraktion_fehler == XML_VERWEIGERT
    assert "haha" not in dok.text and "root:" not in dok.text


@pytest.mark.parametrize("slug, rolle", [("augsburg", Rolle.HERAUSGABE), ("muenchen", "mitarbeit")])
def test_upload_ohne_recht_liest_den_koerper_nicht(welt, ergebnis, monkeypatch, slug, rolle):
    aufrufe = []
    echt = multipartparser.MultiPartParser.parse

    def zaehlen(self):
        aufrufe.append(1)
        return echt(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", zaehlen)
    # As in production: the CSRF check is enforced (and reads the form token from the body).
    client = Client(enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    url = reverse("wissen:dokument_neu", args=[ergebnis.pk])
    daten = {"csrfmiddlewaretoken": token, "datei": d.upload("a.pdf", d.pdf("Text"))}
    client.force_login(welt.user(slug, rolle))
    r = client.post(url, daten)
    assert r.status_code in (403, 404)
    assert aufrufe == []
    assert not Dokument.objects.exists()
    # The owner's herausgabe still uploads (the body is parsed once, after the check).
    client.force_login(welt.user("muenchen", Rolle.HERAUSGABE))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    daten["datei"] = d.upload("a.pdf", d.pdf("Text"))
    r = client.post(url, daten)
    assert r.status_code == 302
    assert aufrufe == [1]
