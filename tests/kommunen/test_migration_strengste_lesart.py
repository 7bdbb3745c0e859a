"""Migration 0009: existing objects under the second reading of the law, strictest where unknown.

A granted Freigabe of personal data has no transfer basis (DSGVO-3) and its object no answer
on secrecy regimes (GEHEIM-1): after the migration it is suspended, logged, and its recipient
sees nothing, at once. A Freigabe the new rules do not touch stays as it was.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kommunen import sharing
from kommunen.models import Freigabe, Protokoll
from projekte.models import Projekt
from tests.factories import freigeben, projekt_anlegen

VORHER = [
    ("kommunen", "0007_freigabe_art26_vereinbarung"),
    ("projekte", "0005_einzeilige_textfelder_ohne_steuerzeichen"),
    ("wissen", "0006_suchvektor_ohne_dokumenttext"),
]


def _migrieren(ziel):
    MigrationExecutor(connection).migrate(ziel)


def _neueste():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_bestand_wird_streng_gelesen(welt):
    her = welt.user("muenchen", "herausgabe")
    personal = projekt_anlegen(
        welt.muenchen,
        her,
        personenbezug="personenbezogen",
        rechtsgrundlage="Art. 6 Abs. 1 lit. e DSGVO",
        zweck="Evaluation",
        loeschdatum="2030-01-01",
    )
    unbedenklich = projekt_anlegen(welt.muenchen, her)
    f_personal = freigeben(welt, personal, an=welt.augsburg)
    f_unbedenklich = freigeben(welt, unbedenklich, an=welt.augsburg)
    augsburg = welt.user("augsburg")
    assert sharing.can(augsburg, "download", personal)
    try:
        _migrieren(VORHER)
        _migrieren(_neueste())
        sharing.clear_caches()

        f_personal.refresh_from_db()
        assert f_personal.status == "ausgesetzt"
        assert "DSGVO-3" in f_personal.beendet_grund
        assert "GEHEIM-1" in f_personal.beendet_grund
        assert Protokoll.objects.filter(
            freigabe_id_ref=f_personal.pk, aktion="freigabe_ausgesetzt"
        ).exists()
        augsburg = welt.user("augsburg")
        assert not sharing.can(augsburg, "view", personal)
        assert not sharing.visible(augsburg, Projekt.objects.filter(pk=personal.pk)).exists()
        # Whether a secrecy regime applies is unknown for personal data: not checked.
        assert Projekt.objects.get(pk=personal.pk).geheimnisschutz == ""

        f_unbedenklich.refresh_from_db()
        assert f_unbedenklich.status == "erteilt"
        assert sharing.can(augsburg, "download", unbedenklich)
        assert Projekt.objects.get(pk=unbedenklich.pk).geheimnisschutz == "keiner"
        # The owner still sees and edits the object.
        assert sharing.can(welt.user("muenchen"), "view", personal)
        assert Freigabe.objects.filter(status="erteilt", object_id=personal.pk).count() == 0
    finally:
        _migrieren(_neueste())
