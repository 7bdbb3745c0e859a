"""Scanned documents become searchable: German OCR (real Tesseract) in the extraction task.

A scan here is text drawn into pixels with Pillow (DejaVu Sans), saved as a PDF without a
text layer or as an image file. The uploads go through the upload page; with a broker the
request only queues, and a real Celery worker reads the pages; without one (the embedded
default) the task runs in-process under the same budget.
"""

import io
import os
from pathlib import Path

import pytest
from celery.contrib.testing import tasks as _ping  # noqa: F401  (registers celery.ping)
from django.urls import reverse

from kommunen.models import Umfang
from tests import dateien as d
from tests.factories import ergebnis_anlegen, freigeben
from tests.worker import broker, echter_worker, warten
from wissen import extraktion
from wissen.extraktion import ocr
from wissen.models import Dokument

# A database of its own, so that a parallel run of the other worker tests cannot purge ours.
REDIS = "redis://127.0.0.1:6379/14"
SUCHE = reverse("suche")

SCAN_SEITE_1 = ("Straßenbeleuchtung und Fußgängerüberwege", "Größere Maßnahmen für Bürgerinnen")
SCAN_SEITE_2 = ("Öffnungszeiten der Bürgerbüros", "Schließfächer am Rathaus")
BILD_ZEILEN = ("Ladesäulen für Elektroautos", "Straßenmöblierung am Marktplatz")


