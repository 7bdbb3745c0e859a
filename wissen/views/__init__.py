"""Views of wissen: `ansehen.py` list, detail, access request, download;
`bearbeiten.py` create, edit, withdraw, delete, upload, replace and delete documents and
propose sharing."""

from .aehnliche import ergebnis_aehnliche
from .ansehen import (
    dateiname,
    dokument_download,
    ergebnis_detail,
    ergebnis_liste,
    ergebnis_zugang,
    fassung_download,
)
from .bearbeiten import (
    dokument_loeschen,
    dokument_neu,
    dokument_status,
    ergebnis_bearbeiten,
    ergebnis_freigabe_pruefen,
    ergebnis_freigeben,
    ergebnis_loeschen,
    ergebnis_neu,
    ergebnis_zurueckziehen,
)

__all__ = [
    "ergebnis_aehnliche",
    "dateiname",
    "dokument_download",
    "dokument_neu",
    "dokument_status",
    "ergebnis_bearbeiten",
    "ergebnis_detail",
    "ergebnis_freigabe_pruefen",
    "ergebnis_freigeben",
    "ergebnis_liste",
    "ergebnis_loeschen",
    "ergebnis_neu",
    "ergebnis_zugang",
    "ergebnis_zurueckziehen",
    "dokument_loeschen",
    "fassung_download",
]
