"""A deactivated Kommune: its users get no notices, mails or digests until it is active again."""

import pytest
from django.core import mail

from kommunen import services, tasks
from kommunen.models import Benachrichtigung, Kommune, Rolle
from kommunen.services import benachrichtigungen as services_benachrichtigung
from kommunen.services import wochenzusammenfassung
from tests.factories import freigeben, projekt_anlegen


def _aktiv(kommune, wert: bool) -> None:
    Kommune.objects.filter(pk=kommune.pk).update(aktiv=wert)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _an(user):
    return Benachrichtigung.objects.filter(empfaenger=user)


def test_keine_benachrichtigung_solange_inaktiv_und_wieder_nach_reaktivierung(welt, commit):
    augsburg = welt.user("augsburg")
    muenchen = welt.user("muenchen")
    _aktiv(welt.augsburg, False)
    augsburg.refresh_from_db()
    with commit():
        rows = services.benachrichtigen(
            empfaenger=[augsburg, muenchen], ereignis="test", betreff="Neu", text="Text"
        )
    assert [r.empfaenger_id for r in rows] == [muenchen.pk]
    assert not _an(augsburg).exists()
    assert [m.to for m in mail.outbox] == [[muenchen.email]]

    _aktiv(welt.augsburg, True)
    augsburg.refresh_from_db()
    mail.outbox.clear()
    with commit():
        services.benachrichtigen(empfaenger=[augsburg], ereignis="test", betreff="Neu", text="T")
    assert _an(augsburg).count() == 1
    assert [m.to for m in mail.outbox] == [[augsburg.email]]


def test_freigabe_an_den_verbund_erreicht_die_inaktive_kommune_nicht(welt, commit):
    projekt = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _aktiv(welt.augsburg, False)
    with commit():
        freigeben(welt, projekt, an=welt.verbund)
    assert Benachrichtigung.objects.filter(empfaenger__kommune=welt.nuernberg).exists()
    assert not Benachrichtigung.objects.filter(empfaenger__kommune=welt.augsburg).exists()
    assert not [m for m in mail.outbox if any(a.startswith("augsburg-") for a in m.to)]


def test_offene_mails_warten_bis_zur_reaktivierung(welt):
    augsburg = welt.user("augsburg")
    offen = Benachrichtigung.objects.create(
        empfaenger=augsburg, ereignis="test", betreff="Vorher", text="T", mail="sofort"
    )
    _aktiv(welt.augsburg, False)
    assert tasks.benachrichtigungen_zustellen([offen.pk]) == 0
    assert tasks.benachrichtigungen_nachsenden() == 0
    assert mail.outbox == []
    offen.refresh_from_db()
    assert offen.zugestellt_am is None and offen.versuche == 0

    _aktiv(welt.augsburg, True)
    assert tasks.benachrichtigungen_nachsenden() == 1
    assert [m.to for m in mail.outbox] == [[augsburg.email]]


def test_keine_wochenzusammenfassung_solange_inaktiv(welt):
    augsburg = welt.user("augsburg")
    services_benachrichtigung.benachrichtigung_einstellen(user=augsburg, wert="woechentlich")
    Benachrichtigung.objects.create(
        empfaenger=augsburg, ereignis="test", betreff="Diese Woche", text="T", mail="woechentlich"
    )
    _aktiv(welt.augsburg, False)
    assert wochenzusammenfassung.wochenzusammenfassung_senden() == 0
    assert mail.outbox == []

    _aktiv(welt.augsburg, True)
    assert wochenzusammenfassung.wochenzusammenfassung_senden() == 1
    assert [m.to for m in mail.outbox] == [[augsburg.email]]