def _hochladen(client, ergebnis, name, inhalt):
    r = client.post(
        reverse("wissen:dokument_neu", args=[ergebnis.pk]), {"datei": d.upload(name, inhalt)}
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    return Dokument.objects.get(ergebnis=ergebnis, originalname=name)


def _titel(client, q) -> list[str]:
    r = client.get(SUCHE, {"q": q})
    assert r.status_code == 200
    return [t.objekt.titel for t in r.context["treffer"]]


def _tesseract_kinder() -> list[int]:
    """Tesseract processes this test process started and that still run."""
    kinder = []
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            stat = (eintrag / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if name == "tesseract" and int(rest.split()[1]) == os.getpid():
            kinder.append(int(eintrag.name))
    return kinder


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_scan_und_bild_werden_im_worker_erkannt_und_gefunden(client, welt):
    her = welt.user("muenchen", "herausgabe")
    studie = ergebnis_anlegen(welt.muenchen, her, titel="Bestandsaufnahme Stadtmobiliar")
    foto = ergebnis_anlegen(welt.muenchen, her, titel="Fotodokumentation Innenstadt")
    client.force_login(her)
    with broker(REDIS):
        # The upload request only queues: no worker runs, so nothing is read yet.
        scan = _hochladen(client, studie, "scan.pdf", d.scan_pdf(SCAN_SEITE_1, SCAN_SEITE_2))
        bild = _hochladen(client, foto, "tafel.png", d.bilddatei(*BILD_ZEILEN))
    for dok in (scan, bild):
        dok.refresh_from_db()
        assert (dok.extraktion, dok.text, dok.ocr_seiten) == ("wartet", "", 0)

    with echter_worker(REDIS):
        from wissen import services

        services.extraktion_einreihen(scan.pk)
        services.extraktion_einreihen(bild.pk)
        fertig = Dokument.objects.filter(pk__in=[scan.pk, bild.pk], extraktion="fertig")
        assert warten(lambda: fertig.count() == 2, 60)

    scan.refresh_from_db()
    bild.refresh_from_db()
    assert "Straßenbeleuchtung und Fußgängerüberwege" in scan.text
    assert "Schließfächer am Rathaus" in scan.text
    assert (scan.seiten, scan.ocr_seiten, scan.textquelle) == (2, 2, "ocr")
    assert "Ladesäulen für Elektroautos" in bild.text
    assert (bild.seiten, bild.ocr_seiten, bild.textquelle) == (1, 1, "ocr")
    for dok in (scan, bild):
        assert dok.extraktion_fortschritt == 100 and dok.extraktion_fehler == ""
        assert 50 < dok.ocr_konfidenz <= 100

    # Words that exist only as pixels now find their results, umlauts and ß included.
    assert _titel(client, "Fußgängerüberwege") == [studie.titel]
    assert _titel(client, "Schliessfaecher") == [studie.titel]
    assert _titel(client, "Ladesäule") == [foto.titel]
    assert _titel(client, "Straßenmöblierung") == [foto.titel]
    r = client.get(SUCHE, {"q": "Fußgängerüberwege"})
    assert "<mark>Fußgängerüberwege</mark>" in r.content.decode()

    # The document page says how the text was obtained and that it may hold errors.
    html = client.get(studie.get_absolute_url()).content.decode()
    assert "Text per Texterkennung (OCR) gelesen: 2 von 2 Seiten" in html
    assert f"mittlere Erkennungssicherheit {round(scan.ocr_konfidenz)} %" in html
    assert "Erkannter Text kann Lesefehler enthalten" in html

    # The same download rule as every document text: metadata only finds no recognised word.
    freigeben(welt, studie, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    assert _titel(client, "Fußgängerüberwege") == []
    assert _titel(client, "Stadtmobiliar") == [studie.titel]
    html = client.get(studie.get_absolute_url()).content.decode()
    assert "Fußgänger" not in html and "Erkennungssicherheit" not in html


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_zeitbudget_beendet_einen_langen_scan_im_worker(welt, settings):
    """A scan longer than the time budget ends "teilweise" with a German reason: the
    Tesseract process is killed, the worker is free again, nothing waits in "läuft"."""
    settings.EXTRAKTION_MAX_SEKUNDEN = 0.5
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Ratsprotokolle 1990 bis 1999")
    # Eight full pages: several times what half a second reads on any machine.
    zeilen = (*SCAN_SEITE_1, *SCAN_SEITE_2) * 3
    seiten = [(f"Protokoll der Sitzung Nummer {i}", *zeilen) for i in range(8)]
    with echter_worker(REDIS):
        from django.db import transaction

        from wissen import services

        with transaction.atomic():
            dok = services.dokument_hochladen(
                ergebnis=e, datei=d.upload("protokolle.pdf", d.scan_pdf(*seiten)), by=her
            )
        ende = Dokument.objects.filter(pk=dok.pk, extraktion="teilweise")
        assert warten(ende.exists, 60)
        # The worker takes the next document: the budget freed it.
        folgend = services.dokument_hochladen(
            ergebnis=e, datei=d.upload("kurz.pdf", d.pdf("Anwesenheitsliste")), by=her
        )
        assert warten(Dokument.objects.filter(pk=folgend.pk, extraktion="fertig").exists, 30)
    dok.refresh_from_db()
    assert dok.extraktion_fehler.startswith(
        "Die Texterkennung hat ihr Zeitbudget von 0,5 Sekunden je Dokument ausgeschöpft"
    )
    assert "von 8 Seiten, der übrige Text ist nicht durchsuchbar." in dok.extraktion_fehler
    assert dok.seiten == 8 and dok.ocr_seiten < 8
    assert dok.extraktion_fortschritt == 100
    assert _tesseract_kinder() == []


def test_seitenbudget_beendet_einen_langen_scan_im_prozess(
    client, welt, settings, django_capture_on_commit_callbacks
):
    """Without a broker (the embedded default) the task runs in-process under the same
    budget: of five scanned pages two are read, the rest is named in German."""
    settings.OCR_MAX_SEITEN = 2
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Haushaltsreden")
    woerter = (
        "Kanalsanierung",
        "Friedhofsverwaltung",
        "Winterdienst",
        "Obstbaumwiese",
        "Sportstättenbau",
    )
    seiten = [(f"Haushaltsrede Seite {n}", f"Thema {wort}") for n, wort in enumerate(woerter, 1)]
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        dok = _hochladen(client, e, "reden.pdf", d.scan_pdf(*seiten))
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.TEILWEISE
    assert dok.extraktion_fehler == (
        "Die Texterkennung (OCR) liest höchstens 2 gescannte Seiten je Dokument: "
        "3 weitere Seiten sind nicht durchsuchbar."
    )
    assert (dok.seiten, dok.ocr_seiten, dok.textquelle) == (5, 2, "ocr")
    assert "Kanalsanierung" in dok.text and "Friedhofsverwaltung" in dok.text
    assert "Winterdienst" not in dok.text
    # What was read is searchable; the status says the document is incomplete, and why.
    assert _titel(client, "Friedhofsverwaltung") == ["Haushaltsreden"]
    assert _titel(client, "Sportstättenbau") == []
    url = reverse("wissen:dokument_status", args=[e.pk, dok.pk])
    html = client.get(url).content.decode()
    assert "teilweise" in html and "Nicht vollständig:" in html
    assert "3 weitere Seiten sind nicht durchsuchbar" in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert "Text per Texterkennung (OCR) gelesen: 2 von 5 Seiten" in html


def test_fortschritt_je_gescannter_seite():
    gemeldet = []
    extrakt = extraktion.extrahieren(
        io.BytesIO(d.scan_pdf(SCAN_SEITE_1, SCAN_SEITE_2, ("Dritte Seite",))),
        "pdf",
        lambda prozent, seite=None, seiten=None: gemeldet.append((prozent, seite, seiten)),
        ocr_max_seiten=2,
    )
    # Before OCR of a page its number is reported, after it the share done.
    assert gemeldet == [
        (0, 1, 3),
        (33, 1, 3),
        (33, 2, 3),
        (66, 2, 3),
        (100, 3, 3),
        (100, None, None),
    ]
    assert extrakt.ocr_seiten == 2 and "1 weitere Seite ist nicht" in extrakt.unvollstaendig


@pytest.mark.parametrize(
    ("name", "inhalt"),
    [
        ("scan.jpg", d.bilddatei(*BILD_ZEILEN, format="JPEG", quality=90)),
        ("scan.tiff", d.bilddatei(*BILD_ZEILEN, format="TIFF", compression="tiff_lzw")),
    ],
)
def test_jpeg_und_tiff(welt, name, inhalt, django_capture_on_commit_callbacks):
    from wissen import services

    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her)
    with django_capture_on_commit_callbacks(execute=True):
        dok = services.dokument_hochladen(ergebnis=e, datei=d.upload(name, inhalt), by=her)
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert "Ladesäulen für Elektroautos" in dok.text
    assert dok.textquelle == "ocr" and dok.ocr_konfidenz > 50


def test_mehrseitiges_tiff_und_seite_mit_eigenem_text():
    bilder = [d.scan_bild(*SCAN_SEITE_1), d.scan_bild(*SCAN_SEITE_2)]
    aus = io.BytesIO()
    bilder[0].save(aus, "TIFF", save_all=True, append_images=bilder[1:], dpi=(100, 100))
    extrakt = extraktion.extrahieren(io.BytesIO(aus.getvalue()), "tiff")
    assert (extrakt.seiten, extrakt.ocr_seiten) == (2, 2)
    assert "Schließfächer" in extrakt.text
    # A PDF page with a text layer of its own is never sent to OCR.
    extrakt = extraktion.extrahieren(io.BytesIO(d.pdf("Nur Text")), "pdf")
    assert (extrakt.ocr_seiten, extrakt.textquelle) == (0, "textebene")


def test_ohne_tesseract_bleibt_der_scan_teilweise_mit_grund(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nicht/installiert/tesseract")
    extrakt = extraktion.extrahieren(io.BytesIO(d.scan_pdf(SCAN_SEITE_1, SCAN_SEITE_2)), "pdf")
    assert extrakt.text == "" and extrakt.ocr_seiten == 0
    assert extrakt.unvollstaendig == (
        "Gescannte Seiten werden auf diesem Server nicht erkannt (Tesseract mit deutschen "
        "Sprachdaten fehlt): 2 Seiten sind nicht durchsuchbar."
    )


def test_zeilen_und_trennstriche_aus_der_worttabelle():
    def tabelle(*woerter):
        spalten = {"text": [], "conf": [], "block_num": [], "par_num": [], "line_num": []}
        for text, block, absatz, zeile in woerter:
            for k, v in zip(spalten, (text, 90, block, absatz, zeile), strict=True):
                spalten[k].append(v)
        spalten["text"].append("")
        spalten["conf"].append(-1)  # a layout row without a word
        for k in ("block_num", "par_num", "line_num"):
            spalten[k].append(1)
        return spalten

    seite = ocr.text_aus_daten(
        tabelle(
            ("Die", 1, 1, 1),
            ("Bürger-", 1, 1, 1),
            ("beteiligung", 1, 1, 2),
            ("wirkt.", 1, 1, 2),
            ("Nord-", 1, 1, 3),
            ("Süd-Achse", 1, 1, 4),
            ("Neuer", 2, 1, 1),
            ("Absatz", 2, 1, 1),
        )
    )
    assert seite.text == "Die\nBürgerbeteiligung wirkt.\nNord-\nSüd-Achse\n\nNeuer Absatz"
    assert (seite.woerter, seite.konfidenz_summe) == (8, 720.0)


def test_eine_riesige_pdf_seite_wird_kleiner_gerendert():
    # 200 × 200 inches at 300 dpi would be 3.6 billion pixels; the bound keeps 60 million.
    dpi = ocr.render_dpi(200, 200, 300)
    assert (200 * dpi) ** 2 <= ocr.MAX_PIXEL
    assert ocr.render_dpi(8.27, 11.69, 300) == 300


def test_statusfragment_zeigt_die_seite_waehrend_der_erkennung(client, welt):
    from wissen import services

    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her)
    dok = services.dokument_hochladen(ergebnis=e, datei=d.upload("a.pdf", d.pdf("x")), by=her)
    Dokument.objects.filter(pk=dok.pk).update(
        extraktion="laeuft", extraktion_fortschritt=16, extraktion_seite=3, seiten=12
    )
    client.force_login(her)
    html = client.get(reverse("wissen:dokument_status", args=[e.pk, dok.pk])).content.decode()
    assert f'<progress id="dok-fortschritt-{dok.pk}" max="100" value="16">' in html
    assert "16 % · Seite 3 von 12" in html
    assert 'hx-trigger="every 2s"' in html


def test_check_deploy_nennt_fehlende_ocr_und_zu_kurze_sichtbarkeit(settings, monkeypatch, tmp_path):
    from wissen.apps import ocr_pruefen, zeitgrenzen_pruefen

    assert ocr_pruefen(None) == [] and zeitgrenzen_pruefen(None) == []
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without the Debian packages
    (warnung,) = ocr_pruefen(None)
    assert warnung.id == "wissen.W001"
    assert "tesseract-ocr, tesseract-ocr-deu, poppler-utils" in warnung.msg
    settings.OCR_MAX_SEITEN = 0  # OCR switched off: nothing missing
    assert ocr_pruefen(None) == []
    settings.CELERY_VISIBILITY_TIMEOUT = settings.EXTRAKTION_TIME_LIMIT
    assert [w.id for w in zeitgrenzen_pruefen(None)] == ["wissen.W002"]
