"""Uploaded scans (PNG, JPEG, TIFF): every page is read by OCR."""

from __future__ import annotations

from pathlib import Path

from . import ocr
from .sammler import Fortschritt, Ordner, Sammler, ZeitUm

BILD_FORMATE = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}
BILD_ARTEN = tuple(BILD_FORMATE)


def bild_lesen(datei, art: str, sammler: Sammler, fortschritt: Fortschritt, ordner: Ordner) -> None:
    """An uploaded scan (PNG, JPEG, TIFF): every page is read by OCR, within the budget."""
    from PIL import Image

    with Image.open(datei, formats=[BILD_FORMATE[art]]) as bild:
        seiten = getattr(bild, "n_frames", 1)
        sammler.seiten = seiten
        for nr in range(1, seiten + 1):
            sammler.uhr()
            if not sammler.ocr_frei():
                sammler.ausgelassen += seiten - nr + 1
                break
            sammler.ocr_laeufe += 1
            fortschritt((nr - 1) * 100 // seiten, nr, seiten)
            datei_seite = None
            try:
                bild.seek(nr - 1)
                datei_seite, dpi = _bild_fuer_ocr(bild, ordner.pfad / f"bild-{nr}.png")
                erkannt = ocr.erkennen(datei_seite, dpi=dpi, sekunden=sammler.rest())
            except ocr.ZeitUm as exc:
                raise ZeitUm from exc
            except ocr.NichtVerfuegbar:
                sammler.ocr_fehlt = True
                sammler.ausgelassen += seiten - nr + 1
                break
            except (ocr.SeiteNichtLesbar, OSError, ValueError, SyntaxError, EOFError):
                sammler.nicht_lesbar += 1
            else:
                sammler.ocr_seite(erkannt)
                sammler.add(erkannt.text + "\n")
            finally:
                if datei_seite is not None:
                    datei_seite.unlink(missing_ok=True)
            sammler.gelesen = nr
            fortschritt(nr * 100 // seiten, nr, seiten)


def _bild_fuer_ocr(bild, ziel: Path) -> tuple[Path, int | None]:
    """One page as the greyscale PNG Tesseract reads, upright, with its resolution if the
    scan recorded a plausible one."""
    from PIL import ImageOps

    from ..dateipruefung import BILD_MAX_PIXEL

    if bild.width * bild.height > BILD_MAX_PIXEL:
        raise ocr.SeiteNichtLesbar("page larger than the pixel bound")
    seite = ImageOps.exif_transpose(bild).convert("L")
    dpi = _dpi(bild.info.get("dpi"))
    seite.save(ziel, format="PNG", dpi=(dpi, dpi) if dpi else None)
    return ziel, dpi


def _dpi(angabe) -> int | None:
    # Scanners record their resolution; screenshots and cameras often record 72 or nothing,
    # which is no real resolution of the paper: then Tesseract estimates from the letters.
    try:
        dpi = round(float(angabe[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return dpi if 100 <= dpi <= 1200 else None
