"""What one extraction run holds: the text read so far, the clock, the OCR counts, the result.

Over its time budget a run stops and keeps what it read; `Sammler.unvollstaendig` says in
German why text is missing (time, the OCR page budget, OCR not installed, unreadable pages).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import ocr

# Called with the percentage done and, for paged formats, the page being read and the count.
Fortschritt = Callable[..., None]


def kein_fortschritt(*args, **kwargs) -> None:
    pass


@dataclass(frozen=True)
class Extrakt:
    """The text of a document and how it was obtained."""

    text: str
    gekuerzt: bool = False
    # Pages of a PDF or image file (None for other formats).
    seiten: int | None = None
    # Pages whose text OCR recognised, and whether any text came from the file itself.
    ocr_seiten: int = 0
    aus_datei: bool = False
    # Mean confidence of the recognised words, 0 to 100 (None without OCR).
    konfidenz: float | None = None
    # Why some text is missing (time or page budget, OCR unavailable): a German sentence.
    unvollstaendig: str = ""

    @property
    def textquelle(self) -> str:
        """`textebene`, `ocr`, `gemischt`, or "" when there is no text at all."""
        if self.ocr_seiten and self.aus_datei:
            return "gemischt"
        if self.ocr_seiten:
            return "ocr"
        return "textebene" if self.aus_datei else ""


class ExtraktionsFehler(Exception):
    """Extraction failed; `grund` is a German reason for the user, `teiltext` what was read."""

    def __init__(self, grund: str, teiltext: str = ""):
        super().__init__(grund)
        self.grund = grund
        self.teiltext = teiltext


class Voll(Exception):
    pass


class ZeitUm(Exception):
    pass


class Sammler:
    """Collects text up to a limit, watches the clock and counts what OCR did."""

    def __init__(self, max_zeichen: int, max_sekunden: float, ocr_max_seiten: int):
        self.teile: list[str] = []
        self.laenge = 0
        self.max_zeichen = max_zeichen
        self.max_sekunden = max_sekunden
        self.frist = time.monotonic() + max_sekunden
        self.gekuerzt = False
        self.aus_datei = False
        # Paged formats: pages in the file and pages read to the end.
        self.seiten: int | None = None
        self.gelesen = 0
        self.zeit_um = False
        # OCR: runs against the page budget, pages it read, words and their confidences,
        # scanned pages left unread (budget, OCR missing) and pages it could not read.
        self.ocr_max_seiten = ocr_max_seiten
        self.ocr_laeufe = 0
        self.ocr_seiten = 0
        self.woerter = 0
        self.konfidenz_summe = 0.0
        self.ausgelassen = 0
        self.nicht_lesbar = 0
        self.ocr_fehlt = False

    def rest(self) -> float:
        return self.frist - time.monotonic()

    def ocr_frei(self) -> bool:
        """May one more page go to OCR?"""
        return not self.ocr_fehlt and self.ocr_laeufe < self.ocr_max_seiten

    def ocr_seite(self, seite: ocr.Seite) -> None:
        self.ocr_seiten += 1
        self.woerter += seite.woerter
        self.konfidenz_summe += seite.konfidenz_summe

    def add(self, text: str) -> None:
        if not text:
            return
        rest = self.max_zeichen - self.laenge
        if len(text) >= rest:
            self.teile.append(text[:rest])
            self.laenge = self.max_zeichen
            self.gekuerzt = True
            raise Voll
        self.teile.append(text)
        self.laenge += len(text)

    def uhr(self) -> None:
        if time.monotonic() > self.frist:
            raise ZeitUm

    @property
    def text(self) -> str:
        return "".join(self.teile)

    def unvollstaendig(self) -> str:
        """Why text is missing, in German; "" when everything was read."""
        gruende = []
        if self.zeit_um:
            if self.seiten:
                gruende.append(
                    ngettext(
                        "Die Texterkennung hat ihr Zeitbudget von %(sekunden)s Sekunden je "
                        "Dokument ausgeschöpft: Gelesen wurde %(gelesen)s von %(seiten)s Seiten, "
                        "der übrige Text ist nicht durchsuchbar.",
                        "Die Texterkennung hat ihr Zeitbudget von %(sekunden)s Sekunden je "
                        "Dokument ausgeschöpft: Gelesen wurden %(gelesen)s von %(seiten)s Seiten, "
                        "der übrige Text ist nicht durchsuchbar.",
                        self.gelesen,
                    )
                    % {
                        "sekunden": number_format(self.max_sekunden),
                        "gelesen": self.gelesen,
                        "seiten": self.seiten,
                    }
                )
            else:
                gruende.append(
                    _(
                        "Die Texterkennung hat ihr Zeitbudget von %(sekunden)s Sekunden je "
                        "Dokument ausgeschöpft; der Text ist unvollständig."
                    )
                    % {"sekunden": number_format(self.max_sekunden)}
                )
        if self.ausgelassen and self.ocr_fehlt:
            gruende.append(
                ngettext(
                    "Gescannte Seiten werden auf diesem Server nicht erkannt (Tesseract mit "
                    "deutschen Sprachdaten fehlt): %(n)s Seite ist nicht durchsuchbar.",
                    "Gescannte Seiten werden auf diesem Server nicht erkannt (Tesseract mit "
                    "deutschen Sprachdaten fehlt): %(n)s Seiten sind nicht durchsuchbar.",
                    self.ausgelassen,
                )
                % {"n": self.ausgelassen}
            )
        elif self.ausgelassen and self.ocr_max_seiten <= 0:
            gruende.append(
                ngettext(
                    "Die Texterkennung gescannter Seiten (OCR) ist ausgeschaltet: %(n)s Seite "
                    "ist nicht durchsuchbar.",
                    "Die Texterkennung gescannter Seiten (OCR) ist ausgeschaltet: %(n)s Seiten "
                    "sind nicht durchsuchbar.",
                    self.ausgelassen,
                )
                % {"n": self.ausgelassen}
            )
        elif self.ausgelassen:
            gruende.append(
                ngettext(
                    "Die Texterkennung (OCR) liest höchstens %(max)s gescannte Seiten je "
                    "Dokument: %(n)s weitere Seite ist nicht durchsuchbar.",
                    "Die Texterkennung (OCR) liest höchstens %(max)s gescannte Seiten je "
                    "Dokument: %(n)s weitere Seiten sind nicht durchsuchbar.",
                    self.ausgelassen,
                )
                % {"max": self.ocr_max_seiten, "n": self.ausgelassen}
            )
        if self.nicht_lesbar:
            gruende.append(
                ngettext(
                    "%(n)s gescannte Seite konnte nicht gelesen werden.",
                    "%(n)s gescannte Seiten konnten nicht gelesen werden.",
                    self.nicht_lesbar,
                )
                % {"n": self.nicht_lesbar}
            )
        return " ".join(gruende)

    def extrakt(self, text: str) -> Extrakt:
        return Extrakt(
            text=text,
            gekuerzt=self.gekuerzt,
            seiten=self.seiten,
            ocr_seiten=self.ocr_seiten,
            aus_datei=self.aus_datei,
            konfidenz=round(self.konfidenz_summe / self.woerter, 1) if self.woerter else None,
            unvollstaendig=self.unvollstaendig(),
        )


class Ordner:
    """A private temporary folder for one document's rendered pages, and a copy of the PDF on
    disk for pdftoppm (made once, when the first scanned page needs it)."""

    def __init__(self):
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._pdf: Path | None = None

    @property
    def pfad(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="wv-ocr-")
        return Path(self._tmp.name)

    def pdf(self, datei) -> Path:
        if self._pdf is None:
            ziel = self.pfad / "dokument.pdf"
            position = datei.tell()
            datei.seek(0)
            with open(ziel, "wb") as aus:
                shutil.copyfileobj(datei, aus, 1024 * 1024)
            datei.seek(position)
            self._pdf = ziel
        return self._pdf

    def aufraeumen(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
