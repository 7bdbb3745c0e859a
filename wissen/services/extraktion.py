"""Text extraction of documents: queue it, run it (text, and OCR within the document's budget),
record how the text was obtained, catch up on what the broker or a lost worker left behind."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.aufgaben import einreihen

from .. import dateipruefung
from ..extraktion import ExtraktionsFehler, extrahieren
from ..models import Dokument
from ..suche import ergebnis_suchvektor_aktualisieren

log = logging.getLogger(__name__)

# The type extraction reads (`jpg` and `jpeg` are one type, named `jpeg`).
MIME_ZU_ENDUNG = {mime: dateipruefung.art(endung) for endung, mime in dateipruefung.MIME.items()}


@contextmanager
def lokal_lesen(datei) -> Iterator[IO[bytes]]:
    """A stored file, open for reading on this machine: on the file system the file itself;
    from an object store a private temporary copy, made before extraction starts, so that
    pypdf, Pillow and zipfile seek in a local file, pdftoppm gets a path, and a store that
    cannot be reached fails here (the task retries) instead of as a "damaged" document."""
    try:
        datei.path  # noqa: B018 - only asks whether the storage has local paths
    except NotImplementedError:
        pass
    else:
        with datei.open("rb") as f:
            yield f
        return
    with tempfile.NamedTemporaryFile(prefix="wv-dokument-") as kopie:
        with datei.open("rb") as quelle:
            shutil.copyfileobj(quelle, kopie, 1024 * 1024)
        kopie.seek(0)
        yield kopie


def extraktion_einreihen(dokument_id: int) -> None:
    """Queue the extraction. If the broker is down the upload still stands (`einreihen` logs
    it): the periodic `extraktion_nachholen` picks the waiting document up later."""
    from ..tasks import dokument_extrahieren

    try:
        einreihen(dokument_extrahieren, dokument_id)
    except Exception:  # noqa: BLE001 - eager mode runs the task here; the upload stands
        log.exception("Extraction of document %s failed; the periodic job retries", dokument_id)


NACHHOLEN_NACH = dt.timedelta(minutes=10)


def laeuft_hoechstens() -> dt.timedelta:
    """No run lives longer than the task's hard time limit (the budget plus two minutes): one
    begun earlier than this (a minute more) is dead, its worker killed or lost."""
    return dt.timedelta(seconds=settings.EXTRAKTION_VERLOREN_SEKUNDEN)


def extraktion_nachholen(*, jetzt: dt.datetime | None = None) -> int:
    """Re-queue documents whose extraction never started (broker was down) or stalled."""
    jetzt = jetzt or timezone.now()
    verloren = jetzt - laeuft_hoechstens()
    ids = list(
        Dokument.objects.filter(
            Q(extraktion=Dokument.Extraktion.WARTET, hochgeladen_am__lt=jetzt - NACHHOLEN_NACH)
            | Q(
                extraktion=Dokument.Extraktion.LAEUFT,
                extraktion_begonnen__lt=verloren,
            )
            | Q(
                extraktion=Dokument.Extraktion.LAEUFT,
                extraktion_begonnen__isnull=True,
                hochgeladen_am__lt=verloren,
            )
        ).values_list("pk", flat=True)[:200]
    )
    for pk in ids:
        extraktion_einreihen(pk)
    return len(ids)


FORTSCHRITT_SCHRITT = 5
# A new page is shown at most this often (OCR takes seconds per page, text pages far less).
SEITE_ALLE_SEKUNDEN = 1.0
ERLEDIGT = (Dokument.Extraktion.FERTIG, Dokument.Extraktion.TEILWEISE)


def dokument_text_extrahieren(*, dokument_id: int) -> str | None:
    """Extract a document's text for search: wartet -> laeuft -> fertig | teilweise | fehler.

    Scanned pages and images are read by OCR within the document's budget (time and pages,
    decision 0014); over budget the document ends "teilweise" with what was read and why.
    Safe to run twice: a finished document is left alone; a run interrupted while "laeuft"
    (worker lost, task redelivered) starts over."""
    with transaction.atomic():
        dok = (
            Dokument.objects.select_for_update()
            .select_related("ergebnis")
            .filter(pk=dokument_id)
            .first()
        )
        if dok is None or dok.extraktion in ERLEDIGT:
            return dok.extraktion if dok else None
        dok.extraktion = Dokument.Extraktion.LAEUFT
        dok.extraktion_fortschritt = 0
        dok.extraktion_seite = 0
        dok.extraktion_fehler = ""
        dok.extraktion_begonnen = timezone.now()
        dok.seiten = None
        dok.ocr_seiten = 0
        dok.ocr_konfidenz = None
        dok.textquelle = ""
        dok.save(
            update_fields=[
                "extraktion",
                "extraktion_fortschritt",
                "extraktion_seite",
                "extraktion_fehler",
                "extraktion_begonnen",
                "seiten",
                "ocr_seiten",
                "ocr_konfidenz",
                "textquelle",
            ]
        )

    gemeldet = 0
    gemeldete_seite = 0
    zuletzt = -SEITE_ALLE_SEKUNDEN

    def fortschritt(prozent: int, seite: int | None = None, seiten: int | None = None) -> None:
        # Few writes: every 5 percentage points, and a new page at most once a second, so the
        # page's poll sees each scanned page that OCR works on.
        nonlocal gemeldet, gemeldete_seite, zuletzt
        prozent = max(0, min(100, int(prozent)))
        jetzt = time.monotonic()
        neue_seite = seite is not None and seite != gemeldete_seite
        if prozent - gemeldet < FORTSCHRITT_SCHRITT and not (
            neue_seite and jetzt - zuletzt >= SEITE_ALLE_SEKUNDEN
        ):
            return
        felder = {"extraktion_fortschritt": max(prozent, gemeldet)}
        if seite is not None:
            felder.update(extraktion_seite=seite, seiten=seiten)
            gemeldete_seite = seite
        Dokument.objects.filter(pk=dokument_id).update(**felder)
        gemeldet, zuletzt = felder["extraktion_fortschritt"], jetzt

    art = MIME_ZU_ENDUNG.get(dok.mime, "")
    try:
        with lokal_lesen(dok.datei) as f:
            extrakt = extrahieren(
                f,
                art,
                fortschritt,
                max_zeichen=settings.EXTRAKTION_MAX_ZEICHEN,
                max_sekunden=settings.EXTRAKTION_MAX_SEKUNDEN,
                ocr_max_seiten=settings.OCR_MAX_SEITEN,
                ocr_dpi=settings.OCR_DPI,
            )
    except ExtraktionsFehler as exc:
        return extraktion_fehlgeschlagen(
            dokument_id=dokument_id, grund=exc.grund, teiltext=exc.teiltext
        )
    except FileNotFoundError:
        return extraktion_fehlgeschlagen(
            dokument_id=dokument_id, grund=_("Die gespeicherte Datei wurde nicht gefunden.")
        )
    if extrakt.gekuerzt:
        log.info("Text of document %s cut at %s characters", dokument_id, len(extrakt.text))
    zustand = (
        Dokument.Extraktion.TEILWEISE if extrakt.unvollstaendig else Dokument.Extraktion.FERTIG
    )
    if extrakt.unvollstaendig:
        log.info("Document %s partly extracted: %s", dokument_id, extrakt.unvollstaendig)
    try:
        with transaction.atomic():
            # A document replaced meanwhile keeps its new version's state: this text is stale.
            geschrieben = Dokument.objects.filter(pk=dokument_id, sha256=dok.sha256).update(
                text=extrakt.text,
                extraktion=zustand,
                extraktion_fortschritt=100,
                extraktion_fehler=extrakt.unvollstaendig[:300],
                seiten=extrakt.seiten,
                ocr_seiten=extrakt.ocr_seiten,
                ocr_konfidenz=extrakt.konfidenz,
                textquelle=extrakt.textquelle,
            )
            if not geschrieben:
                return None
            ergebnis_suchvektor_aktualisieren(dok.ergebnis_id)
    except OperationalError as exc:
        if not _zu_gross_fuer_suchindex(exc):
            raise  # a passing database problem: the task retries
        return _nicht_indexierbar(dokument_id)
    return zustand


NICHT_INDEXIERBAR = gettext_lazy(
    "Der Text dieses Dokuments ist zu umfangreich für den Suchindex; das Dokument ist "
    "gespeichert, aber über seinen Inhalt nicht auffindbar. Bitte eine kürzere Fassung "
    "oder Auszüge hochladen."
)


def _zu_gross_fuer_suchindex(exc: Exception) -> bool:
    # SQLSTATE 54000 program_limit_exceeded: "string is too long for tsvector" (1 MB of
    # lexemes and positions). A character cap cannot rule it out: distinct words cost more.
    return getattr(exc.__cause__, "sqlstate", None) == "54000"


def _nicht_indexierbar(dokument_id: int) -> str:
    log.warning("Text of document %s is too large for the search index", dokument_id)
    return extraktion_fehlgeschlagen(dokument_id=dokument_id, grund=str(NICHT_INDEXIERBAR))


def extraktion_fehlgeschlagen(*, dokument_id: int, grund: str, teiltext: str = "") -> str:
    """Record a failed extraction with its German reason; what was read still feeds search,
    unless even that is too large for the index (then the document keeps no text)."""
    teiltext = teiltext.replace("\x00", " ")[: settings.EXTRAKTION_MAX_ZEICHEN]
    try:
        _fehler_speichern(dokument_id, grund, teiltext)
    except OperationalError as exc:
        if not (teiltext and _zu_gross_fuer_suchindex(exc)):
            raise
        _fehler_speichern(dokument_id, str(NICHT_INDEXIERBAR), "")
    return Dokument.Extraktion.FEHLER


def _fehler_speichern(dokument_id: int, grund: str, text: str) -> None:
    with transaction.atomic():
        Dokument.objects.filter(pk=dokument_id).update(
            text=text,
            extraktion=Dokument.Extraktion.FEHLER,
            extraktion_fehler=grund[:300],
        )
        ergebnis_id = (
            Dokument.objects.filter(pk=dokument_id).values_list("ergebnis_id", flat=True).first()
        )
        if ergebnis_id is not None:
            ergebnis_suchvektor_aktualisieren(ergebnis_id)
