"""Forms of projekte: `projekte.py` the project form, `nutzung.py` the reuse declaration."""

from .nutzung import EinsparungForm, NachnutzungForm
from .projekte import (
    BeteiligungForm,
    BeteiligungFormSet,
    InitiativenFeld,
    ProjektForm,
    beteiligungen_aus,
)

__all__ = [
    "BeteiligungForm",
    "BeteiligungFormSet",
    "EinsparungForm",
    "InitiativenFeld",
    "NachnutzungForm",
    "ProjektForm",
    "beteiligungen_aus",
]
