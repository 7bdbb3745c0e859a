"""Migration wissen 0009: open Freigaben already stored end on their object's Löschdatum
(LOESCH-1), their permission rows too; backwards nothing is lengthened again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kommunen import sharing
from kommunen.models import IMMER_AB, IMMER_BIS, Freigabe, FreigabeStatus, Protokoll, Umfang
from projekte.models import Projekt
from tests.factories import beantragen, ergebnis_anlegen, freigeben, projekt_anlegen
from wissen.models import Ergebnis

VORHER = [("wissen", "0008_loeschdatum_begruendung_und_erinnerung")]


def _neueste():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrieren(ziel):
    MigrationExecutor(connection).migrate(ziel)
    sharing.clear_caches()


def _zeilen(objekt):
    return set(
        sharing.perm_model(type(objekt))
        .objects.filter(content_object_id=objekt.pk)
        .values_list("group_id", "permission_id", "gueltig_ab", "gueltig_bis")
    )


@pytest.mark.django_db(transaction=True)
def test_freigaben_enden_am_loeschdatum(welt):
    heute = timezone.localdate()
    her = welt.user("muenchen", "herausgabe")
    admin = welt.user("muenchen", "freigabe_admin")
    e = ergebnis_anlegen(welt.muenchen, her)
    p = projekt_anlegen(welt.muenchen, her)
    ohne = ergebnis_anlegen(welt.muenchen, her)
    erteilt = freigeben(welt, e, an=welt.augsburg)
    beantragt = beantragen(welt, e, an=welt.nuernberg, umfang=Umfang.METADATEN)
    projekt_freigabe = freigeben(welt, p, an=welt.verbund)
    spaeter = Freigabe.objects.create(
        objekt=p,
        eigentuemer=welt.muenchen,
        empfaenger_art="kommune",
        empfaenger_kommune=welt.regensburg,
        umfang=Umfang.METADATEN,
        gueltig_ab=heute + dt.timedelta(days=100),
        gueltig_bis=heute + dt.timedelta(days=400),
        beantragt_von=her,
        entschieden_von=admin,
        entschieden_am=timezone.now(),
        status=FreigabeStatus.ERTEILT,
    )
    sharing.sync_permissions(p)
    ohne_freigabe = freigeben(welt, ohne, an=welt.augsburg)
    ohne_zeilen = _zeilen(ohne)
    try:
        _migrieren(VORHER)  # backwards over the data migration: nothing to undo
        # Deletion dates set around the services, before LOESCH-1 existed.
        loesch_e = heute + dt.timedelta(days=30)
        loesch_p = heute + dt.timedelta(days=50)
        Ergebnis.objects.filter(pk=e.pk).update(loeschdatum=loesch_e)
        Projekt.objects.filter(pk=p.pk).update(loeschdatum=loesch_p)
        eigene_zeilen = {z for z in _zeilen(e) if z[2] == IMMER_AB}

        _migrieren(_neueste())

        for f, ende in ((erteilt, loesch_e), (beantragt, loesch_e), (projekt_freigabe, loesch_p)):
            alt = f.gueltig_bis
            f.refresh_from_db()
            assert f.gueltig_bis == ende
            zeile = Protokoll.objects.get(freigabe_id_ref=f.pk, details__migration=True)
            assert zeile.aktion == "freigabe_gekuerzt"
            assert zeile.details["vorher"] == alt.strftime("%d.%m.%Y")
        assert erteilt.status == "erteilt" and beantragt.status == "beantragt"
        spaeter.refresh_from_db()
        assert spaeter.status == "widerrufen"
        assert spaeter.beendet_grund.startswith("LOESCH-1")
        # Rows: the Freigaben' rows end on the Löschdatum, the owner's never end.
        assert {z for z in _zeilen(e) if z[2] == IMMER_AB} == eigene_zeilen
        assert all(z[3] == IMMER_BIS for z in eigene_zeilen)
        assert {z[3] for z in _zeilen(e) if z[2] != IMMER_AB} == {loesch_e}
        assert {z[3] for z in _zeilen(p) if z[2] != IMMER_AB} == {loesch_p}
        # The rows match what the sync derives: nothing left for the next sync to change.
        assert sharing.sync_permissions(e) == (0, 0)
        assert sharing.sync_permissions(p) == (0, 0)
        # An object without a Löschdatum is left alone.
        ohne_freigabe.refresh_from_db()
        assert ohne_freigabe.gueltig_bis > heute + dt.timedelta(days=700)
        assert _zeilen(ohne) == ohne_zeilen

        # Backwards keeps the shortened ends (lengthening them would be unlawful); forwards
        # again changes nothing.
        anzahl = Protokoll.objects.count()
        _migrieren(VORHER)
        erteilt.refresh_from_db()
        assert erteilt.gueltig_bis == loesch_e
        _migrieren(_neueste())
        assert Protokoll.objects.count() == anzahl
    finally:
        _migrieren(_neueste())
