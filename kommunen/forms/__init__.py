"""Forms of kommunen, by topic; other apps import them from here."""

from .benachrichtigungen import BenachrichtigungEinstellungForm
from .entscheidung import AnfrageEntscheidungForm, EntscheidungForm
from .filter import MatrixFilterForm, ProtokollFilterForm
from .freigaben import (
    RECHTLICHE_GRUPPEN,
    RECHTLICHE_HILFETEXTE,
    FreigabeVorschlagForm,
    RechtlichesMixin,
)
from .zugang import ZugangsanfrageForm

__all__ = [
    "RECHTLICHE_GRUPPEN",
    "RECHTLICHE_HILFETEXTE",
    "AnfrageEntscheidungForm",
    "BenachrichtigungEinstellungForm",
    "EntscheidungForm",
    "FreigabeVorschlagForm",
    "MatrixFilterForm",
    "ProtokollFilterForm",
    "RechtlichesMixin",
    "ZugangsanfrageForm",
]
