"""Forms of kommunen, by topic; other apps import them from here."""

from .benachrichtigungen import BenachrichtigungEinstellungForm, BenachrichtigungFilterForm
from .entscheidung import AnfrageEntscheidungForm, EntscheidungForm
from .filter import MatrixFilterForm, ProtokollFilterForm
from .freigaben import (
    DATUM,
    RECHTLICHE_GRUPPEN,
    RECHTLICHE_HILFETEXTE,
    FreigabeVorschlagForm,
    FreigebbarForm,
    RechtlichesMixin,
)
from .rueckzug import DokumentLoeschenForm, ZurueckziehenForm
from .zugang import ZugangsanfrageForm

__all__ = [
    "RECHTLICHE_GRUPPEN",
    "RECHTLICHE_HILFETEXTE",
    "AnfrageEntscheidungForm",
    "BenachrichtigungEinstellungForm",
    "BenachrichtigungFilterForm",
    "EntscheidungForm",
    "DATUM",
    "FreigabeVorschlagForm",
    "FreigebbarForm",
    "MatrixFilterForm",
    "ProtokollFilterForm",
    "RechtlichesMixin",
    "ZugangsanfrageForm",
    "DokumentLoeschenForm",
    "ZurueckziehenForm",
]
