"""„Meine Anträge“, pending proposals on the object page, and what a change would do."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kommunen import selectors, services
from kommunen.models import FreigabeStatus, Rolle, Umfang
from tests.factories import beantragen, ergebnis_anlegen, freigeben, projekt_anlegen


def test_meine_antraege_zeigt_nur_die_eigenen(welt, client):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Digitale Bauakte")
    offen = beantragen(welt, p, an=welt.augsburg)
    erteilt = freigeben(welt, p, an=welt.nuernberg, umfang=Umfang.METADATEN)
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("nuernberg"), begruendung="Für das Bauamt"
    )
    client.force_login(her)
    seite = client.get(reverse("kommunen:meine_antraege"))
    assert seite.status_code == 200
    text = seite.content.decode()
    assert "Digitale Bauakte" in text
    assert f">{offen.pk}</td>" in text and f">{erteilt.pk}</td>" in text
    assert "wartet auf die Entscheidung" in text
    client.force_login(welt.user("nuernberg"))
    text = client.get(reverse("kommunen:meine_antraege")).content.decode()
    assert "Für das Bauamt" not in text  # the request shows its state, not the own text
    assert "Digitale Bauakte" in text and anfrage.status == "offen"
    assert f">{offen.pk}</td>" not in text
    # Someone of another city without a Freigabe sees none of it.
    client.force_login(welt.user("regensburg", Rolle.HERAUSGABE))
    text = client.get(reverse("kommunen:meine_antraege")).content.decode()
    assert "Digitale Bauakte" not in text and "Keine offenen Anträge" in text


def test_antrag_ohne_sicht_zeigt_keinen_titel(welt, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Vertraulich")
    f = freigeben(welt, p, an=welt.nuernberg, umfang=Umfang.METADATEN)
    nbg = welt.user("nuernberg")
    services.zugangsanfrage_stellen(objekt=p, by=nbg, begruendung="bitte")
    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    antraege = selectors.meine_antraege(user=welt.user("nuernberg"))
    [a] = antraege["anfragen_offen"]
    assert a.objekt_sichtbar is None


def test_beantragte_freigaben_auf_der_objektseite_nur_fuer_den_eigentuemer(welt, client):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    offen = beantragen(welt, e, an=welt.nuernberg)
    client.force_login(welt.user("muenchen"))
    text = client.get(e.get_absolute_url()).content.decode()
    assert "Beantragte Freigaben (noch nicht entschieden)" in text and f">{offen.pk}</td>" in text
    client.force_login(welt.user("augsburg"))
    text = client.get(e.get_absolute_url()).content.decode()
    assert "Beantragte Freigaben" not in text


def test_folgen_einer_rechtlichen_aenderung_vorher(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    f = freigeben(welt, p, an=welt.augsburg)
    spaet = beantragen(welt, p, an=welt.nuernberg)
    heute = timezone.localdate()
    type(spaet).objects.filter(pk=spaet.pk).update(
        gueltig_ab=heute + dt.timedelta(days=60), gueltig_bis=heute + dt.timedelta(days=90)
    )
    folgen = selectors.rechtliche_folgen(p, {"loeschdatum": heute + dt.timedelta(days=30)})
    assert [(x.freigabe.pk, x.was) for x in folgen.folgen] == [
        (f.pk, "kuerzen"),
        (spaet.pk, "beenden"),
    ]
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT  # foretold, nothing written
    assert not selectors.rechtliche_folgen(p, {})
