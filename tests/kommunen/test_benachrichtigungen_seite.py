"""The notifications page: grouped per object, filtered by kind, mark-all within the filter,
only one's own notices; and no second notice for the same object through another Freigabe."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kommunen import services
from kommunen.models import Benachrichtigung, EmpfaengerArt, Rolle, Umfang
from tests.factories import beantragen, ergebnis_anlegen

LISTE = reverse("kommunen:benachrichtigungen")
ALLE_GELESEN = reverse("kommunen:benachrichtigungen_alle_gelesen")
ADMIN = Rolle.FREIGABE_ADMIN


def melden(user, betreff, *, ereignis="freigabe_ausgesetzt", link="", vor_minuten=0):
    b = services.benachrichtigen(
        empfaenger=[user], ereignis=ereignis, betreff=betreff, text=f"Text {betreff}", link=link
    )[0]
    if vor_minuten:
        Benachrichtigung.objects.filter(pk=b.pk).update(
            erstellt_am=timezone.now() - dt.timedelta(minutes=vor_minuten)
        )
    return b


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_je_objekt_ein_block_neueste_zuerst_aeltere_aufklappbar(client, welt):
    user = welt.user("augsburg")
    melden(user, "Erste zu A", link="/projekte/1/", vor_minuten=30)
    melden(user, "Zweite zu A", link="/projekte/1/", vor_minuten=20, ereignis="freigabe_neu:7")
    melden(user, "Neueste zu A", link="/projekte/1/", vor_minuten=10)
    melden(user, "Einzige zu B", link="/ergebnisse/2/", vor_minuten=5)
    client.force_login(user)
    html = client.get(LISTE).content.decode()
    bloecke = html.split('<ul class="benachrichtigungen">')[1].split("\n  <li ")[1:]
    assert len(bloecke) == 2  # one block per object
    b, a = bloecke  # B's notice is the most recent
    assert "Einzige zu B" in b and "<details" not in b
    assert a.index("Neueste zu A") < a.index("<details") < a.index("Zweite zu A")
    assert a.index("Zweite zu A") < a.index("Erste zu A")
    assert "2 ältere Benachrichtigungen dazu" in a
    assert "Neu für Sie freigegeben" in a  # the kind in words, not "freigabe_neu:7"
    assert "freigabe_neu:7" not in html


def test_filter_nach_art(client, welt):
    user = welt.user("augsburg")
    melden(user, "Neu freigegeben", ereignis="freigabe_neu:3", link="/projekte/1/")
    melden(user, "Ausgesetzt", ereignis="freigabe_ausgesetzt", link="/projekte/1/")
    client.force_login(user)
    html = client.get(LISTE).content.decode()
    assert '<option value="freigabe_neu">Neu für Sie freigegeben</option>' in html
    assert '<label for="id_art">' in html
    html = client.get(LISTE, {"art": "freigabe_neu"}).content.decode()
    assert "Neu freigegeben" in html and "Ausgesetzt" not in html
    html = client.get(LISTE, {"art": "anfrage_gestellt"}).content.decode()
    assert "Keine Benachrichtigungen dieser Art." in html


def test_unbekannte_art_400_mit_meldung(client, welt):
    user = welt.user("augsburg")
    b = melden(user, "Bleibt ungelesen")
    client.force_login(user)
    r = client.get(LISTE, {"art": "<script>"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Diese Art von Benachrichtigung gibt es nicht." in html
    assert 'aria-describedby="id_art_fehler"' in html and "<script>" not in html
    r = client.post(ALLE_GELESEN, {"art": "unsinn"})
    assert r.status_code == 400
    b.refresh_from_db()
    assert b.gelesen_am is None  # nothing changed


def test_alle_gelesen_nur_was_der_filter_zeigt(client, welt):
    user = welt.user("augsburg")
    neu = melden(user, "Neu", ereignis="freigabe_neu:3", link="/projekte/1/")
    neu2 = melden(user, "Neu 2", ereignis="freigabe_neu:4", link="/projekte/2/")
    anders = melden(user, "Anders", ereignis="anfrage_gestellt", link="/projekte/1/")
    fremd = melden(welt.user("nuernberg"), "Fremd", ereignis="freigabe_neu:5")
    client.force_login(user)
    html = client.get(LISTE, {"art": "freigabe_neu"}).content.decode()
    assert 'name="art" value="freigabe_neu"' in html  # the mark-all form carries the filter
    assert "Alle 2 angezeigten als gelesen markieren" in html
    r = client.post(ALLE_GELESEN, {"art": "freigabe_neu"})
    assert r.status_code == 302 and r.url == f"{LISTE}?art=freigabe_neu"
    for b in (neu, neu2, anders, fremd):
        b.refresh_from_db()
    assert neu.gelesen_am and neu2.gelesen_am
    assert anders.gelesen_am is None and fremd.gelesen_am is None
    # without a filter the page offers to mark all, and marks all of one's own
    assert "Alle als gelesen markieren" in client.get(LISTE).content.decode()
    client.post(ALLE_GELESEN)
    anders.refresh_from_db()
    fremd.refresh_from_db()
    assert anders.gelesen_am is not None and fremd.gelesen_am is None


def test_nur_eigene_benachrichtigungen_und_eigener_zaehler(client, welt):
    user = welt.user("augsburg")
    fremd = welt.user("nuernberg")
    melden(user, "Meine Nachricht", link="/projekte/1/")
    for i in range(3):
        melden(fremd, f"Nürnberger Geheimnis {i}", link="/projekte/1/")
    client.force_login(user)
    for params in ({}, {"art": "freigabe_ausgesetzt"}):
        html = client.get(LISTE, params).content.decode()
        assert "Meine Nachricht" in html
        assert "Nürnberger Geheimnis" not in html
        assert "1 ungelesene Benachrichtigung." in html
        assert "ältere Benachrichtigung" not in html  # the other user's notices form no group
    assert "4 ungelesene" not in client.get(LISTE).content.decode()


def _neu_fuer(user, objekt):
    return Benachrichtigung.objects.filter(
        empfaenger=user, ereignis__startswith="freigabe_neu:", link=objekt.get_absolute_url()
    )


def test_keine_doppelte_meldung_ueber_verbund_und_direkt(welt, commit):
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    an_verbund = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    direkt = beantragen(welt, ergebnis, an=welt.augsburg, umfang=Umfang.METADATEN)
    admin = welt.user("muenchen", ADMIN)
    with commit():
        services.freigabe_erteilen(freigabe=direkt, by=admin)
        services.freigabe_erteilen(freigabe=an_verbund, by=admin)
    augsburg, nuernberg = welt.user("augsburg"), welt.user("nuernberg")
    assert _neu_fuer(augsburg, ergebnis).count() == 1  # direct first; the Verbund's adds none
    assert _neu_fuer(nuernberg, ergebnis).count() == 1  # reached only through the Verbund
    assert Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{an_verbund.pk}").exists()


def test_nach_dem_lesen_wird_wieder_gemeldet(welt, commit):
    """Only an unread notice of the same kind holds a second one back."""
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    direkt = beantragen(welt, ergebnis, an=welt.augsburg, umfang=Umfang.METADATEN)
    an_verbund = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    admin = welt.user("muenchen", ADMIN)
    augsburg = welt.user("augsburg")
    with commit():
        services.freigabe_erteilen(freigabe=direkt, by=admin)
    services.benachrichtigungen_alle_gelesen(user=augsburg)
    with commit():
        services.freigabe_erteilen(freigabe=an_verbund, by=admin)
    assert _neu_fuer(augsburg, ergebnis).count() == 2
