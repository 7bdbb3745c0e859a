"""Deleting a project (its owner's Herausgabe), only while no result refers to it."""

import pytest
from django.urls import reverse

from kommunen import services, sharing
from kommunen.models import Benachrichtigung, Freigabe, FreigabeStatus, Protokoll, Rolle, Umfang
from projekte import services as projekt_services
from projekte.models import Beteiligung, Nachnutzung, Projekt, Thema
from tests.factories import ergebnis_anlegen, freigeben, projekt_anlegen

RIESIG = "9" * 30


def _url(p) -> str:
    return reverse("projekte:loeschen", args=[p.pk])


@pytest.fixture
def lage(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    thema = Thema.objects.create(name="Bauen", slug="bauen")
    p = projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag")
    p.themen.add(thema)
    Beteiligung.objects.create(projekt=p, akteur="Handwerkskammer", art="konsultation")
    f = freigeben(welt, p, an=welt.augsburg, umfang=Umfang.MITARBEIT)
    interesse = Nachnutzung.objects.create(
        projekt=p,
        benutzer=welt.user("augsburg"),
        kommune=welt.augsburg,
        nachricht="Wir planen das auch.",
    )
    return {"p": p, "her": her, "freigabe": f, "thema": thema, "interesse": interesse}


def test_herausgabe_loescht_projekt_ohne_ergebnisse(client, welt, lage):
    p, her = lage["p"], lage["her"]
    pk = p.pk
    client.force_login(her)
    assert "Projekt löschen" in client.get(p.get_absolute_url()).content.decode()
    html = client.get(_url(p)).content.decode()
    assert "Interessensbekundung zur Nachnutzung wird gelöscht" in html
    r = client.post(_url(p))
    assert r.status_code == 302 and r.url == reverse("projekte:liste")
    assert not Projekt.objects.filter(pk=pk).exists()
    assert not Beteiligung.objects.filter(projekt_id=pk).exists()
    assert not Nachnutzung.objects.filter(projekt_id=pk).exists()
    assert Thema.objects.filter(pk=lage["thema"].pk).exists()  # only the link goes
    assert not sharing.perm_model(Projekt).objects.filter(content_object_id=pk).exists()
    f = Freigabe.objects.get(pk=lage["freigabe"].pk)
    assert f.status == FreigabeStatus.WIDERRUFEN and f.beendet_grund == "Objekt gelöscht"
    zeile = Protokoll.objects.get(aktion=Protokoll.Aktion.OBJEKT_GELOESCHT)
    assert zeile.objekt_titel == "Digitaler Bauantrag" and zeile.akteur == her
    assert zeile.details["nachnutzungen"] == 1
    # Who declared interest hears of it.
    assert Benachrichtigung.objects.filter(
        empfaenger=welt.user("augsburg"), ereignis="projekt_geloescht"
    ).exists()
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert "Digitaler Bauantrag (gelöscht)" in client.get("/protokoll/").content.decode()


def test_mit_ergebnis_nicht_loeschbar(client, welt, lage):
    p, her = lage["p"], lage["her"]
    ergebnis_anlegen(welt.muenchen, her, projekt=p)
    client.force_login(her)
    html = client.get(_url(p)).content.decode()
    assert "Damit verknüpft sind noch Ergebnisse" in html
    assert "Endgültig löschen" not in html
    r = client.post(_url(p))
    assert r.status_code == 400
    assert "Damit verknüpft sind noch Ergebnisse" in r.content.decode()
    assert Projekt.objects.filter(pk=p.pk).exists()
    assert Beteiligung.objects.filter(projekt=p).exists()
    assert Nachnutzung.objects.filter(pk=lage["interesse"].pk).exists()
    assert Freigabe.objects.get(pk=lage["freigabe"].pk).status == FreigabeStatus.ERTEILT
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.OBJEKT_GELOESCHT).exists()


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [
        ("augsburg", Rolle.HERAUSGABE),  # co-editing partner (Mitarbeit)
        ("nuernberg", Rolle.HERAUSGABE),
        ("muenchen", Rolle.MITARBEIT),
        ("muenchen", Rolle.FREIGABE_ADMIN),
    ],
)
def test_niemand_sonst_loescht(client, welt, lage, slug, rolle):
    p = lage["p"]
    user = welt.user(slug, rolle)
    client.force_login(user)
    assert client.get(_url(p)).status_code == 404
    assert client.post(_url(p)).status_code == 404
    with pytest.raises(services.KeineBerechtigung):
        projekt_services.projekt_loeschen(projekt=p, by=user)
    assert Projekt.objects.filter(pk=p.pk).exists()
    assert Freigabe.objects.get(pk=lage["freigabe"].pk).status == FreigabeStatus.ERTEILT
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.OBJEKT_GELOESCHT).exists()


@pytest.mark.parametrize("pfad", [f"/projekte/{RIESIG}/loeschen/", f"/projekte/{2**63}/loeschen/"])
def test_unsinnige_ids_404(client, lage, pfad):
    client.force_login(lage["her"])
    assert client.post(pfad).status_code == 404
    assert Projekt.objects.filter(pk=lage["p"].pk).exists()
