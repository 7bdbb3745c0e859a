"""Full-text search index of results: title, summary, text and the documents' extracted text."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from .models import Dokument, Ergebnis


def ergebnis_suchvektor_aktualisieren(ergebnis_id: int) -> None:
    """Recompute the stored search vector of one result (no-op on SQLite)."""
    if connection.vendor != "postgresql":
        return
    dokumenttext = (
        Dokument.objects.filter(ergebnis_id=ergebnis_id).aggregate(
            t=StringAgg("text", delimiter=" ")
        )["t"]
        or ""
    )
    Ergebnis.objects.filter(pk=ergebnis_id).update(
        suchvektor=SearchVector("titel", weight="A", config="german")
        + SearchVector("zusammenfassung", weight="B", config="german")
        + SearchVector("text", weight="C", config="german")
        + SearchVector(Value(dokumenttext), weight="D", config="german")
    )
