"""Text extraction for search: PDF with pypdf, office formats from their XML parts, plain text.

The office formats are ZIP archives of XML; their parts are streamed through defusedxml's
hardened `iterparse`. Document type declarations are refused wherever they stand in the part:
office XML never has one, and without it there are no entity expansions (billion laughs) or
external entities. Text size and run time are bounded; progress is reported as a percentage.
"""

from __future__ import annotations

import re
import time
import zipfile
from collections.abc import Callable
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

MAX_ZEICHEN = 2_000_000
MAX_SEKUNDEN = 120
XML_STUECK = 64 * 1024

Fortschritt = Callable[[int], None]


class ExtraktionsFehler(Exception):
    """Extraction failed; `grund` is a German reason for the user, `teiltext` what was read."""

    def __init__(self, grund: str, teiltext: str = ""):
        super().__init__(grund)
        self.grund = grund
        self.teiltext = teiltext


class _Voll(Exception):
    pass


class _Sammler:
    """Collects text up to a limit and watches the clock."""

    def __init__(self, max_zeichen: int, max_sekunden: float):
        self.teile: list[str] = []
        self.laenge = 0
        self.max_zeichen = max_zeichen
        self.frist = time.monotonic() + max_sekunden
        self.gekuerzt = False

    def add(self, text: str) -> None:
        if not text:
            return
        rest = self.max_zeichen - self.laenge
        if len(text) >= rest:
            self.teile.append(text[:rest])
            self.laenge = self.max_zeichen
            self.gekuerzt = True
            raise _Voll
        self.teile.append(text)
        self.laenge += len(text)

    def uhr(self) -> None:
        if time.monotonic() > self.frist:
            raise ExtraktionsFehler(
                _("Die Texterkennung hat das Zeitlimit überschritten; der Text ist unvollständig."),
                self.text,
            )

    @property
    def text(self) -> str:
        return "".join(self.teile)


def _lokal(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _pdf(datei, sammler: _Sammler, fortschritt: Fortschritt) -> None:
    from pypdf import PdfReader

    reader = PdfReader(datei, strict=False)
    if reader.is_encrypted:
        raise ExtraktionsFehler(_("Die PDF-Datei ist verschlüsselt."))
    seiten = len(reader.pages)
    for nr, seite in enumerate(reader.pages, start=1):
        sammler.uhr()
        sammler.add((seite.extract_text() or "") + "\n")
        fortschritt(nr * 100 // max(seiten, 1))


def _xml_teile(zf: zipfile.ZipFile, art: str) -> list[str]:
    namen = set(zf.namelist())

    def nummeriert(prefix: str) -> list[str]:
        gefunden = [n for n in namen if re.fullmatch(re.escape(prefix) + r"\d+\.xml", n)]
        return sorted(gefunden, key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)))

    if art == "docx":
        kandidaten = ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml"]
    elif art == "xlsx":
        kandidaten = ["xl/sharedStrings.xml", *nummeriert("xl/worksheets/sheet")]
    elif art == "pptx":
        kandidaten = nummeriert("ppt/slides/slide")
    else:  # OpenDocument
        kandidaten = ["content.xml"]
    return [n for n in kandidaten if n in namen]


# Per format: elements whose own text is text (OOXML "t") and elements that end a line.
OOXML_TEXT = {"t"}
OOXML_UMBRUCH = {"p", "si", "row", "br", "cr"}
ODF_ABSATZ = {"p", "h"}


class _Strom:
    """The XML part as the parser reads it: in bounded pieces, with clock and progress."""

    def __init__(self, strom, sammler: _Sammler, weiter: Callable[[int], None]):
        self.strom, self.sammler, self.weiter = strom, sammler, weiter

    def read(self, n: int = -1) -> bytes:
        self.sammler.uhr()
        chunk = self.strom.read(XML_STUECK if n is None or n < 0 else min(n, XML_STUECK))
        self.weiter(len(chunk))
        return chunk


def _xml_lesen(strom, odf: bool, sammler: _Sammler, weiter: Callable[[int], None]) -> None:
    ereignisse = iterparse(
        _Strom(strom, sammler, weiter),
        events=("end",),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    for _event, elem in ereignisse:
        name = _lokal(elem.tag)
        if odf:
            if name in ODF_ABSATZ:
                sammler.add("".join(elem.itertext()) + "\n")
                elem.clear()
        else:
            if name in OOXML_TEXT:
                sammler.add(elem.text or "")
            elif name == "tab":
                sammler.add(" ")
            elif name in OOXML_UMBRUCH:
                sammler.add("\n")
                if name in ("p", "si", "row"):
                    elem.clear()


def _office(datei, art: str, sammler: _Sammler, fortschritt: Fortschritt) -> None:
    with zipfile.ZipFile(datei) as zf:
        teile = _xml_teile(zf, art)
        if not teile:
            raise ExtraktionsFehler(_("Im Dokument wurde kein Textteil gefunden."))
        gesamt = sum(zf.getinfo(n).file_size for n in teile) or 1
        gelesen = 0

        def weiter(n: int) -> None:
            nonlocal gelesen
            gelesen += n
            fortschritt(min(99, gelesen * 100 // gesamt))

        for teil in teile:
            with zf.open(teil) as strom:
                _xml_lesen(strom, art in ("odt", "ods", "odp"), sammler, weiter)
        fortschritt(100)


def _text(datei, sammler: _Sammler, fortschritt: Fortschritt) -> None:
    roh = datei.read(sammler.max_zeichen * 4 + 4)
    try:
        text = roh.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = roh.decode("cp1252", errors="replace")
    sammler.add(text)
    fortschritt(100)


def extrahieren(
    datei,
    art: str,
    fortschritt: Fortschritt = lambda p: None,
    *,
    max_zeichen: int = MAX_ZEICHEN,
    max_sekunden: float = MAX_SEKUNDEN,
) -> tuple[str, bool]:
    """The text of an open binary file of type `art` (pdf, docx, ...), and whether it was
    cut at `max_zeichen`. Raises ExtraktionsFehler with a German reason."""
    from pypdf.errors import PyPdfError

    sammler = _Sammler(max_zeichen, max_sekunden)
    try:
        if art == "pdf":
            _pdf(datei, sammler, fortschritt)
        elif art in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
            _office(datei, art, sammler, fortschritt)
        elif art in ("csv", "txt", "md"):
            _text(datei, sammler, fortschritt)
        else:
            raise ExtraktionsFehler(_("Für diesen Dateityp gibt es keine Texterkennung."))
    except _Voll:
        pass
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
    ) as exc:
        # pypdf signals broken files with many exception types; the user needs one reason.
        raise ExtraktionsFehler(
            _("Der Text konnte nicht gelesen werden: Die Datei ist beschädigt."), sammler.text
        ) from exc
    fortschritt(100)
    return _bereinigen(sammler.text), sammler.gekuerzt


def _bereinigen(text: str) -> str:
    # PostgreSQL text cannot hold NUL; collapse runs of blank lines for a tidy index.
    return re.sub(r"\n{3,}", "\n\n", text.replace("\x00", " ")).strip()
