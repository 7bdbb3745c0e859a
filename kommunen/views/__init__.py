"""Views of kommunen, by topic.

`eingang.py` the admins' inbox and decisions on access requests, `entscheidung.py` the page
of one Freigabe and the decisions on it, `matrix.py` the sharing matrix, `protokoll.py`
the audit log and its export, `benachrichtigungen.py` everyone's notices, `teilen.py` the
proposal and access-request pages every shareable object has (the apps call them with the
object they loaded), `zugriff.py` what the admin pages share, `vermerke.py` the download of
decisions' PDF memos, `antraege.py` „Meine Anträge“.
"""

from .antraege import meine_antraege
from .benachrichtigungen import (
    benachrichtigung_gelesen,
    benachrichtigungen,
    benachrichtigungen_alle_gelesen,
    konto_benachrichtigungen,
)
from .eingang import anfrage_entscheiden, eingang, freigabe_entscheiden
from .entscheidung import freigabe_detail
from .matrix import matrix
from .protokoll import csv_zelle, protokoll, protokoll_export
from .teilen import (
    fehler_ans_formular,
    folgen_meldung,
    folgen_vor_dem_speichern,
    freigabe_regelpruefung,
    freigabe_vorschlagen,
    objekt_loeschen_seite,
    objekt_zurueckziehen_seite,
    zugang_stellen,
)
from .vermerke import vermerk_download

__all__ = [
    "meine_antraege",
    "anfrage_entscheiden",
    "benachrichtigung_gelesen",
    "benachrichtigungen",
    "benachrichtigungen_alle_gelesen",
    "csv_zelle",
    "eingang",
    "fehler_ans_formular",
    "folgen_meldung",
    "folgen_vor_dem_speichern",
    "freigabe_detail",
    "freigabe_entscheiden",
    "freigabe_regelpruefung",
    "freigabe_vorschlagen",
    "objekt_loeschen_seite",
    "objekt_zurueckziehen_seite",
    "konto_benachrichtigungen",
    "matrix",
    "protokoll",
    "protokoll_export",
    "vermerk_download",
    "zugang_stellen",
]
