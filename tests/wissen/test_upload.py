"""Document upload: type by content, size limit, duplicates, VS-NfD, VERSION-1, nothing left."""

import os

import pytest
from django.test import override_settings
from django.urls import reverse

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import EmpfaengerArt, Protokoll, Umfang
from tests import dateien as d
from tests.factories import ergebnis_anlegen
from wissen.models import Dokument


def _dateien_auf_platte(settings) -> list[str]:
    gefunden = []
    for wurzel, _ordner, namen in os.walk(settings.MEDIA_ROOT):
        gefunden += [os.path.join(wurzel, n) for n in namen]
    return gefunden


@pytest.fixture
def ergebnis(welt):
    return ergebnis_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="Studie")


def _url(ergebnis):
    return reverse("wissen:dokument_neu", args=[ergebnis.pk])


def test_pdf_hochladen(client, welt, ergebnis, settings, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", "herausgabe")
    client.force_login(her)
    r = client.get(_url(ergebnis))
    assert r.status_code == 200
    assert 'accept=".pdf,.docx' in r.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(
            _url(ergebnis), {"datei": d.upload("../../Bericht <b>.pdf", d.pdf("Hallo"))}
        )
    assert r.status_code == 302
    assert r.url == ergebnis.get_absolute_url()
    assert len(callbacks) == 1  # the extraction is queued after commit
    dok = Dokument.objects.get()
    assert dok.originalname == "Bericht <b>.pdf"
    assert dok.mime == "application/pdf"
    assert dok.hochgeladen_von == her
    assert dok.extraktion == Dokument.Extraktion.WARTET
    # The stored name derives from the hash, never from the user's name.
    assert dok.datei.name.endswith(dok.sha256)
    assert "Bericht" not in dok.datei.name
    assert _dateien_auf_platte(settings) == [dok.datei.path]
    assert Protokoll.objects.filter(aktion=Protokoll.Aktion.DOKUMENT_HINZUGEFUEGT).exists()


@pytest.mark.parametrize(
    ("name", "inhalt"),
    [
        ("bericht.docx", d.docx("Absatz")),
        ("tabelle.xlsx", d.xlsx("Zelle")),
        ("folien.pptx", d.pptx("Folie")),
        ("text.odt", d.odf("odt", "Absatz")),
        ("tabelle.ods", d.odf("ods", "Zelle")),
        ("folien.odp", d.odf("odp", "Folie")),
        ("daten.csv", "Stadt;Anzahl\nMünchen;3\n".encode("cp1252")),
        ("notiz.TXT", "Grüße aus Nürnberg".encode()),
        ("liesmich.md", b"# Titel\n\nText"),
        ("scan.png", d.bilddatei("Scan")),
        ("scan.jpg", d.bilddatei("Scan", format="JPEG")),
        ("scan.JPEG", d.bilddatei("Scan", format="JPEG")),
        ("scan.tif", d.bilddatei("Scan", format="TIFF")),
        ("scan.tiff", d.bilddatei("Scan", format="TIFF", modus="1", compression="group4")),
    ],
)
def test_erlaubte_formate(welt, ergebnis, name, inhalt):
    from wissen import services

    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload(name, inhalt), by=welt.user("muenchen", "herausgabe")
    )
    assert dok.mime.startswith(("application/vnd", "text/", "image/"))
    if name.startswith("scan."):
        assert dok.mime == {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}.get(
            name.rsplit(".", 1)[1].lower(), "image/tiff"
        )


