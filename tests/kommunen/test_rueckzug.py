"""Withdrawing a shared object, and who is told when a Freigabe ends (recipients, publisher)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kommunen import services, sharing
from kommunen.models import (
    Benachrichtigung,
    FreigabeStatus,
    Protokoll,
    Rolle,
    Zugangsanfrage,
)
from kommunen.services import KeineBerechtigung
from tests.factories import freigeben, projekt_anlegen

A = Protokoll.Aktion


def _ende(f):
    return Benachrichtigung.objects.filter(ereignis=f"freigabe_beendet:{f.pk}")


@pytest.fixture
def geteilt(welt, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Parkraumsensorik")
    f = freigeben(welt, p, an=welt.augsburg)
    f.meta = freigeben(welt, p, an=welt.nuernberg, umfang="metadaten")
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("nuernberg"), umfang="vollstaendig", begruendung="Für unser Amt"
    )
    return p, f, anfrage, her


def test_zurueckziehen_beendet_alles_sagt_es_den_empfaengern_und_behaelt_die_spur(
    welt, geteilt, django_capture_on_commit_callbacks
):
    p, f, anfrage, her = geteilt
    augsburg = welt.user("augsburg")
    assert sharing.can(augsburg, "view", p)
    with django_capture_on_commit_callbacks(execute=True):
        beendet = services.objekt_zurueckziehen(objekt=p, by=her, grund="Studie überholt")
    assert [x.pk for x in beendet.freigaben] == [f.pk, f.meta.pk]
    f.refresh_from_db()
    assert f.status == FreigabeStatus.WIDERRUFEN
    assert "Studie überholt" in f.beendet_grund
    anfrage.refresh_from_db()
    assert anfrage.status == Zugangsanfrage.Status.ABGELEHNT
    assert not sharing.can(welt.user("augsburg"), "view", p)
    assert sharing.can(welt.user("muenchen"), "view", p)  # the object stays with its owner
    zeile = Protokoll.objects.get(aktion=A.OBJEKT_ZURUECKGEZOGEN)
    assert zeile.akteur == her and zeile.details["grund"] == "Studie überholt"
    assert zeile.details["freigaben_beendet"] == [f.pk, f.meta.pk]
    empfaenger = set(_ende(f).values_list("empfaenger__kommune__slug", flat=True))
    assert empfaenger == {"augsburg"}
    notiz = _ende(f).first()
    assert "Parkraumsensorik" in notiz.text and "Studie überholt" not in notiz.text  # stays home
    assert notiz.link == p.get_absolute_url()
    # Each reader sees it in her page's language, whoever ended it.
    assert notiz.uebersetzungen["en"]["betreff"] == "No longer shared with you: Parkraumsensorik"
    assert Benachrichtigung.objects.filter(
        empfaenger=welt.user("nuernberg"), ereignis="anfrage_entschieden"
    ).exists()


def test_zurueckziehen_ohne_grund_oder_fremd_aendert_nichts(welt, geteilt):
    p, f, _anfrage, her = geteilt
    with pytest.raises(ValidationError):
        services.objekt_zurueckziehen(objekt=p, by=her, grund="   ")
    for fremd in (welt.user("augsburg", Rolle.HERAUSGABE), welt.user("muenchen")):
        with pytest.raises(KeineBerechtigung):
            services.objekt_zurueckziehen(objekt=p, by=fremd, grund="x")
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT
    assert not Protokoll.objects.filter(aktion=A.OBJEKT_ZURUECKGEZOGEN).exists()


def test_zurueckziehen_seite_fuer_eigentuemer_404_fuer_andere(welt, geteilt, client):
    p, f, _anfrage, her = geteilt
    url = reverse("projekte:zurueckziehen", args=[p.pk])
    for fremd in (
        welt.user("augsburg", Rolle.HERAUSGABE),
        welt.user("regensburg", Rolle.HERAUSGABE),
    ):
        client.force_login(fremd)
        assert client.get(url).status_code == 404
        assert client.post(url, {"grund": "weg"}).status_code == 404
    client.force_login(her)
    seite = client.get(url)
    assert seite.status_code == 200
    assert f"Freigabe Nr. {f.pk} an Augsburg" in seite.content.decode()
    leer = client.post(url, {"grund": ""})
    assert leer.status_code == 400 and "Bitte geben Sie einen Grund an" in leer.content.decode()
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT
    antwort = client.post(url, {"grund": "Daten veraltet"}, follow=True)
    assert antwort.redirect_chain[-1][0] == p.get_absolute_url()
    assert "ist zurückgezogen" in antwort.content.decode()
    f.refresh_from_db()
    assert f.status == FreigabeStatus.WIDERRUFEN


def test_wer_noch_ueber_den_verbund_sieht_wird_nicht_gestoert(
    welt, django_capture_on_commit_callbacks
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    direkt = freigeben(welt, p, an=welt.augsburg)
    freigeben(welt, p, an=welt.verbund)
    with django_capture_on_commit_callbacks(execute=True):
        services.freigabe_widerrufen(
            freigabe=direkt, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), grund="doppelt"
        )
    assert sharing.can(welt.user("augsburg"), "view", p)
    assert not _ende(direkt).exists()


def test_widerruf_sagt_es_empfaengern_und_der_herausgeberin(
    welt, django_capture_on_commit_callbacks
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    f = freigeben(welt, p, an=welt.verbund)
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        services.freigabe_widerrufen(freigabe=f, by=admin, grund="Vertrag beendet")
    kommunen = set(_ende(f).values_list("empfaenger__kommune__slug", flat=True))
    assert kommunen == {"augsburg", "nuernberg"}  # the Verbund's members, not the owner
    assert Benachrichtigung.objects.filter(empfaenger=her, ereignis="freigabe_widerrufen").exists()
    assert not Benachrichtigung.objects.filter(
        empfaenger=admin, ereignis="freigabe_widerrufen"
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        from kommunen.services.zugriffsende import freigabe_ende_empfaengern_melden

        assert freigabe_ende_empfaengern_melden(freigabe_id=f.pk, titel=str(p)) == 0  # twice: once


def test_ablauf_sagt_es_empfaengern_und_herausgeberin(welt, django_capture_on_commit_callbacks):
    import datetime as dt

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    f = freigeben(welt, p, an=welt.augsburg)
    danach = f.gueltig_bis + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.freigaben_ablaufen(heute=danach) == 1
    assert _ende(f).filter(empfaenger=welt.user("augsburg")).exists()
    assert Benachrichtigung.objects.filter(empfaenger=her, ereignis="freigabe_abgelaufen").exists()


def test_alte_benachrichtigung_fuehrt_zu_nicht_mehr_geteilt(
    welt, client, django_capture_on_commit_callbacks
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Smarte Laternen")
    f = freigeben(welt, p, an=welt.augsburg)
    augsburg = welt.user("augsburg")
    client.force_login(augsburg)
    assert client.get(p.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.objekt_zurueckziehen(objekt=p, by=her, grund="intern")
    antwort = client.get(p.get_absolute_url())
    assert antwort.status_code == 404
    text = antwort.content.decode()
    assert "Nicht mehr für Sie freigegeben" in text and "Smarte Laternen" in text
    assert "intern" not in text
    # Someone never told of it gets the plain page: no title, no hint that it exists.
    client.force_login(welt.user("regensburg"))
    fremd = client.get(p.get_absolute_url())
    assert fremd.status_code == 404
    assert "Smarte Laternen" not in fremd.content.decode()
    assert "Nicht mehr für Sie freigegeben" not in fremd.content.decode()
    assert f.pk


def test_benachrichtigung_in_der_sprache_der_seite(
    welt, client, django_capture_on_commit_callbacks
):
    """Ended in a German request, read on the English page: the notice is in English there."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Radwegeplanung")
    f = freigeben(welt, p, an=welt.augsburg)
    with django_capture_on_commit_callbacks(execute=True):
        services.freigabe_widerrufen(
            freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), grund="Ende"
        )
    client.force_login(welt.user("augsburg"))
    deutsch = client.get(reverse("kommunen:benachrichtigungen")).content.decode()
    assert "Nicht mehr für Sie freigegeben: Radwegeplanung" in deutsch
    client.cookies["django_language"] = "en"
    englisch = client.get(reverse("kommunen:benachrichtigungen")).content.decode()
    assert "No longer shared with you: Radwegeplanung" in englisch
    assert "Nicht mehr für Sie freigegeben: Radwegeplanung" not in englisch


