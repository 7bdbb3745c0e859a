"""The standard-library PDF writer: valid structure, umlauts, pages, text that reads back."""

import io
import re

from pypdf import PdfReader

from portal.demo_pdf import pdf_erzeugen

TITEL = "Größenordnung „Übergänge“ – Straßen"


def _text(daten: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(daten), strict=True).pages)


def test_umlaute_und_titel_kommen_zurueck():
    daten = pdf_erzeugen(TITEL, ["## Kapitel Ä", "Öffentliche Maßnahmen für Bürgerinnen."])
    text = _text(daten)
    assert TITEL in text
    assert "Kapitel Ä" in text and "Öffentliche Maßnahmen für Bürgerinnen." in text
    assert PdfReader(io.BytesIO(daten)).metadata.title == TITEL


def test_lange_texte_brechen_um_und_auf_neue_seiten():
    absaetze = [f"Absatz {i}: " + "Verwaltungsdigitalisierung " * 30 for i in range(40)]
    daten = pdf_erzeugen("Lang", absaetze + ["schlusswortxyz"])
    reader = PdfReader(io.BytesIO(daten), strict=True)
    assert len(reader.pages) > 3
    text = _text(daten)
    assert "Absatz 39:" in text and "schlusswortxyz" in text


def test_xref_tabelle_zeigt_auf_die_objekte():
    daten = pdf_erzeugen("Kreuzverweise", ["eins", "zwei"])
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", daten).group(1))
    assert daten[start:].startswith(b"xref\n0 ")
    kopf, *zeilen = daten[start:].split(b"trailer")[0].splitlines()[1:]
    erstes, anzahl = map(int, kopf.split())
    assert erstes == 0 and len(zeilen) == anzahl
    for nr, zeile in enumerate(zeilen[1:], start=1):
        assert len(zeile) == 19  # 20 bytes with the newline, as the PDF standard asks
        versatz = int(zeile[:10])
        assert daten[versatz:].startswith(f"{nr} 0 obj".encode())


def test_gleiche_eingabe_gleiche_bytes():
    assert pdf_erzeugen("A", ["b"]) == pdf_erzeugen("A", ["b"])
