"""Migration 0004: open duplicates of a Freigabe end before the constraint that forbids them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kommunen.models import Freigabe, Protokoll
from tests.factories import freigeben, projekt_anlegen

VORHER = [("kommunen", "0003_protokoll_aktion_export")]


def _neueste():
    """Every app at its newest migration (where the other tests expect the schema)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrieren(ziel):
    executor = MigrationExecutor(connection)
    executor.migrate(ziel)


@pytest.mark.django_db(transaction=True)
def test_doppelte_offene_freigaben_enden_vor_der_einschraenkung(welt):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(welt.muenchen, her)
    erste = freigeben(welt, p, an=welt.augsburg)
    try:
        _migrieren(VORHER)
        # Without the constraint, as an access request could: a second granted and a proposed
        # Freigabe with the same recipient and scope.
        with connection.cursor() as c:
            spalten_da = {
                s.name
                for s in connection.introspection.get_table_description(c, "kommunen_freigabe")
            }
        felder = {
            f.column: getattr(erste, f.attname)
            for f in Freigabe._meta.concrete_fields
            if f.column != "id" and f.column in spalten_da
        }
        with connection.cursor() as c:
            spalten = ", ".join(felder)
            platz = ", ".join(["%s"] * len(felder))
            for status in ("erteilt", "beantragt"):
                werte = {**felder, "status": status, "beantragt_am": timezone.now()}
                c.execute(
                    f"INSERT INTO kommunen_freigabe ({spalten}) VALUES ({platz}) RETURNING id",  # noqa: S608
                    list(werte.values()),
                )
        assert (
            Freigabe.objects.filter(object_id=p.pk, status__in=["erteilt", "beantragt"]).count()
            == 3
        )

        _migrieren(_neueste())

        offen = Freigabe.objects.filter(object_id=p.pk, status__in=["beantragt", "erteilt"])
        (bleibt,) = offen
        assert bleibt.status == "erteilt"
        beendet = Freigabe.objects.filter(object_id=p.pk).exclude(pk=bleibt.pk)
        assert sorted(beendet.values_list("status", flat=True)) == ["abgelehnt", "widerrufen"]
        for f in beendet:
            assert f"Freigabe Nr. {bleibt.pk}" in f.beendet_grund
            assert Protokoll.objects.filter(freigabe_id_ref=f.pk, details__migration=True).exists()
    finally:
        _migrieren(_neueste())
