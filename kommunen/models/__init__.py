"""The models of kommunen, by topic; other apps import them from here.

`kommunen.py` the tenants and users, `freigebbar.py` what every shareable object carries,
`freigaben.py` Freigabe and Zugangsanfrage, `protokoll.py` the audit log,
`benachrichtigungen.py` the outbox, `vermerke.py` the decisions' PDF memos. The legal
vocabulary lives in `kommunen.vokabular`.
"""

from ..vokabular import (
    FREIGABE_OFFEN,
    LIZENZEN_MIT_NAMENSNENNUNG,
    PERSONENBEZOGEN,
    RECHTLICHE_FELDER,
    Einstufung,
    EmpfaengerArt,
    FreigabeStatus,
    Gremienstatus,
    Lizenz,
    Nutzungsrechte,
    Personenbezug,
    Umfang,
    Vergabebezug,
)
from .benachrichtigungen import ARTEN as BENACHRICHTIGUNG_ARTEN
from .benachrichtigungen import Aufgabenlauf, Benachrichtigung
from .freigaben import (
    FRIST_STANDARD_MONATE,
    Freigabe,
    FreigabeQuerySet,
    Zugangsanfrage,
    standard_gueltig_bis,
)
from .freigebbar import (
    IMMER_AB,
    IMMER_BIS,
    LOESCHDATUM_VORLAUF_TAGE,
    VERLAENGERUNG_OHNE_BEGRUENDUNG,
    BefristeteGruppenberechtigung,
    Freigebbar,
)
from .kommunen import (
    Benutzer,
    Kommune,
    OeffentlicheGruppe,
    Rolle,
    Verbund,
    ags_validator,
    anonymer_benutzer_init,
)
from .protokoll import Protokoll
from .vermerke import Freigabevermerk

__all__ = [
    "FREIGABE_OFFEN",
    "FRIST_STANDARD_MONATE",
    "IMMER_AB",
    "IMMER_BIS",
    "LIZENZEN_MIT_NAMENSNENNUNG",
    "LOESCHDATUM_VORLAUF_TAGE",
    "PERSONENBEZOGEN",
    "RECHTLICHE_FELDER",
    "VERLAENGERUNG_OHNE_BEGRUENDUNG",
    "Aufgabenlauf",
    "BefristeteGruppenberechtigung",
    "BENACHRICHTIGUNG_ARTEN",
    "Benachrichtigung",
    "Benutzer",
    "Einstufung",
    "EmpfaengerArt",
    "Freigabe",
    "FreigabeQuerySet",
    "Freigabevermerk",
    "FreigabeStatus",
    "Freigebbar",
    "Gremienstatus",
    "Kommune",
    "Lizenz",
    "Nutzungsrechte",
    "OeffentlicheGruppe",
    "Personenbezug",
    "Protokoll",
    "Rolle",
    "Umfang",
    "Vergabebezug",
    "Verbund",
    "Zugangsanfrage",
    "ags_validator",
    "anonymer_benutzer_init",
    "standard_gueltig_bis",
]
