"""A small PDF writer (standard library only) for the demo documents and the browser tests.

It writes PDF 1.4 with the standard Helvetica fonts in WinAnsiEncoding (so German umlauts,
ß, „quotes“ and the en dash come out right), wraps paragraphs, breaks pages and ends with a
correct cross-reference table, so that any reader — and the portal's text extraction —
can read the text back.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable

SEITE_BREITE, SEITE_HOEHE = 595, 842  # A4 in points
RAND = 56
TEXT_PT, TITEL_PT, ZWISCHEN_PT = 10.5, 16, 12
ZEILE = TEXT_PT * 1.4
# Helvetica averages about 0.5 em per character of German prose; this keeps lines inside
# the margins without carrying the font's width table.
ZEICHEN_JE_ZEILE = int((SEITE_BREITE - 2 * RAND) / (TEXT_PT * 0.5))


def _hex(text: str) -> str:
    """A PDF hex string in WinAnsi (cp1252); characters outside it become '?'."""
    return "<" + text.encode("cp1252", errors="replace").hex().upper() + ">"


def _info(text: str) -> str:
    """A text string of the document information dictionary: UTF-16BE with byte order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _zeilen(titel: str, absaetze: Iterable[str]) -> list[tuple[str, str]]:
    """(font, text) per line: F2 bold for the title and '## ' headings, F1 for body text."""
    zeilen: list[tuple[str, str]] = []
    for teil in textwrap.wrap(titel, width=int(ZEICHEN_JE_ZEILE * TEXT_PT / TITEL_PT)) or [""]:
        zeilen.append(("T", teil))
    zeilen.append(("L", ""))
    for absatz in absaetze:
        absatz = absatz.strip()
        if absatz.startswith("## "):
            zeilen.append(("H", absatz[3:]))
            continue
        for teil in textwrap.wrap(absatz, width=ZEICHEN_JE_ZEILE) or [""]:
            zeilen.append(("F", teil))
        zeilen.append(("L", ""))
    return zeilen


def _seiten(zeilen: list[tuple[str, str]]) -> list[bytes]:
    """Content streams, one per page."""
    seiten: list[list[str]] = [[]]
    y = SEITE_HOEHE - RAND
    for art, text in zeilen:
        groesse = {"T": TITEL_PT, "H": ZWISCHEN_PT}.get(art, TEXT_PT)
        hoehe = groesse * 1.4 if art != "L" else ZEILE * 0.5
        if art == "H":
            hoehe += ZEILE * 0.4
        if y - hoehe < RAND:
            seiten.append([])
            y = SEITE_HOEHE - RAND
            if art == "L":
                continue
        y -= hoehe
        if art == "L":
            continue
        font = "F2" if art in ("T", "H") else "F1"
        seiten[-1].append(f"BT /{font} {groesse:g} Tf {RAND} {y:.1f} Td {_hex(text)} Tj ET")
    return ["\n".join(befehle).encode("ascii") for befehle in seiten]


def pdf_erzeugen(
    titel: str, absaetze: Iterable[str], *, autor: str = "", datum: dt.datetime | None = None
) -> bytes:
    """One PDF with `titel` in bold and the paragraphs below ('## ' starts a heading)."""
    streams = _seiten(_zeilen(titel, list(absaetze)))
    # Object numbers: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info,
    # then for each page its page object and its content stream.
    objekte: dict[int, bytes] = {}
    seiten_nr = [6 + 2 * i for i in range(len(streams))]
    objekte[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kids = " ".join(f"{n} 0 R" for n in seiten_nr)
    objekte[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(streams)} >>".encode("ascii")
    for nr, name in ((3, "Helvetica"), (4, "Helvetica-Bold")):
        objekte[nr] = (
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
        ).encode("ascii")
    zeit = (datum or dt.datetime(2025, 7, 16, 12, 0, 0)).strftime("D:%Y%m%d%H%M%S")
    objekte[5] = (
        f"<< /Title {_info(titel)} /Author {_info(autor)} /Producer {_info('Wissensverbund')} "
        f"/CreationDate ({zeit}) >>"
    ).encode("ascii")
    for nr, stream in zip(seiten_nr, streams, strict=True):
        objekte[nr] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {SEITE_BREITE} {SEITE_HOEHE}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {nr + 1} 0 R >>"
        ).encode("ascii")
        objekte[nr + 1] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode("ascii") + stream + b"\nendstream"
        )

    ausgabe = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    versatz: dict[int, int] = {}
    for nr in sorted(objekte):
        versatz[nr] = len(ausgabe)
        ausgabe += f"{nr} 0 obj\n".encode("ascii") + objekte[nr] + b"\nendobj\n"
    xref = len(ausgabe)
    anzahl = max(objekte) + 1
    ausgabe += f"xref\n0 {anzahl}\n".encode("ascii")
    ausgabe += b"0000000000 65535 f \n"
    for nr in range(1, anzahl):
        ausgabe += f"{versatz[nr]:010d} 00000 n \n".encode("ascii")
    ausgabe += (
        f"trailer\n<< /Size {anzahl} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(ausgabe)
