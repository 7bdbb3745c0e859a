"""Office Open XML and OpenDocument files from their XML parts, and plain text.

The parts are streamed through defusedxml's hardened `iterparse`. Document type declarations
are refused wherever they stand in the part: office XML never has one, and without it there
are no entity expansions (billion laughs) or external entities.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from .sammler import ExtraktionsFehler, Fortschritt, Sammler

XML_STUECK = 64 * 1024


def _lokal(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


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

    def __init__(self, strom, sammler: Sammler, weiter: Callable[[int], None]):
        self.strom, self.sammler, self.weiter = strom, sammler, weiter

    def read(self, n: int = -1) -> bytes:
        self.sammler.uhr()
        chunk = self.strom.read(XML_STUECK if n is None or n < 0 else min(n, XML_STUECK))
        self.weiter(len(chunk))
        return chunk


def _xml_lesen(strom, odf: bool, sammler: Sammler, weiter: Callable[[int], None]) -> None:
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


def office_lesen(datei, art: str, sammler: Sammler, fortschritt: Fortschritt) -> None:
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

        try:
            for teil in teile:
                with zf.open(teil) as strom:
                    _xml_lesen(strom, art in ("odt", "ods", "odp"), sammler, weiter)
        finally:
            sammler.aus_datei = sammler.laenge > 0
        fortschritt(100)


def text_lesen(datei, sammler: Sammler, fortschritt: Fortschritt) -> None:
    roh = datei.read(sammler.max_zeichen * 4 + 4)
    try:
        text = roh.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = roh.decode("cp1252", errors="replace")
    sammler.aus_datei = bool(text.strip())
    sammler.add(text)
    fortschritt(100)
