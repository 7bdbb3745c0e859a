"""Upload checks: the file type is read from the content (magic bytes, ZIP members), not the name.

Allowed: PDF, the Office Open XML formats (DOCX, XLSX, PPTX), the OpenDocument formats
(ODT, ODS, ODP), plain text (CSV, TXT, MD) and scanned pages as images (PNG, JPEG, TIFF; their
text is read by OCR). The extension must match what the content is, so a renamed executable,
an HTML page called ``.pdf`` or a macro file called ``.docx`` is refused. Archives are
inspected without being unpacked: member count, total unpacked size and compression ratio are
bounded (zip bombs), encrypted members are refused. Images are opened only by the Pillow
decoder their signature names; their pixel count and page count are bounded (decompression
bombs) before any pixel is decoded.
"""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
ERLAUBTE_ENDUNGEN = tuple(MIME)
# What people read for a type (the MIME string stays the machine's word).
ART_IN_WORTEN = {
    MIME["pdf"]: gettext_lazy("PDF-Dokument"),
    MIME["docx"]: gettext_lazy("Word-Dokument"),
    MIME["xlsx"]: gettext_lazy("Excel-Tabelle"),
    MIME["pptx"]: gettext_lazy("PowerPoint-Präsentation"),
    MIME["odt"]: gettext_lazy("OpenDocument-Text"),
    MIME["ods"]: gettext_lazy("OpenDocument-Tabelle"),
    MIME["odp"]: gettext_lazy("OpenDocument-Präsentation"),
    MIME["csv"]: gettext_lazy("CSV-Tabelle"),
    MIME["txt"]: gettext_lazy("Textdatei"),
    MIME["md"]: gettext_lazy("Markdown-Text"),
    MIME["png"]: gettext_lazy("PNG-Bild"),
    MIME["jpg"]: gettext_lazy("JPEG-Bild"),
    MIME["tif"]: gettext_lazy("TIFF-Bild"),
}
TEXT_ENDUNGEN = ("csv", "txt", "md")
# Two spellings of one type: the type is named by its second.
GLEICHE_ENDUNG = {"jpg": "jpeg", "tif": "tiff"}
ODF_MIMETYPES = {MIME["odt"]: "odt", MIME["ods"]: "ods", MIME["odp"]: "odp"}
OOXML_TEILE = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)

# Archive bounds: generous for real office files, far below what a zip bomb unpacks to.
ZIP_MAX_EINTRAEGE = 10_000
ZIP_MAX_ENTPACKT = 500 * 1024 * 1024
ZIP_MAX_VERHAELTNIS = 200
ZIP_VERHAELTNIS_AB = 20 * 1024 * 1024