def test_verlorene_endmeldung_holt_der_periodische_lauf_nach(welt):
    """The process went away after commit (its callbacks never ran): the ending is owed in
    PostgreSQL, and the sweep writes the notices once; an ended proposal owes nothing."""
    import datetime as dt

    from django.utils import timezone

    from kommunen.services.zugriffsende import enden_nachholen
    from tests.factories import beantragen

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Verkehrsrechner")
    f = freigeben(welt, p, an=welt.augsburg)
    vorschlag = beantragen(welt, p, an=welt.nuernberg)
    services.objekt_zurueckziehen(objekt=p, by=her, grund="überholt")  # no callbacks run
    assert not _ende(f).exists()
    f.refresh_from_db()
    assert f.ende_gemeldet_am is None
    assert enden_nachholen() == 0  # not yet: the request may still be writing them
    spaeter = timezone.now() + dt.timedelta(minutes=10)
    augsburg = set(welt.augsburg.benutzer.values_list("pk", flat=True))
    assert enden_nachholen(jetzt=spaeter) == len(augsburg)  # one notice per Augsburg user
    assert set(_ende(f).values_list("empfaenger_id", flat=True)) == augsburg
    assert all("Verkehrsrechner" in n.betreff for n in _ende(f))
    assert not Benachrichtigung.objects.filter(ereignis=f"freigabe_beendet:{vorschlag.pk}")
    assert enden_nachholen(jetzt=spaeter) == 0
    f.refresh_from_db()
    assert f.ende_gemeldet_am is not None
    # An ending from weeks ago is not announced late any more.
    g = freigeben(welt, projekt_anlegen(welt.muenchen, her), an=welt.augsburg)
    services.freigabe_widerrufen(freigabe=g, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert enden_nachholen(jetzt=timezone.now() + dt.timedelta(days=8)) == 0


def test_sofort_gemeldete_endung_ist_nicht_mehr_offen(welt, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    f = freigeben(welt, p, an=welt.augsburg)
    with django_capture_on_commit_callbacks(execute=True):
        services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    f.refresh_from_db()
    assert f.ende_gemeldet_am is not None
    assert _ende(f).count() == welt.augsburg.benutzer.count()
