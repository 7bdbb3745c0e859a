"""Writes of the results app: `ergebnisse` (results: create, edit, delete), `dokumente`
(their documents: upload, replace, delete) and `extraktion` (the documents' text for search,
OCR included)."""

from .dokumente import (
    NICHT_GESPEICHERT,
    VSNFD_DOKUMENTE,
    dokument_ersetzen,
    dokument_hochladen,
    dokument_loeschen,
)
from .ergebnisse import (
    ENDUNG_ZU_MIME,
    ERGEBNIS_FELDER,
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
    "NICHT_GESPEICHERT",
    "dokument_ersetzen",
    "dokument_hochladen",
    "dokument_loeschen",
    "dokument_text_extrahieren",
    "ergebnis_aendern",
    "ergebnis_anlegen",
    "ergebnis_loeschen",
    "extraktion_einreihen",
    "extraktion_fehlgeschlagen",
    "extraktion_nachholen",
    "laeuft_hoechstens",
]
