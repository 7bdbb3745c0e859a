"""Full-text search of projects: the stored, GIN-indexed tsvector (PostgreSQL, german).

The stored vector must follow every change of the text it covers. Whoever writes a project's
title, summary or description calls `projekt_suchvektor_aktualisieren(projekt.pk)` after the
save (the services of this app do; see docs/decisions/0005-suchindex.md). The search core
(parsing, matching, ranking, highlighting) lives in `common.suche`.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import QuerySet

from common.suche import SUCHKONFIGURATION, Anfrage, treffer_rang, volltext

from .models import Projekt


def projekt_suchvektor_aktualisieren(projekt_id: int) -> None:
    """Recompute the stored search vector of one project (no-op on SQLite)."""
    if not volltext():
        return
    Projekt.objects.filter(pk=projekt_id).update(
        suchvektor=SearchVector("titel", weight="A", config=SUCHKONFIGURATION)
        + SearchVector("zusammenfassung", weight="B", config=SUCHKONFIGURATION)
        + SearchVector("beschreibung", weight="C", config=SUCHKONFIGURATION)
    )


PROJEKT_FELDER = ["titel", "zusammenfassung", "beschreibung"]


def projekt_treffer(qs: QuerySet[Projekt], anfrage: Anfrage) -> QuerySet[Projekt]:
    return treffer_rang(qs, anfrage, PROJEKT_FELDER)
