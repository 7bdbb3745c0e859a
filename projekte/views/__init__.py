"""Views of projekte: `ansehen.py` list, detail, access request, reuse, follow;
`bearbeiten.py` create, edit, withdraw, delete and propose sharing."""

from .aehnliche import formular_werte, projekt_aehnliche, projekt_text, vorschlaege
from .ansehen import (
    facetten_melden,
    folgbare,
    folgen,
    projekt_detail,
    projekt_einsparung,
    projekt_liste,
    projekt_nachnutzung,
    projekt_zugang,
    weiter_url,
)
from .bearbeiten import (
    projekt_bearbeiten,
    projekt_freigabe_pruefen,
    projekt_freigeben,
    projekt_loeschen,
    projekt_neu,
    projekt_zurueckziehen,
)

__all__ = [
    "formular_werte",
    "projekt_text",
    "vorschlaege",
    "projekt_aehnliche",
    "facetten_melden",
    "folgbare",
    "folgen",
    "projekt_bearbeiten",
    "projekt_detail",
    "projekt_einsparung",
    "projekt_freigabe_pruefen",
    "projekt_freigeben",
    "projekt_liste",
    "projekt_loeschen",
    "projekt_nachnutzung",
    "projekt_neu",
    "projekt_zugang",
    "projekt_zurueckziehen",
    "weiter_url",
]
