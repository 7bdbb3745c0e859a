"""Migration 0016: stored reasons read the sentence first, the rule after it; and back."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kommunen.models import Freigabe
from tests.factories import freigeben, projekt_anlegen

migration = importlib.import_module("kommunen.migrations.0016_regelverweis_nach_dem_satz")
VORHER = [("kommunen", "0015_freigabevermerk")]
NACHHER = [("kommunen", "0016_regelverweis_nach_dem_satz")]
FELDER = ["beendet_grund", "begruendung"]


def _migrieren(ziel):
    MigrationExecutor(connection).migrate(ziel)


def test_zeilen_werden_umgedreht_anderes_bleibt():
    alt = "GREMIUM-1: Geheim zu halten.\nDSGVO-1: Es fehlt: Zweck.\nFRIST-2: kein Regelname"
    neu = migration.neu_lesen(alt)
    assert neu == (
        "Geheim zu halten. (Regel GREMIUM-1)\nEs fehlt: Zweck. (Regel DSGVO-1)\n"
        "FRIST-2: kein Regelname"
    )
    assert migration.alt_lesen(neu) == alt
    assert migration.neu_lesen("Objekt gelöscht") == "Objekt gelöscht"


@pytest.mark.django_db(transaction=True)
def test_migration_vor_und_zurueck(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    f = freigeben(welt, p, an=welt.augsburg)
    g = freigeben(welt, p, an=welt.nuernberg)
    try:
        _migrieren(VORHER)
        Freigabe.objects.filter(pk=f.pk).update(
            beendet_grund="LOESCH-1: Die Freigabe begänne erst nach dem Löschdatum.",
            begruendung="VERBUND-1: Nicht mehr Mitglied.",
        )
        Freigabe.objects.filter(pk=g.pk).update(beendet_grund="Objekt gelöscht")
        _migrieren(NACHHER)
        # Only the columns this schema has (today's model knows later ones).
        f.refresh_from_db(fields=FELDER)
        g.refresh_from_db(fields=FELDER)
        assert f.beendet_grund == "Die Freigabe begänne erst nach dem Löschdatum. (Regel LOESCH-1)"
        assert f.begruendung == "Nicht mehr Mitglied. (Regel VERBUND-1)"
        assert g.beendet_grund == "Objekt gelöscht"
        _migrieren(VORHER)
        f.refresh_from_db(fields=FELDER)
        assert f.beendet_grund == "LOESCH-1: Die Freigabe begänne erst nach dem Löschdatum."
        assert f.begruendung == "VERBUND-1: Nicht mehr Mitglied."
    finally:
        _migrieren(MigrationExecutor(connection).loader.graph.leaf_nodes())
