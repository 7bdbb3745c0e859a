"""Migrations 0010 and 0011: the view action, then the pseudonymisation function with its
partial index and the trigger that admits it; backwards the trigger refuses every UPDATE again."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from kommunen import services
from kommunen.models import Protokoll

VOR_FUNKTION = [("kommunen", "0010_protokoll_aktion_ansicht")]
VOR_ANSICHT = [("kommunen", "0009_strengste_lesart_fuer_bestand")]
PERSON_WEG = (
    "UPDATE kommunen_protokoll SET akteur_id = NULL, akteur_name = 'pseudonymisiert' WHERE id = %s"
)


def _neueste():
    """Every app at its newest migration (where the other tests expect the schema)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrieren(ziel):
    MigrationExecutor(connection).migrate(ziel)


def _funktion_da() -> bool:
    with connection.cursor() as c:
        c.execute("SELECT to_regprocedure('wv_protokoll_pseudonymisieren(timestamptz)')")
        return c.fetchone()[0] is not None


def _index_da() -> bool:
    with connection.cursor() as c:
        return "protokoll_lesen_benannt" in connection.introspection.get_constraints(
            c, "kommunen_protokoll"
        )


def _von_hand_pseudonymisieren(pk) -> None:
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT set_config('wv.protokoll_pseudonymisieren', 'an', true)")
        c.execute(PERSON_WEG, [pk])


@pytest.mark.django_db(transaction=True)
def test_vorwaerts_und_rueckwaerts(welt):
    leser = welt.user("augsburg")
    row = services.protokollieren(
        aktion=Protokoll.Aktion.DOWNLOAD, akteur=leser, kommune=welt.muenchen
    )
    try:
        assert _funktion_da() and _index_da()

        _migrieren(VOR_FUNKTION)
        assert not _funktion_da() and not _index_da()
        # The trigger of 0002 again: not even the pseudonymisation passes.
        with pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"):
            _von_hand_pseudonymisieren(row.pk)
        # In SQL: the models of today know tables (memos) that this schema has not yet.
        with (
            pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute("DELETE FROM kommunen_protokoll WHERE id = %s", [row.pk])

        _migrieren(VOR_ANSICHT)
        _migrieren(_neueste())
        assert _funktion_da() and _index_da()
        with connection.cursor() as c:
            c.execute("SELECT wv_protokoll_pseudonymisieren(clock_timestamp())")
            assert c.fetchone()[0] == 1
        frisch = Protokoll.objects.get(pk=row.pk)
        assert frisch.akteur_id is None and frisch.akteur_name == Protokoll.PSEUDONYM
        assert frisch.akteur_kommune == welt.augsburg
        with pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"):
            Protokoll.objects.filter(pk=row.pk).delete()
    finally:
        _migrieren(_neueste())