ABLEHNUNGEN = [
    ("programm.pdf", d.exe(), "Ausführbare Dateien"),
    ("programm.exe", d.exe(), "Endung „.exe“"),
    ("seite.pdf", b"<html><script>alert(1)</script></html>", "passt zu keinem erlaubten Format"),
    ("seite.txt", b"<!DOCTYPE html><html><script>x</script>", "HTML-"),
    ("bericht.pdf", d.docx("x"), "Die Dateiendung .pdf passt nicht zum Inhalt"),
    ("bericht.docx", d.pdf("x"), "Die Dateiendung .docx passt nicht zum Inhalt"),
    ("bombe.docx", d.zip_bombe(), "ZIP-Bombe"),
    ("geheim.docx", d.docx("x", verschluesselt=True), "verschlüsselt"),
    ("geheim.pdf", d.pdf_verschluesselt(), "verschlüsselt"),
    ("kaputt.pdf", b"%PDF-1.4\nkaputt", "beschädigt"),
    ("archiv.docx", d._zip({"a.txt": "x"}), "Archive werden nicht angenommen"),
    ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Endung „.doc“"),
    ("alt.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Alte Office-Formate"),
    ("binaer.txt", b"Hallo\x00Welt", "Binärdaten"),
    ("kodierung.txt", b"\x81\x8d\x8f\x90", "weder UTF-8 noch Windows-1252"),
    ("leer.pdf", b"", "Datei ist leer"),
    ("ohne_endung", d.pdf("x"), "Endung „(keine)“"),
    # Images are judged by their content like every other file.
    ("foto.png", d.pdf("x"), "Die Dateiendung .png passt nicht zum Inhalt: Die Datei ist eine PDF"),
    (
        "foto.jpg",
        d.bilddatei("x"),
        "Die Dateiendung .jpg passt nicht zum Inhalt: Die Datei ist eine PNG-Datei",
    ),
    ("foto.png", d.bilddatei("x", format="JPEG"), "ist eine JPEG-Datei"),
    ("foto.png", b"PNG-artig, aber Text" * 10, "passt zu keinem erlaubten Format"),
    ("seite.png", b"<svg onload=alert(1)></svg>", "passt zu keinem erlaubten Format"),
    ("kaputt.png", d.bilddatei("x")[:200], "Die Bilddatei ist beschädigt"),
    ("kaputt.jpg", d.bilddatei("x", format="JPEG")[:400], "Die Bilddatei ist beschädigt"),
    ("kaputt.tif", b"II*\x00" + b"\xff" * 100, "Die Bilddatei ist beschädigt"),
    # Decompression bombs: the header declares more pixels than any scan has.
    ("bombe.png", d.png_mit_groesse(8_000, 8_000), "Das Bild ist zu groß"),
    ("bombe.png", d.png_mit_groesse(60_000, 60_000), "Das Bild ist zu groß"),
]


@pytest.mark.parametrize(("name", "inhalt", "meldung"), ABLEHNUNGEN)
def test_abgelehnt_mit_grund_und_nichts_gespeichert(
    client, welt, ergebnis, settings, name, inhalt, meldung
):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(_url(ergebnis), {"datei": d.upload(name, inhalt)})
    assert r.status_code == 400
    html = r.content.decode()
    assert meldung in html
    assert 'id="id_datei_error"' in html  # the reason is tied to the field
    assert not Dokument.objects.exists()
    assert _dateien_auf_platte(settings) == []
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.DOKUMENT_HINZUGEFUEGT).exists()


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_zu_gross(client, welt, ergebnis, settings):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(_url(ergebnis), {"datei": d.upload("gross.txt", b"a" * 1001)})
    assert r.status_code == 400
    # The upload handler stopped reading at the limit, before any temporary file filled up.
    assert "Die Datei ist zu groß; erlaubt sind höchstens 1000" in r.content.decode()
    assert not Dokument.objects.exists()
    assert _dateien_auf_platte(settings) == []
    r = client.post(_url(ergebnis), {"datei": d.upload("klein.txt", b"a" * 1000)})
    assert r.status_code == 302


def test_ohne_datei(client, welt, ergebnis):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(_url(ergebnis), {})
    assert r.status_code == 400
    assert "Bitte eine Datei auswählen." in r.content.decode()


def test_duplikat_im_selben_ergebnis(client, welt, ergebnis, settings):
    client.force_login(welt.user("muenchen", "herausgabe"))
    inhalt = d.pdf("Einmal")
    assert client.post(_url(ergebnis), {"datei": d.upload("a.pdf", inhalt)}).status_code == 302
    r = client.post(_url(ergebnis), {"datei": d.upload("anderer-name.pdf", inhalt)})
    assert r.status_code == 400
    assert "schon vorhanden" in r.content.decode()
    assert Dokument.objects.count() == 1
    assert len(_dateien_auf_platte(settings)) == 1
    # The same file in another result is fine.
    anderes = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    r = client.post(_url(anderes), {"datei": d.upload("a.pdf", inhalt)})
    assert r.status_code == 302
    assert Dokument.objects.count() == 2


