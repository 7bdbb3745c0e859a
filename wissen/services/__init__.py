"""Writes of the results app: `ergebnisse` (results and their documents: create, edit,
delete, upload) and `extraktion` (the documents' text for search, OCR included)."""

from .ergebnisse import (
    ENDUNG_ZU_MIME,
    ERGEBNIS_FELDER,
    VSNFD_DOKUMENTE,
    dokument_hochladen,
    ergebnis_aendern,
    ergebnis_anlegen,
    ergebnis_loeschen,
)
from .extraktion import (
    MIME_ZU_ENDUNG,
    NICHT_INDEXIERBAR,
    dokument_text_extrahieren,
    extraktion_einreihen,
    extraktion_fehlgeschlagen,
    extraktion_nachholen,
    laeuft_hoechstens,
)

__all__ = [
    "ENDUNG_ZU_MIME",
    "ERGEBNIS_FELDER",
    "MIME_ZU_ENDUNG",
    "NICHT_INDEXIERBAR",
    "VSNFD_DOKUMENTE",
    "dokument_hochladen",
    "dokument_text_extrahieren",
    "ergebnis_aendern",
    "ergebnis_anlegen",
    "ergebnis_loeschen",
    "extraktion_einreihen",
    "extraktion_fehlgeschlagen",
    "extraktion_nachholen",
    "laeuft_hoechstens",
]
