"""Forms of projekte: `projekte.py` the project form, `nutzung.py` the reuse declaration."""

from .nutzung import EinsparungForm, NachnutzungForm
from .projekte import (
    BeteiligungForm,
    BeteiligungFormSet,
    InitiativenFeld,
    ProjektForm,
    beteiligungen_aus,
    initiativen_feld,
)

__all__ = [
    "BeteiligungForm",
    "BeteiligungFormSet",
    "EinsparungForm",
    "InitiativenFeld",
    "initiativen_feld",
    "NachnutzungForm",
    "ProjektForm",
    "beteiligungen_aus",
]
