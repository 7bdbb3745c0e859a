"""Nachnutzung: a partner declares interest; only the owner Kommune sees it, with the contact."""

import pytest
from django.urls import reverse

from kommunen.models import Benachrichtigung, Umfang
from projekte.models import Nachnutzung
from projekte.services import nutzung as services_nutzung
from tests.factories import freigeben, projekt_anlegen


@pytest.fixture
def projekt(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="E-Akte")
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    return p


def _url(p):
    return reverse("projekte:nachnutzung", args=[p.pk])


def test_partner_bekundet_interesse_eigentuemerin_sieht_kontakt(client, welt, projekt):
    augsburg = welt.user("augsburg")
    augsburg.first_name, augsburg.last_name = "Anna", "Amsel"
    augsburg.save()
    client.force_login(augsburg)
    r = client.post(_url(projekt), {"nachricht": "Wir wollen das <b>auch</b>."})
    assert r.status_code == 302
    n = Nachnutzung.objects.get()
    assert (n.benutzer, n.kommune, n.projekt) == (augsburg, welt.augsburg, projekt)
    assert Benachrichtigung.objects.filter(
        ereignis="nachnutzung", empfaenger=welt.user("muenchen", "herausgabe")
    ).exists()
    # the declaring user sees their own declaration and can withdraw it
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "Sie haben am" in text and "Interesse zurückziehen" in text
    # the owner's users see name, Kommune, e-mail and the escaped message
    client.force_login(welt.user("muenchen"))
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "Anna Amsel" in text
    assert "augsburg-mitarbeit@example.org" in text
    assert "Wir wollen das &lt;b&gt;auch&lt;/b&gt;." in text
    # another partner city that sees the project does not see the declaration
    client.force_login(welt.user("nuernberg"))
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "Anna Amsel" not in text and "augsburg-mitarbeit@example.org" not in text
    assert "Interesse an Nachnutzung bekunden" in text


def test_zweimal_gibt_meldung(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    assert client.post(_url(projekt), {"nachricht": ""}).status_code == 302
    r = client.post(_url(projekt), {"nachricht": "nochmal"})
    assert r.status_code == 400
    assert "schon bekundet" in r.content.decode()
    assert Nachnutzung.objects.count() == 1


def test_zurueckziehen(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    client.post(_url(projekt), {"nachricht": "x"})
    r = client.post(_url(projekt), {"aktion": "zurueckziehen"})
    assert r.status_code == 302
    assert not Nachnutzung.objects.exists()


def test_andere_kommune_ohne_freigabe_404(client, welt, projekt):
    client.force_login(welt.user("regensburg"))
    assert client.post(_url(projekt), {"nachricht": "x"}).status_code == 404
    assert not Nachnutzung.objects.exists()


def test_eigene_kommune_404(client, welt, projekt):
    client.force_login(welt.user("muenchen"))
    assert client.post(_url(projekt), {"nachricht": "x"}).status_code == 404
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "Interesse an Nachnutzung bekunden" not in text


def test_anonym_zur_anmeldung(client, welt, projekt):
    r = client.post(_url(projekt), {"nachricht": "x"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert client.get(_url(projekt)).status_code in (302, 405)
    assert not Nachnutzung.objects.exists()


def test_zu_lange_nachricht(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    r = client.post(_url(projekt), {"nachricht": "x" * 2001})
    assert r.status_code == 400
    assert not Nachnutzung.objects.exists()


def test_service_prueft_sichtbarkeit(welt, projekt):
    from kommunen.services import KeineBerechtigung

    with pytest.raises(KeineBerechtigung):
        services_nutzung.nachnutzung_erklaeren(projekt=projekt, by=welt.user("regensburg"))
    assert not Nachnutzung.objects.exists()
