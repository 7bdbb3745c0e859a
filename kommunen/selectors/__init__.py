"""Reads of kommunen, by topic; other apps import them from here.

`objekte.py` the shareable models, `freigaben.py` the inbox and who shares what, `matrix.py`
the sharing matrix, `protokoll.py` the audit log, `benachrichtigungen.py` a user's notices,
`betrieb.py` the periodic tasks' last runs.
"""

from .benachrichtigungen import benachrichtigungen, benachrichtigungen_liste
from .betrieb import (
    BEAT_HERZSCHLAG,
    BEAT_VERSPAETET_NACH,
    alter_sekunden,
    beat_zustand,
    rueckstand,
)
from .freigaben import (
    aktive_freigaben_liste,
    anfrage_der_kommune,
    anfrage_pruefen,
    anfragen_offen,
    eingang_zaehlen,
    freigabe_der_kommune,
    freigabe_historie,
    freigaben_aktiv,
    freigaben_an,
    freigaben_beantragt,
    freigaben_beteiligt,
    freigaben_fuer,
    freigaben_wirksam,
    freigaben_zur_pruefung,
    nur_oeffentlich,
    offene_zugangsanfrage,
    pruefen_fuer,
)
from .matrix import MATRIX_STATUS, Spalte, Zeile, matrix_objekte, matrix_spalten, matrix_zeilen
from .objekte import freigebbare_modelle, freigebbare_typen, loesch_hindernisse
from .protokoll import noch_vorhanden, protokoll_der_kommune, protokoll_gefiltert

__all__ = [
    "BEAT_HERZSCHLAG",
    "BEAT_VERSPAETET_NACH",
    "MATRIX_STATUS",
    "Spalte",
    "Zeile",
    "anfrage_der_kommune",
    "anfrage_pruefen",
    "anfragen_offen",
    "alter_sekunden",
    "beat_zustand",
    "rueckstand",
    "benachrichtigungen",
    "benachrichtigungen_liste",
    "aktive_freigaben_liste",
    "eingang_zaehlen",
    "freigabe_der_kommune",
    "freigabe_historie",
    "freigaben_aktiv",
    "freigaben_an",
    "freigaben_beantragt",
    "freigaben_beteiligt",
    "freigaben_wirksam",
    "freigaben_fuer",
    "freigaben_zur_pruefung",
    "nur_oeffentlich",
    "offene_zugangsanfrage",
    "freigebbare_modelle",
    "freigebbare_typen",
    "loesch_hindernisse",
    "matrix_objekte",
    "matrix_spalten",
    "matrix_zeilen",
    "noch_vorhanden",
    "protokoll_der_kommune",
    "protokoll_gefiltert",
    "pruefen_fuer",
]