def test_vsnfd_verweigert_upload(client, welt, settings):
    e = ergebnis_anlegen(
        welt.muenchen,
        welt.user("muenchen", "herausgabe"),
        einstufung="vs_nfd",
        vsnfd_ansprechstelle="Amt 12",
    )
    client.force_login(welt.user("muenchen", "herausgabe"))
    assert "VSNFD-1" in client.get(_url(e)).content.decode()
    r = client.post(_url(e), {"datei": d.upload("a.pdf", d.pdf("geheim"))})
    assert r.status_code == 400
    assert "VSNFD-1" in r.content.decode()
    assert not Dokument.objects.exists()
    assert _dateien_auf_platte(settings) == []


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [("muenchen", "mitarbeit"), ("muenchen", "freigabe_admin"), ("augsburg", "herausgabe")],
)
def test_ohne_aenderungsrecht_404(client, welt, ergebnis, slug, rolle):
    client.force_login(welt.user(slug, rolle))
    assert client.get(_url(ergebnis)).status_code == 404
    r = client.post(_url(ergebnis), {"datei": d.upload("a.pdf", d.pdf("x"))})
    assert r.status_code == 404
    assert not Dokument.objects.exists()


def test_anonym_zur_anmeldung(client, ergebnis):
    r = client.post(_url(ergebnis), {"datei": d.upload("a.pdf", d.pdf("x"))})
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert not Dokument.objects.exists()


def test_upload_zu_geteiltem_ergebnis_loest_version_1_aus(client, welt, ergebnis):
    her = welt.user("muenchen", "herausgabe")
    f = kommunen_services.freigabe_beantragen(
        objekt=ergebnis,
        by=her,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.VOLLSTAENDIG,
    )
    kommunen_services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    assert sharing.can(welt.user("augsburg"), "download", ergebnis)
    client.force_login(her)
    r = client.post(_url(ergebnis), {"datei": d.upload("neu.pdf", d.pdf("Neue Fassung"))})
    assert r.status_code == 302
    f.refresh_from_db()
    assert f.dokumente_zurueckgehalten
    augsburg = welt.user("augsburg")
    assert sharing.can(augsburg, "view", ergebnis)
    assert not sharing.can(augsburg, "download", ergebnis)
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.FREIGABE_ZUR_PRUEFUNG, freigabe_id_ref=f.pk
    ).exists()


def test_groessenpruefung_auch_im_service(welt, ergebnis):
    from django.core.exceptions import ValidationError

    from wissen import dateipruefung

    with pytest.raises(ValidationError) as info:
        dateipruefung.pruefen(d.upload("a.txt", b"x" * 11), max_bytes=10)
    assert "erlaubt sind höchstens 10" in info.value.message_dict["datei"][0]


def test_csrf_wird_geprueft(welt, ergebnis):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(_url(ergebnis), {"datei": d.upload("a.pdf", d.pdf("x"))})
    assert r.status_code == 403
    assert not Dokument.objects.exists()
    seite = client.get(_url(ergebnis))
    token = seite.cookies["csrftoken"].value
    r = client.post(
        _url(ergebnis),
        {"datei": d.upload("a.pdf", d.pdf("x")), "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302
    assert Dokument.objects.count() == 1


def _dokumente(ergebnis, user, nummern):
    Dokument.objects.bulk_create(
        [
            Dokument(
                ergebnis=ergebnis,
                datei=f"dokumente/x/{i:064d}",
                originalname=f"datei-{i}.pdf",
                groesse=100,
                sha256=f"{i:064d}",
                mime="application/pdf",
                hochgeladen_von=user,
            )
            for i in nummern
        ]
    )


def test_abfragen_unabhaengig_von_der_zahl_der_dokumente(client, welt, ergebnis):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    her = welt.user("muenchen", "herausgabe")
    client.force_login(her)
    anzahl = []
    for nummern in (range(3), range(3, 300)):  # 3 documents, then 300
        _dokumente(ergebnis, her, nummern)
        with CaptureQueriesContext(connection) as q:
            r = client.get(_url(ergebnis))
        assert r.status_code == 200
        anzahl.append(len(q))
    assert r.content.decode().count("<progress") == 300
    assert anzahl[0] == anzahl[1]


def test_kleine_stark_komprimierte_datei_ist_keine_bombe(welt, ergebnis):
    from wissen import services

    # 1 MB of a repeated cell compresses about 1000:1, but is far too small to be a threat.
    inhalt = d.docx("Wert;" * 200_000)
    assert len(inhalt) < 5000
    dok = services.dokument_hochladen(
        ergebnis=ergebnis,
        datei=d.upload("tabelle.docx", inhalt),
        by=welt.user("muenchen", "herausgabe"),
    )
    assert dok.mime.endswith("wordprocessingml.document")
