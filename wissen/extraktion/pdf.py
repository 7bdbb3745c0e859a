"""PDF: the text layer page by page (pypdf); a page that is a scan is rendered and read by OCR."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from . import ocr
from .sammler import ExtraktionsFehler, Fortschritt, Ordner, Sammler, ZeitUm

# A page with fewer letters and digits than this in its text layer, and an image on it, is
# read by OCR (a scan with a stamp or a page number is still a scan).
OCR_UNTER_ZEICHEN = 50


def pdf_lesen(datei, sammler: Sammler, fortschritt: Fortschritt, ordner: Ordner, dpi: int) -> None:
    from pypdf import PdfReader

    reader = PdfReader(datei, strict=False)
    if reader.is_encrypted:
        raise ExtraktionsFehler(_("Die PDF-Datei ist verschlüsselt."))
    seiten = len(reader.pages)
    sammler.seiten = seiten
    for nr, seite in enumerate(reader.pages, start=1):
        sammler.uhr()
        text = seite.extract_text() or ""
        if _ist_scan(text, seite):
            text = _pdf_seite_erkennen(datei, nr, seite, text, sammler, fortschritt, ordner, dpi)
        elif text.strip():
            sammler.aus_datei = True
        sammler.add(text + "\n")
        sammler.gelesen = nr
        fortschritt(nr * 100 // max(seiten, 1), nr, seiten)


def _ist_scan(text: str, seite) -> bool:
    """Too little text of its own and an image on the page: the page is a scan."""
    if sum(ch.isalnum() for ch in text) >= OCR_UNTER_ZEICHEN:
        return False
    return _hat_bild(seite)


def _hat_bild(seite) -> bool:
    from pypdf.errors import PyPdfError

    try:
        if _bilder_in(seite.get("/Resources"), tiefe=0, gezaehlt=[0]):
            return True
        inhalt = seite.get_contents()
        # An inline image (BI … ID … EI) in the content stream.
        return inhalt is not None and re.search(rb"(?:^|\s)BI\s", inhalt.get_data()) is not None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return True  # unreadable resources: let OCR look at the rendered page


def _bilder_in(ressourcen, *, tiefe: int, gezaehlt: list[int]) -> bool:
    """Does a resource dictionary hold an image XObject, also inside form XObjects (bounded)?"""
    if ressourcen is None or tiefe > 3:
        return False
    ressourcen = ressourcen.get_object()
    xobjekte = ressourcen.get("/XObject")
    if xobjekte is None:
        return False
    for wert in xobjekte.get_object().values():
        gezaehlt[0] += 1
        if gezaehlt[0] > 500:
            return True
        objekt = wert.get_object()
        art = objekt.get("/Subtype")
        if art == "/Image":
            return True
        if art == "/Form" and _bilder_in(
            objekt.get("/Resources"), tiefe=tiefe + 1, gezaehlt=gezaehlt
        ):
            return True
    return False


def _zoll(seite) -> tuple[float, float]:
    box = seite.mediabox
    einheit = float(seite.user_unit or 1)
    return (
        abs(float(box.width)) * einheit / ocr.PT_JE_ZOLL,
        abs(float(box.height)) * einheit / ocr.PT_JE_ZOLL,
    )


def _pdf_seite_erkennen(
    datei, nr, seite, text, sammler: Sammler, fortschritt, ordner: Ordner, dpi: int
) -> str:
    """The text of scanned page `nr`: what OCR reads, unless the page's own text is longer.
    A page left to the budget or unreadable keeps its own text."""
    if not sammler.ocr_frei():
        sammler.ausgelassen += 1
        return text
    sammler.ocr_laeufe += 1
    fortschritt((nr - 1) * 100 // max(sammler.seiten or 1, 1), nr, sammler.seiten)
    bild = None
    try:
        render = ocr.render_dpi(*_zoll(seite), dpi)
        bild = ocr.pdf_seite_rendern(
            ordner.pdf(datei), nr, dpi=render, ordner=ordner.pfad, sekunden=sammler.rest()
        )
        erkannt = ocr.erkennen(bild, dpi=render, sekunden=sammler.rest())
    except ocr.ZeitUm as exc:
        raise ZeitUm from exc
    except ocr.NichtVerfuegbar:
        sammler.ocr_fehlt = True
        sammler.ausgelassen += 1
        return text
    except ocr.SeiteNichtLesbar:
        sammler.nicht_lesbar += 1
        return text
    finally:
        if bild is not None:
            bild.unlink(missing_ok=True)
    if len(erkannt.text) < len(text.strip()):
        sammler.aus_datei = True
        return text
    sammler.ocr_seite(erkannt)
    return erkannt.text