# Signatures of what must never be accepted whatever it is called.
AUSFUEHRBAR = (
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",  # Mach-O fat / Java class
    b"\xcf\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"#!",
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office formats and encrypted OOXML
HTML_ANFAENGE = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")

# Image signatures and the one Pillow decoder each may reach.
BILD_SIGNATUREN = (
    (b"\x89PNG\r\n\x1a\n", "png", "PNG"),
    (b"\xff\xd8\xff", "jpeg", "JPEG"),
    (b"II*\x00", "tiff", "TIFF"),
    (b"MM\x00*", "tiff", "TIFF"),
)
# A scanned A3 page at 500 dpi has 50 million pixels; a decompression bomb declares far more.
# Decoded as greyscale for OCR, one page costs one byte per pixel.
BILD_MAX_PIXEL = 60_000_000
# Pages of a multi-page TIFF; OCR reads at most OCR_MAX_SEITEN of them.
BILD_MAX_SEITEN = 1000


@dataclass(frozen=True)
class Pruefergebnis:
    endung: str
    mime: str
    sha256: str
    groesse: int
    originalname: str


def _fehler(text: str) -> ValidationError:
    return ValidationError({"datei": text}, code="datei")


def originalname(name: str) -> str:
    """The user's file name for display only: no path, no control characters, bounded."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "dokument")[:255]


def _endung(name: str) -> str:
    teile = name.rsplit(".", 1)
    return teile[1].lower() if len(teile) == 2 else ""


def _lesen(datei, n: int) -> bytes:
    datei.seek(0)
    daten = datei.read(n)
    datei.seek(0)
    return daten


def _sha256(datei) -> str:
    h = hashlib.sha256()
    datei.seek(0)
    for chunk in iter(lambda: datei.read(1024 * 1024), b""):
        h.update(chunk)
    datei.seek(0)
    return h.hexdigest()


def _zip_art(datei) -> str:
    """What an archive is (docx, xlsx, pptx, odt, ods, odp), or a ValidationError."""
    try:
        with zipfile.ZipFile(datei) as zf:
            eintraege = zf.infolist()
            if len(eintraege) > ZIP_MAX_EINTRAEGE:
                raise _fehler(_("Das Archiv enthält ungewöhnlich viele Teile und wird abgelehnt."))
            entpackt = sum(e.file_size for e in eintraege)
            gepackt = sum(e.compress_size for e in eintraege) or 1
            # The ratio matters only for large archives: small, repetitive spreadsheets
            # compress very well without being a threat.
            if entpackt > ZIP_MAX_ENTPACKT or (
                entpackt > ZIP_VERHAELTNIS_AB and entpackt / gepackt > ZIP_MAX_VERHAELTNIS
            ):
                raise _fehler(
                    _(
                        "Die Datei würde entpackt unverhältnismäßig groß (mögliche ZIP-Bombe) und "
                        "wird abgelehnt."
                    )
                )
            if any(e.flag_bits & 0x1 for e in eintraege):
                raise _fehler(
                    _(
                        "Die Datei ist verschlüsselt oder passwortgeschützt. Bitte ohne Passwort "
                        "hochladen, damit sie durchsucht werden kann."
                    )
                )
            namen = {e.filename for e in eintraege}
            if "mimetype" in namen:
                info = zf.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype in ODF_MIMETYPES and "content.xml" in namen:
                        return ODF_MIMETYPES[mimetype]
            if "[Content_Types].xml" in namen:
                for teil, art in OOXML_TEILE:
                    if teil in namen:
                        return art
    except zipfile.BadZipFile as exc:
        raise _fehler(_("Die Datei ist beschädigt oder kein gültiges Office-Dokument.")) from exc
    finally:
        datei.seek(0)
    raise _fehler(
        _(
            "Das ist ein ZIP-Archiv, aber kein Word-, Excel-, PowerPoint- oder "
            "OpenDocument-Dokument. Archive werden nicht angenommen."
        )
    )


def _pdf_pruefen(datei) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(datei, strict=False)
        if reader.is_encrypted:
            raise _fehler(
                _(
                    "Die PDF-Datei ist verschlüsselt oder passwortgeschützt. Bitte ohne Passwort "
                    "hochladen, damit sie durchsucht werden kann."
                )
            )
        if len(reader.pages) < 1:
            raise _fehler(_("Die PDF-Datei enthält keine Seiten."))
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _fehler(_("Die PDF-Datei ist beschädigt und kann nicht gelesen werden.")) from exc
    finally:
        datei.seek(0)


def _text_pruefen(datei) -> None:
    inhalt = _lesen(datei, settings.UPLOAD_MAX_BYTES + 1)
    if b"\x00" in inhalt:
        raise _fehler(
            _("Die Datei enthält Binärdaten und ist keine Textdatei (CSV, TXT oder Markdown).")
        )
    anfang = inhalt[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if anfang.startswith(HTML_ANFAENGE):
        raise _fehler(
            _("HTML-, SVG- und XML-Dateien werden nicht angenommen, auch nicht als Textdatei.")
        )
    for kodierung in ("utf-8", "cp1252"):
        try:
            inhalt.decode(kodierung)
        except UnicodeDecodeError:
            continue
        return
    raise _fehler(_("Die Textdatei ist weder UTF-8 noch Windows-1252 kodiert."))


def art(endung: str) -> str:
    """The type an extension names: `jpg` and `jpeg` are one type, so are `tif` and `tiff`."""
    return GLEICHE_ENDUNG.get(endung, endung)


def _bild_zu_gross() -> ValidationError:
    return _fehler(
        _(
            "Das Bild ist zu groß: Erlaubt sind höchstens %(max)s Millionen Pixel je Seite (etwa "
            "ein DIN-A3-Scan mit 500 dpi). Bitte mit geringerer Auflösung scannen."
        )
        % {"max": BILD_MAX_PIXEL // 1_000_000}
    )


def _bild_beschaedigt() -> ValidationError:
    return _fehler(_("Die Bilddatei ist beschädigt und kann nicht gelesen werden."))


def _bild_pruefen(datei, format: str) -> None:
    """Open an image with the decoder of its signature only and bound it before decoding.

    The header gives each page's size; a page over BILD_MAX_PIXEL (a decompression bomb
    declares billions) is refused without decoding it. PNG's chunk checksums and a JPEG's
    whole stream (decoded at an eighth of its size) are read, so a cut-off file is refused
    here; TIFF pages are read by the OCR, which reports a page it cannot decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, far above our own bound: either is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Hostile headers make Pillow warn about EXIF it skips: the refusal says enough.
            warnings.simplefilter("ignore", UserWarning)
            with Image.open(datei, formats=[format]) as bild:
                for seite in range(BILD_MAX_SEITEN + 1):
                    try:
                        bild.seek(seite)
                    except EOFError:
                        break
                    if seite == BILD_MAX_SEITEN:
                        raise _fehler(
                            _("Die Bilddatei hat mehr als %(max)s Seiten.")
                            % {"max": BILD_MAX_SEITEN}
                        )
                    breite, hoehe = bild.size
                    if breite < 1 or hoehe < 1:
                        raise _bild_beschaedigt()
                    if breite * hoehe > BILD_MAX_PIXEL:
                        raise _bild_zu_gross()
                bild.seek(0)
                if format == "JPEG":
                    bild.draft("L", (max(1, bild.width // 8), max(1, bild.height // 8)))
                    bild.load()
                elif format == "PNG":
                    bild.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bild_zu_gross() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _bild_beschaedigt() from exc
    finally:
        datei.seek(0)


def erkennen(datei, endung: str) -> str:
    """The type the content is (one of ERLAUBTE_ENDUNGEN, `jpeg` and `tiff` for both
    spellings), or a ValidationError."""
    kopf = _lesen(datei, 512)
    # "MZ" alone could begin a text line; a Windows executable also has binary bytes.
    if kopf.startswith(AUSFUEHRBAR) or (kopf.startswith(b"MZ") and b"\x00" in kopf):
        raise _fehler(_("Ausführbare Dateien und Skripte werden nicht angenommen."))
    if kopf.startswith(OLE):
        raise _fehler(
            _(
                "Alte Office-Formate (.doc, .xls, .ppt) und passwortgeschützte Office-Dateien "
                "werden nicht angenommen. Bitte als PDF oder im aktuellen Format (.docx, .xlsx, "
                ".pptx) speichern."
            )
        )
    if kopf.startswith(b"%PDF-"):
        _pdf_pruefen(datei)
        return "pdf"
    if kopf.startswith(b"PK\x03\x04"):
        return _zip_art(datei)
    for signatur, bildart, format in BILD_SIGNATUREN:
        if kopf.startswith(signatur):
            _bild_pruefen(datei, format)
            return bildart
    if endung in TEXT_ENDUNGEN:
        _text_pruefen(datei)
        return endung
    raise _fehler(
        _(
            "Der Inhalt der Datei passt zu keinem erlaubten Format (%(formate)s). Die Dateiendung "
            "allein genügt nicht."
        )
        % {"formate": ", ".join(e.upper() for e in ERLAUBTE_ENDUNGEN)}
    )


def zu_gross_meldung(max_bytes: int, groesse: int | None = None) -> str:
    if groesse is None:
        return _("Die Datei ist zu groß; erlaubt sind höchstens %(max)s.") % {
            "max": filesizeformat(max_bytes)
        }
    return _("Die Datei ist %(groesse)s groß; erlaubt sind höchstens %(max)s.") % {
        "groesse": filesizeformat(groesse),
        "max": filesizeformat(max_bytes),
    }


class GroesseBegrenzen(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit, so an oversized file never
    fills the temporary directory. Goes first in request.upload_handlers."""

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.zu_gross = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.zu_gross = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def pruefen(datei, *, max_bytes: int | None = None) -> Pruefergebnis:
    """Check an uploaded file; returns its detected type and hash or raises ValidationError
    with a German message on the field "datei". Reads the file, never writes it anywhere."""
    max_bytes = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    name = originalname(getattr(datei, "name", "") or "")
    groesse = datei.size
    if not groesse:
        raise _fehler(_("Die Datei ist leer."))
    if groesse > max_bytes:
        raise _fehler(zu_gross_meldung(max_bytes, groesse))
    endung = _endung(name)
    if endung not in ERLAUBTE_ENDUNGEN:
        raise _fehler(
            _("Dateien mit der Endung „%(endung)s“ werden nicht angenommen. Erlaubt: %(formate)s.")
            % {
                "endung": f".{endung}" if endung else _("(keine)"),
                "formate": ", ".join(e.upper() for e in ERLAUBTE_ENDUNGEN),
            }
        )
    erkannt = erkennen(datei, endung)
    if erkannt != art(endung):
        raise _fehler(
            _(
                "Die Dateiendung .%(endung)s passt nicht zum Inhalt: Die Datei ist eine "
                "%(erkannt)s-Datei. Bitte mit der richtigen Endung hochladen."
            )
            % {"endung": endung, "erkannt": erkannt.upper()}
        )
    return Pruefergebnis(
        endung=endung, mime=MIME[endung], sha256=_sha256(datei), groesse=groesse, originalname=name
    )
