"""Views of kommunen, by topic.

`eingang.py` the admins' inbox and decisions, `matrix.py` the sharing matrix, `protokoll.py`
the audit log and its export, `benachrichtigungen.py` everyone's notices, `teilen.py` the
proposal and access-request pages every shareable object has (the apps call them with the
object they loaded), `zugriff.py` what the admin pages share.
"""

from .benachrichtigungen import (
    benachrichtigung_gelesen,
    benachrichtigungen,
    benachrichtigungen_alle_gelesen,
    konto_benachrichtigungen,
)
from .eingang import anfrage_entscheiden, eingang, freigabe_detail, freigabe_entscheiden
from .matrix import matrix
from .protokoll import csv_zelle, protokoll, protokoll_export
from .teilen import (
    fehler_ans_formular,
    freigabe_regelpruefung,
    freigabe_vorschlagen,
    objekt_loeschen_seite,
    zugang_stellen,
)

__all__ = [
    "anfrage_entscheiden",
    "benachrichtigung_gelesen",
    "benachrichtigungen",
    "benachrichtigungen_alle_gelesen",
    "csv_zelle",
    "eingang",
    "fehler_ans_formular",
    "freigabe_detail",
    "freigabe_entscheiden",
    "freigabe_regelpruefung",
    "freigabe_vorschlagen",
    "objekt_loeschen_seite",
    "konto_benachrichtigungen",
    "matrix",
    "protokoll",
    "protokoll_export",
    "zugang_stellen",
]
