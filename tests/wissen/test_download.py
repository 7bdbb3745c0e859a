"""Document download: permission-checked, streamed, attachment, nosniff, logged."""

import pytest
from django.urls import reverse

from kommunen.models import Protokoll, Umfang
from tests.factories import OEFFENTLICH, dokument_anlegen, ergebnis_anlegen, freigeben

INHALT = b"%PDF-1.4\n% Studie\n"


@pytest.fixture
def studie(welt):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie Radverkehr")
    d = dokument_anlegen(e, her, name="Studie Radverkehr.pdf", inhalt=INHALT)
    return e, d


def _url(e, d):
    return reverse("wissen:download", args=[e.pk, d.pk])


def _laden(client, e, d):
    r = client.get(_url(e, d))
    if r.status_code == 200:
        assert b"".join(r.streaming_content) == INHALT
    return r


def test_eigentuemerin_laedt_mit_kopfzeilen_und_protokoll(client, welt, studie):
    e, d = studie
    user = welt.user("muenchen")
    client.force_login(user)
    r = _laden(client, e, d)
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="Studie Radverkehr.pdf"'
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in r["Cache-Control"]
    row = Protokoll.objects.get(aktion=Protokoll.Aktion.DOWNLOAD)
    assert row.kommune == welt.muenchen
    assert row.akteur == user and row.akteur_kommune == welt.muenchen
    assert row.object_id == e.pk and row.details["dokument"] == d.pk


def test_partner_vollstaendig_laedt_und_wird_im_log_der_eigentuemerin_protokolliert(
    client, welt, studie
):
    e, d = studie
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    client.force_login(welt.user("augsburg"))
    assert _laden(client, e, d).status_code == 200
    row = Protokoll.objects.get(aktion=Protokoll.Aktion.DOWNLOAD)
    assert row.kommune == welt.muenchen and row.akteur_kommune == welt.augsburg


def test_nur_metadaten_404(client, welt, studie):
    e, d = studie
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    assert client.get(_url(e, d)).status_code == 404
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.DOWNLOAD).exists()


def test_nur_metadaten_zeigt_keine_dokumentnamen_und_keinen_status(client, welt, studie):
    e, d = studie
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    html = client.get(e.get_absolute_url()).content.decode()
    assert "Studie Radverkehr" in html  # the metadata is visible ...
    assert "Studie Radverkehr.pdf" not in html  # ... the documents are not, not even by name
    assert "gibt es 1 Dokument" in html
    status = reverse("wissen:dokument_status", args=[e.pk, d.pk])
    assert client.get(status).status_code == 404
    client.force_login(welt.user("muenchen"))
    assert "Studie Radverkehr.pdf" in client.get(e.get_absolute_url()).content.decode()
    assert client.get(status).status_code == 200


@pytest.mark.parametrize("slug", ["nuernberg", "regensburg"])
def test_andere_kommune_404(client, welt, studie, slug):
    e, d = studie
    freigeben(welt, e, an=welt.augsburg)
    client.force_login(welt.user(slug))
    assert client.get(_url(e, d)).status_code == 404
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.DOWNLOAD).exists()


def test_dokument_eines_anderen_ergebnisses_404(client, welt, studie):
    e, d = studie
    her = welt.user("augsburg", "herausgabe")
    fremd = ergebnis_anlegen(welt.augsburg, her)
    fremd_dok = dokument_anlegen(fremd, her, name="geheim.pdf", inhalt=b"%PDF geheim")
    client.force_login(welt.user("muenchen"))
    # München's own result id with Augsburg's document id: still 404
    assert client.get(reverse("wissen:download", args=[e.pk, fremd_dok.pk])).status_code == 404
    assert client.get(reverse("wissen:download", args=[e.pk, 999999])).status_code == 404


def test_anonym_zur_anmeldung(client, welt, studie):
    e, d = studie
    r = client.get(_url(e, d))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_oeffentlich_vollstaendig_anonym(client, welt):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Offene Daten", **OEFFENTLICH)
    d = dokument_anlegen(e, her, name="daten.pdf", inhalt=INHALT)
    freigeben(welt, e, umfang=Umfang.VOLLSTAENDIG)
    assert _laden(client, e, d).status_code == 200
    row = Protokoll.objects.get(aktion=Protokoll.Aktion.DOWNLOAD)
    assert row.akteur is None and row.kommune == welt.muenchen


def test_nach_widerruf_404(client, welt, studie):
    from kommunen import services

    e, d = studie
    f = freigeben(welt, e, an=welt.augsburg)
    client.force_login(welt.user("augsburg"))
    assert _laden(client, e, d).status_code == 200
    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    assert client.get(_url(e, d)).status_code == 404


@pytest.mark.parametrize(
    "name,erwartet",
    [
        ("Übersicht März.pdf", "attachment; filename*=utf-8''%C3%9Cbersicht%20M%C3%A4rz.pdf"),
        ('a"b\\c.pdf', 'attachment; filename="a\\"b_c.pdf"'),
        ("zeile\r\nSet-Cookie: x=1.pdf", 'attachment; filename="zeileSet-Cookie: x=1.pdf"'),
        ("../../etc/passwd", 'attachment; filename="_.._etc_passwd"'),
    ],
)
def test_dateiname_sicher(client, welt, name, erwartet):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her)
    d = dokument_anlegen(e, her, name=name, inhalt=INHALT)
    client.force_login(welt.user("muenchen"))
    r = _laden(client, e, d)
    assert r.status_code == 200
    assert r["Content-Disposition"] == erwartet
    assert "Set-Cookie" not in r.headers or "x=1" not in r.headers.get("Set-Cookie", "")


def test_fehlende_datei_404(client, welt, studie):
    e, d = studie
    d.datei.storage.delete(d.datei.name)
    client.force_login(welt.user("muenchen"))
    assert client.get(_url(e, d)).status_code == 404


@pytest.mark.parametrize(
    ("mime", "de", "en"),
    [
        ("application/pdf", "PDF-Dokument", "PDF document"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word-Dokument",
            "Word document",
        ),
        ("text/plain", "Textdatei", "Text file"),
    ],
)
def test_dateityp_in_worten_nicht_als_mime(client, welt, studie, mime, de, en):
    e, d = studie
    type(d).objects.filter(pk=d.pk).update(mime=mime)
    client.force_login(welt.user("muenchen"))
    html = client.get(e.get_absolute_url()).content.decode()
    assert f'<td data-label="Typ">{de}</td>' in html
    assert mime not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert f'<td data-label="Type">{en}</td>' in client.get(e.get_absolute_url()).content.decode()
