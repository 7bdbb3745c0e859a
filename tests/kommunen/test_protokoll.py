"""The Protokoll is append-only: the model refuses, and on PostgreSQL a trigger refuses too."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from kommunen import services
from kommunen.models import Protokoll

A = Protokoll.Aktion


@pytest.fixture
def eintrag(welt):
    return services.protokollieren(
        aktion=A.MITGLIEDSCHAFT, kommune=welt.muenchen, details={"grund": "Test"}
    )


def _unveraendert(eintrag):
    frisch = Protokoll.objects.get(pk=eintrag.pk)
    assert (frisch.aktion, frisch.details) == (A.MITGLIEDSCHAFT, {"grund": "Test"})


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE kommunen_protokoll SET aktion = 'download' WHERE id = %s",
        "UPDATE kommunen_protokoll SET details = '{}'::jsonb WHERE id = %s",
        "DELETE FROM kommunen_protokoll WHERE id = %s",
    ],
)
def test_rohes_sql_wird_vom_trigger_abgewiesen(eintrag, sql):
    assert connection.vendor == "postgresql"
    with (
        pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [eintrag.pk])
    _unveraendert(eintrag)


def test_queryset_update_und_delete_scheitern(eintrag):
    with pytest.raises(DatabaseError), transaction.atomic():
        Protokoll.objects.filter(pk=eintrag.pk).update(objekt_titel="geändert")
    with pytest.raises(DatabaseError), transaction.atomic():
        Protokoll.objects.filter(pk=eintrag.pk).delete()
    _unveraendert(eintrag)


def test_save_eines_bestehenden_eintrags_und_delete_werfen(eintrag):
    eintrag.aktion = A.DOWNLOAD
    with pytest.raises(ValidationError, match="nicht geändert"):
        eintrag.save()
    with pytest.raises(ValidationError, match="nicht gelöscht"):
        eintrag.delete()
    _unveraendert(eintrag)


def test_einfuegen_bleibt_erlaubt(eintrag):
    vorher = Protokoll.objects.count()
    services.protokollieren(aktion=A.DOWNLOAD, kommune=eintrag.kommune)
    assert Protokoll.objects.count() == vorher + 1


def test_protokoll_im_admin_nur_lesbar(eintrag, rf):
    from django.contrib import admin

    from kommunen.models import Benutzer

    modeladmin = admin.site._registry[Protokoll]
    request = rf.get("/")
    request.user = Benutzer(username="betrieb", is_staff=True, is_superuser=True)
    assert not modeladmin.has_add_permission(request)
    assert not modeladmin.has_change_permission(request, eintrag)
    assert not modeladmin.has_delete_permission(request, eintrag)
