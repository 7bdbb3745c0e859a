"""Backup and restore of the database and the document store (`manage.py sicherung`,
`manage.py wiederherstellen`); README, section Betrieb, says how often and how to restore."""

from .manifest import SicherungsFehler
from .sichern import Sicherung, sicherung_anlegen
from .wiederherstellen import Wiederherstellung, sicherung_pruefen, sicherung_wiederherstellen

__all__ = [
    "Sicherung",
    "SicherungsFehler",
    "Wiederherstellung",
    "sicherung_anlegen",
    "sicherung_pruefen",
    "sicherung_wiederherstellen",
]
