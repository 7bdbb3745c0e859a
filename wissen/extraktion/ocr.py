"""OCR of scanned pages in German: Tesseract through pytesseract, PDF pages rendered by pdftoppm.

Both programs run as child processes with the time left in the document's budget as their
timeout: a page that takes too long is killed, never waited for, and the caller ends the
document as partly read (decision 0014). Every rendered page is bounded in pixels before it
is drawn, so a PDF page of giant size cannot fill the memory.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SPRACHE = "deu"
# Pixels of one rendered page: an A4 page at 300 dpi has 8.7 million, an A0 plan at 300 dpi
# 140 million; beyond this bound a page is rendered at a lower resolution.
MAX_PIXEL = 60_000_000
PT_JE_ZOLL = 72


class NichtVerfuegbar(Exception):
    """Tesseract, its German data or pdftoppm is missing on this machine."""


class SeiteNichtLesbar(Exception):
    """One page could not be rendered or recognised (broken image data, a program error)."""


class ZeitUm(Exception):
    """The document's time budget ran out while a page was being rendered or recognised."""


@dataclass(frozen=True)
class Seite:
    """What OCR read on one page: its text, the number of words and their confidences."""

    text: str
    woerter: int
    konfidenz_summe: float


def _zeile_zusammen(woerter: list[str], folgezeile: list[str]) -> bool:
    # "Bürger-" at the end of a line and "beteiligung" at the start of the next are one word;
    # "Nord-" before "Süd" keeps its hyphen (an upper-case start is a word of its own).
    return (
        bool(woerter and folgezeile)
        and len(woerter[-1]) > 2
        and woerter[-1].endswith("-")
        and woerter[-1][-2].isalpha()
        and folgezeile[0][:1].islower()
    )


def text_aus_daten(daten: dict[str, list]) -> Seite:
    """The page's text from Tesseract's word table (pytesseract's `image_to_data` as a dict):
    words joined into lines, lines into paragraphs, hyphenated line ends joined again."""
    zeilen: list[tuple[tuple[int, int], list[str]]] = []
    woerter = 0
    summe = 0.0
    schluessel_vorher = None
    for i, wort in enumerate(daten.get("text", [])):
        wort = (wort or "").strip()
        try:
            konfidenz = float(daten["conf"][i])
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if not wort or konfidenz < 0:
            continue
        woerter += 1
        summe += konfidenz
        absatz = (int(daten["block_num"][i]), int(daten["par_num"][i]))
        schluessel = (*absatz, int(daten["line_num"][i]))
        if schluessel != schluessel_vorher:
            zeilen.append((absatz, []))
            schluessel_vorher = schluessel
        zeilen[-1][1].append(wort)

    teile: list[str] = []
    for nr, (absatz, zeile) in enumerate(zeilen):
        if not zeile:
            continue
        folgend = zeilen[nr + 1] if nr + 1 < len(zeilen) else None
        if folgend and _zeile_zusammen(zeile, folgend[1]):
            folgend[1][0] = zeile.pop()[:-1] + folgend[1][0]
            if not zeile:
                continue
        teile.append(" ".join(zeile))
        if folgend is None:
            break
        teile.append("\n\n" if folgend[0] != absatz else "\n")
    return Seite(text="".join(teile).strip(), woerter=woerter, konfidenz_summe=summe)


def _nicht_installiert(meldung: str) -> bool:
    return bool(re.search(r"Failed loading language|Error opening data file|tessdata", meldung))


def erkennen(bild: Path, *, dpi: int | None, sekunden: float) -> Seite:
    """Recognise the German text of the image file `bild`, killing Tesseract after `sekunden`.

    `dpi` is the image's resolution when known (rendered PDF pages, scans that record it);
    without it Tesseract estimates from the letters' height."""
    import pytesseract

    if sekunden <= 0:
        raise ZeitUm
    # One thread per Tesseract: the workers' processes already use every core, and OpenMP
    # threads competing for them made a page nearly three times slower in our measurement.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = "--psm 3" + (f" --dpi {int(dpi)}" if dpi else "")
    try:
        daten = pytesseract.image_to_data(
            str(bild),
            lang=SPRACHE,
            config=config,
            timeout=sekunden,
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise NichtVerfuegbar(str(exc)) from exc
    except pytesseract.TesseractError as exc:
        if _nicht_installiert(str(exc.message)):
            raise NichtVerfuegbar(str(exc.message)) from exc
        raise SeiteNichtLesbar(str(exc.message)) from exc
    except RuntimeError as exc:
        # pytesseract signals its timeout (after killing the process) as a RuntimeError.
        if "timeout" in str(exc).lower():
            raise ZeitUm from exc
        raise
    return text_aus_daten(daten)


def render_dpi(breite_zoll: float, hoehe_zoll: float, dpi: int) -> int:
    """The resolution a page is rendered at: `dpi`, lower where the page would otherwise
    have more than MAX_PIXEL pixels."""
    flaeche = max(breite_zoll, 0.01) * max(hoehe_zoll, 0.01)
    return max(1, min(int(dpi), int(math.sqrt(MAX_PIXEL / flaeche))))


def pdf_seite_rendern(pdf: Path, nr: int, *, dpi: int, ordner: Path, sekunden: float) -> Path:
    """Render page `nr` (from 1) of `pdf` as a greyscale image at `dpi` into `ordner`."""
    if sekunden <= 0:
        raise ZeitUm
    ziel = ordner / f"seite-{nr}"
    befehl = [
        "pdftoppm",
        "-f",
        str(nr),
        "-l",
        str(nr),
        "-r",
        str(dpi),
        "-gray",
        "-singlefile",
        str(pdf),
        str(ziel),
    ]
    try:
        lauf = subprocess.run(  # noqa: S603 - fixed program, arguments are ours
            befehl, capture_output=True, timeout=sekunden, check=False
        )
    except FileNotFoundError as exc:
        raise NichtVerfuegbar("pdftoppm") from exc
    except subprocess.TimeoutExpired as exc:
        raise ZeitUm from exc
    bild = ziel.with_suffix(".pgm")
    if lauf.returncode != 0 or not bild.is_file():
        bild.unlink(missing_ok=True)
        raise SeiteNichtLesbar(lauf.stderr.decode("utf-8", "replace")[-300:])
    # A greyscale PGM holds one byte per pixel behind a short header.
    if bild.stat().st_size > MAX_PIXEL + 1024:
        bild.unlink(missing_ok=True)
        raise SeiteNichtLesbar("page larger than the pixel bound")
    return bild


def verfuegbar() -> list[str]:
    """What OCR lacks on this machine (empty when Tesseract with German data and pdftoppm
    are there): the names of the missing Debian packages."""
    import shutil

    fehlt = []
    if shutil.which("tesseract") is None:
        fehlt += ["tesseract-ocr", "tesseract-ocr-deu"]
    else:
        try:
            lauf = subprocess.run(  # noqa: S603
                ["tesseract", "--list-langs"],  # noqa: S607
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            if SPRACHE not in lauf.stdout.split():
                fehlt.append("tesseract-ocr-deu")
        except (OSError, subprocess.TimeoutExpired):
            fehlt.append("tesseract-ocr-deu")
    if shutil.which("pdftoppm") is None:
        fehlt.append("poppler-utils")
    return fehlt
