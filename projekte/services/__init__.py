"""Writes of projekte, by topic: `projekte.py` projects themselves, `nutzung.py` following
and declared reuse (Nachnutzung)."""

from .nutzung import (
    abo_setzen,
    einsparung_setzen,
    nachnutzung_erklaeren,
    nachnutzung_zurueckziehen,
)
from .projekte import (
    PROJEKT_FELDER,
    PROJEKT_TEILE,
    projekt_aendern,
    projekt_anlegen,
    projekt_loeschen,
)

__all__ = [
    "PROJEKT_FELDER",
    "PROJEKT_TEILE",
    "abo_setzen",
    "einsparung_setzen",
    "nachnutzung_erklaeren",
    "nachnutzung_zurueckziehen",
    "projekt_aendern",
    "projekt_anlegen",
    "projekt_loeschen",
]
