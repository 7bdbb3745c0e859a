"""Full-text search index of projects: the stored, GIN-indexed tsvector (PostgreSQL, german)."""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from .models import Projekt


def projekt_suchvektor_aktualisieren(projekt_id: int) -> None:
    """Recompute the stored search vector of one project (no-op on SQLite)."""
    if connection.vendor != "postgresql":
        return
    Projekt.objects.filter(pk=projekt_id).update(
        suchvektor=SearchVector("titel", weight="A", config="german")
        + SearchVector("zusammenfassung", weight="B", config="german")
        + SearchVector("beschreibung", weight="C", config="german")
    )
