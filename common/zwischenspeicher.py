"""The shared cache (Redis in operation, memory of the process otherwise) as the portal uses it.

The cache only ever saves work: every value in it can be computed again from the database.
When the cache cannot be reached (Redis stopped), reads give None and writes do nothing, so
each caller falls back to the database and the page is slower, never wrong.
"""

from __future__ import annotations

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def lesen(schluessel: str):
    try:
        return cache.get(schluessel)
    except Exception:  # noqa: BLE001 - any cache failure degrades to the database
        log.warning("Cache nicht erreichbar; Daten aus der Datenbank", exc_info=True)
        return None


def lesen_viele(schluessel: list[str]) -> dict | None:
    """The values of the keys that hold one (one round trip); None when the cache is down."""
    try:
        return cache.get_many(schluessel)
    except Exception:  # noqa: BLE001
        log.warning("Cache nicht erreichbar; Daten aus der Datenbank", exc_info=True)
        return None


def schreiben(schluessel: str, wert, sekunden: int | None) -> None:
    try:
        cache.set(schluessel, wert, sekunden)
    except Exception:  # noqa: BLE001
        log.warning("Cache nicht erreichbar; nicht zwischengespeichert", exc_info=True)


def schreiben_viele(werte: dict, sekunden: int | None) -> None:
    """Store several values in one round trip."""
    try:
        cache.set_many(werte, sekunden)
    except Exception:  # noqa: BLE001
        log.warning("Cache nicht erreichbar; nicht zwischengespeichert", exc_info=True)


def hinzufuegen(schluessel: str, wert, sekunden: int | None) -> bool:
    """Store `wert` unless the key holds a value already; False also when the cache is down."""
    try:
        return cache.add(schluessel, wert, sekunden)
    except Exception:  # noqa: BLE001
        log.warning("Cache nicht erreichbar; nicht zwischengespeichert", exc_info=True)
        return False


def loeschen(schluessel: str) -> None:
    try:
        cache.delete(schluessel)
    except Exception:  # noqa: BLE001
        log.warning("Cache nicht erreichbar; Eintrag nicht gelöscht", exc_info=True)
