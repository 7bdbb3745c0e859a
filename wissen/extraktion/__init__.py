"""Text extraction for search: PDF with pypdf, scans by OCR, office formats from their XML
parts, plain text.

A PDF page with (almost) no text of its own but an image on it is a scan: it is rendered and
read by OCR (`ocr`: Tesseract in German), as are uploaded images (PNG, JPEG, TIFF), page by
page. Office XML is read with defusedxml, document type declarations refused (`office`).
Text size, run time and OCR pages are bounded; a document over its time or page budget keeps
what was read and says why the rest is missing (decision 0014). Progress is reported as a
percentage and, for paged formats, the page.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from .bilder import BILD_ARTEN, bild_lesen
from .office import office_lesen, text_lesen
from .pdf import pdf_lesen
from .sammler import (
    Extrakt,
    ExtraktionsFehler,
    Fortschritt,
    Ordner,
    Sammler,
    Voll,
    ZeitUm,
    kein_fortschritt,
)

__all__ = ["Extrakt", "ExtraktionsFehler", "Fortschritt", "extrahieren"]

MAX_ZEICHEN = 2_000_000
MAX_SEKUNDEN = 300
OCR_MAX_SEITEN = 100
OCR_DPI = 300


def extrahieren(
    datei,
    art: str,
    fortschritt: Fortschritt = kein_fortschritt,
    *,
    max_zeichen: int = MAX_ZEICHEN,
    max_sekunden: float = MAX_SEKUNDEN,
    ocr_max_seiten: int = OCR_MAX_SEITEN,
    ocr_dpi: int = OCR_DPI,
) -> Extrakt:
    """The text of an open binary file of type `art` (pdf, docx, png, ...) and how it was
    obtained. Over `max_sekunden` or `ocr_max_seiten` the text read so far is returned with
    the German reason in `unvollstaendig`. Raises ExtraktionsFehler with a German reason when
    the file cannot be read at all."""
    from pypdf.errors import PyPdfError

    sammler = Sammler(max_zeichen, max_sekunden, ocr_max_seiten)
    ordner = Ordner()
    try:
        if art == "pdf":
            pdf_lesen(datei, sammler, fortschritt, ordner, ocr_dpi)
        elif art in BILD_ARTEN:
            bild_lesen(datei, art, sammler, fortschritt, ordner)
        elif art in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
            office_lesen(datei, art, sammler, fortschritt)
        elif art in ("csv", "txt", "md"):
            text_lesen(datei, sammler, fortschritt)
        else:
            raise ExtraktionsFehler(_("Für diesen Dateityp gibt es keine Texterkennung."))
    except Voll:
        pass
    except ZeitUm:
        sammler.zeit_um = True
    except ExtraktionsFehler:
        raise
    except DefusedXmlException as exc:
        raise ExtraktionsFehler(
            _("Das Dokument enthält unzulässige XML-Deklarationen."), sammler.text
        ) from exc
    except ParseError as exc:
        raise ExtraktionsFehler(
            _("Das Dokument ist beschädigt (fehlerhaftes XML)."), sammler.text
        ) from exc
    except zipfile.BadZipFile as exc:
        raise ExtraktionsFehler(_("Das Dokument ist beschädigt (ungültiges Archiv).")) from exc
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        RecursionError,
        OSError,
        SyntaxError,
        EOFError,
    ) as exc:
        # pypdf and Pillow signal broken files with many exception types; the user needs one
        # reason.
        raise ExtraktionsFehler(
            _("Der Text konnte nicht gelesen werden: Die Datei ist beschädigt."), sammler.text
        ) from exc
    finally:
        ordner.aufraeumen()
    fortschritt(100)
    return sammler.extrakt(_bereinigen(sammler.text))


def _bereinigen(text: str) -> str:
    # PostgreSQL text cannot hold NUL; collapse runs of blank lines for a tidy index.
    return re.sub(r"\n{3,}", "\n\n", text.replace("\x00", " ")).strip()
