"""Reads of kommunen, by topic; other apps import them from here.

`objekte.py` the shareable models, `freigaben.py` the inbox and who shares what,
`entscheidung.py` what the decision page shows, `matrix.py`
the sharing matrix, `protokoll.py` the audit log, `benachrichtigungen.py` a user's notices,
`betrieb.py` the periodic tasks' last runs, `vermerke.py` the decisions' PDF memos,
`antraege.py` proposals and requests by who made them and by object, `folgen.py` what a
change would do to the Freigaben before it is saved.
"""

from .antraege import (
    anfragen_offen_von,
    freigaben_beantragt_von,
    freigaben_offen_von,
    meine_antraege,
)
from .benachrichtigungen import (
    art_q,
    benachrichtigung_zum_link,
    benachrichtigungen,
    benachrichtigungen_gruppiert,
    benachrichtigungs_gruppen,
)
from .betrieb import (
    BEAT_HERZSCHLAG,
    BEAT_VERSPAETET_NACH,
    alter_sekunden,
    beat_zustand,
    rueckstand,
)
from .entscheidung import (
    Zugang,
    entscheidung_stand,
    neue_dokumente,
    rechtliche_angaben,
    regeln_fuer,
    zugang,
)
from .folgen import Folge, Folgen, dokument_folgen, rechtliche_folgen
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
from .protokoll_details import Kommunennamen, details_in_worten, details_text
from .vermerke import vermerk_zum_herunterladen, vermerke_der_freigabe, vermerke_zu_protokoll

__all__ = [
    "benachrichtigung_zum_link",
    "anfragen_offen_von",
    "freigaben_beantragt_von",
    "freigaben_offen_von",
    "meine_antraege",
    "Folge",
    "Folgen",
    "dokument_folgen",
    "rechtliche_folgen",
    "vermerk_zum_herunterladen",
    "vermerke_der_freigabe",
    "vermerke_zu_protokoll",
    "Zugang",
    "entscheidung_stand",
    "neue_dokumente",
    "rechtliche_angaben",
    "regeln_fuer",
    "zugang",
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
    "Kommunennamen",
    "art_q",
    "details_in_worten",
    "details_text",
    "benachrichtigungen",
    "benachrichtigungen_gruppiert",
    "benachrichtigungs_gruppen",
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
