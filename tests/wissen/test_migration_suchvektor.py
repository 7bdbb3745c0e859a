"""Migration 0006: existing vectors lose the documents' text; backwards restores the old one."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import dokument_anlegen, ergebnis_anlegen
from wissen.models import Ergebnis

VORHER = [("wissen", "0005_einzeilige_textfelder_ohne_steuerzeichen")]
NACHHER = [("wissen", "0006_suchvektor_ohne_dokumenttext")]


def _neueste():
    """Every app at its newest migration (where the other tests expect the schema)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrieren(ziel):
    executor = MigrationExecutor(connection)
    executor.migrate(ziel)


def _treffer(feld: str, wort: str) -> list[int]:
    # values_list: only the id is selected, so this works with and without the new column.
    q = SearchQuery(wort, config="german")
    return list(Ergebnis.objects.filter(**{feld: q}).values_list("pk", flat=True))


def _spalte_da() -> bool:
    with connection.cursor() as c:
        spalten = connection.introspection.get_table_description(c, "wissen_ergebnis")
    return "suchvektor_mit_dokumenten" in {s.name for s in spalten}


def _index_da() -> bool:
    with connection.cursor() as c:
        c.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'wissen_ergebnis_suchvektor_dok_gin'")
        return c.fetchone() is not None


@pytest.mark.django_db(transaction=True)
def test_migration_trennt_dokumenttext_und_zurueck(welt):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Gutachten Stadtklima")
    dokument_anlegen(e, her, text="Im Anhang: Frischluftschneisen und Kaltluftentstehung.")
    ohne = ergebnis_anlegen(welt.muenchen, her, titel="Konzept Stadtklima ohne Dokumente")
    try:
        # Backwards: the old single vector, documents' text included, for existing rows.
        _migrieren(VORHER)
        assert not _spalte_da() and not _index_da()
        assert _treffer("suchvektor", "Frischluftschneise") == [e.pk]
        assert sorted(_treffer("suchvektor", "Stadtklima")) == sorted([e.pk, ohne.pk])

        # Forwards: metadata in suchvektor, documents' text only in the new, indexed column.
        _migrieren(NACHHER)
        assert _spalte_da() and _index_da()
        assert _treffer("suchvektor", "Frischluftschneise") == []
        assert _treffer("suchvektor_mit_dokumenten", "Frischluftschneise") == [e.pk]
        assert sorted(_treffer("suchvektor", "Stadtklima")) == sorted([e.pk, ohne.pk])
        assert sorted(_treffer("suchvektor_mit_dokumenten", "Stadtklima")) == sorted(
            [e.pk, ohne.pk]
        )
    finally:
        _migrieren(_neueste())
