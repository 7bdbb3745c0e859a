"""Deleting a result (its owner's Herausgabe): documents and files go, Freigaben end, the
Protokoll keeps title and who deleted it; nobody else can, and a refusal changes nothing."""

import csv
import io
import os

import pytest
from django.test import Client
from django.urls import reverse

from kommunen import services, sharing
from kommunen.models import (
    Benachrichtigung,
    Freigabe,
    FreigabeStatus,
    Protokoll,
    Rolle,
    Umfang,
    Zugangsanfrage,
)
from tests.factories import beantragen, dokument_anlegen, ergebnis_anlegen, freigeben
from wissen import services as wissen_services
from wissen.models import Dokument, Ergebnis

RIESIG = "9" * 30


def _url(e) -> str:
    return reverse("wissen:loeschen", args=[e.pk])


@pytest.fixture
def lage(welt):
    """A München result with two documents, shared with Augsburg (Mitarbeit) and the Verbund,
    a proposal to Nürnberg waiting, and an open access request from Regensburg's view."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie Ladesäulen")
    dokumente = [
        dokument_anlegen(e, her, name="studie.pdf", inhalt=b"%PDF-1.4\n% eins\n"),
        dokument_anlegen(e, her, name="anhang.pdf", inhalt=b"%PDF-1.4\n% zwei\n"),
    ]
    mitarbeit = freigeben(welt, e, an=welt.augsburg, umfang=Umfang.MITARBEIT)
    verbund = freigeben(welt, e, an=welt.verbund, umfang=Umfang.METADATEN)
    vorschlag = beantragen(welt, e, an=welt.regensburg, umfang=Umfang.METADATEN)
    anfrage = services.zugangsanfrage_stellen(
        objekt=e, by=welt.user("nuernberg"), begruendung="Für unsere Ausschreibung"
    )
    return {
        "e": e,
        "her": her,
        "dokumente": dokumente,
        "pfade": [d.datei.path for d in dokumente],
        "freigaben": [mitarbeit, verbund, vorschlag],
        "anfrage": anfrage,
    }


def _unveraendert(lage):
    e = lage["e"]
    assert Ergebnis.objects.filter(pk=e.pk).exists()
    assert Dokument.objects.filter(ergebnis=e).count() == 2
    assert all(os.path.exists(p) for p in lage["pfade"])
    for f in lage["freigaben"]:
        status = Freigabe.objects.get(pk=f.pk).status
        assert status == f.status
    assert Zugangsanfrage.objects.get(pk=lage["anfrage"].pk).status == "offen"
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.OBJEKT_GELOESCHT).exists()
    assert sharing.can(lage["her"], "change", e)


def test_bestaetigungsseite_fuer_die_herausgabe(client, welt, lage):
    e = lage["e"]
    client.force_login(lage["her"])
    detail = client.get(e.get_absolute_url()).content.decode()
    assert _url(e) in detail and "Ergebnis löschen" in detail
    r = client.get(_url(e))
    assert r.status_code == 200
    html = r.content.decode()
    assert "„Studie Ladesäulen“ löschen" in html
    assert "2 Dokumente werden mit ihren Dateien gelöscht." in html
    assert "2 Freigaben enden sofort" in html
    assert "csrfmiddlewaretoken" in html and 'method="post"' in html
    _unveraendert(lage)  # looking changes nothing


def test_herausgabe_loescht(client, welt, lage, django_capture_on_commit_callbacks):
    e, her = lage["e"], lage["her"]
    titel, pk = e.titel, e.pk
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(_url(e))
    assert r.status_code == 302 and r.url == reverse("wissen:liste")

    assert not Ergebnis.objects.filter(pk=pk).exists()
    assert not Dokument.objects.filter(pk__in=[d.pk for d in lage["dokumente"]]).exists()
    assert not any(os.path.exists(p) for p in lage["pfade"])  # the files are gone
    assert not sharing.perm_model(Ergebnis).objects.filter(content_object_id=pk).exists()
    for f in lage["freigaben"]:
        f.refresh_from_db()
        assert f.status == FreigabeStatus.WIDERRUFEN
        assert f.beendet_grund == "Objekt gelöscht"
        assert f.beendet_von == her
    anfrage = Zugangsanfrage.objects.get(pk=lage["anfrage"].pk)
    assert anfrage.status == "abgelehnt" and anfrage.entscheidung_begruendung == "Objekt gelöscht"
    assert Benachrichtigung.objects.filter(
        empfaenger=welt.user("nuernberg"), betreff__startswith="Zugangsanfrage erledigt"
    ).exists()
    zeile = Protokoll.objects.get(aktion=Protokoll.Aktion.OBJEKT_GELOESCHT)
    assert (zeile.objekt_titel, zeile.object_id, zeile.akteur) == (titel, pk, her)
    assert zeile.kommune == welt.muenchen
    assert {d["name"] for d in zeile.details["dokumente"]} == {"studie.pdf", "anhang.pdf"}
    assert sorted(zeile.details["freigaben_beendet"]) == sorted(f.pk for f in lage["freigaben"])
    # Partners see nothing any more.
    for slug in ("augsburg", "nuernberg"):
        client.force_login(welt.user(slug))
        assert client.get(f"/ergebnisse/{pk}/").status_code == 404


def test_protokoll_bleibt_lesbar(client, welt, lage):
    e = lage["e"]
    pk, freigabe = e.pk, lage["freigaben"][0]
    wissen_services.ergebnis_loeschen(ergebnis=e, by=lage["her"])
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    r = client.get(reverse("kommunen:protokoll"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Objekt gelöscht" in html
    assert "Studie Ladesäulen (gelöscht)" in html
    assert f'href="/ergebnisse/{pk}/"' not in html  # no link to what is gone
    r = client.get(reverse("kommunen:protokoll_export"))
    assert r.status_code == 200
    zeilen = list(
        csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    geloescht = [z for z in zeilen if z[1] == "Objekt gelöscht"]
    assert len(geloescht) == 1 and geloescht[0][2] == "Studie Ladesäulen"
    # The page of an ended Freigabe still opens, with its history.
    r = client.get(reverse("kommunen:freigabe_detail", args=[freigabe.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Objekt gibt es nicht mehr" in html and "Objekt gelöscht" in html
    assert client.get(reverse("kommunen:eingang")).status_code == 200
    assert client.get(reverse("kommunen:matrix")).status_code == 200


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [
        ("augsburg", Rolle.HERAUSGABE),  # co-editing partner (Mitarbeit)
        ("augsburg", Rolle.MITARBEIT),
        ("nuernberg", Rolle.HERAUSGABE),  # sees it through the Verbund
        ("regensburg", Rolle.HERAUSGABE),
        ("muenchen", Rolle.MITARBEIT),
        ("muenchen", Rolle.FREIGABE_ADMIN),
    ],
)
def test_niemand_sonst_loescht(client, welt, lage, slug, rolle):
    e = lage["e"]
    user = welt.user(slug, rolle)
    client.force_login(user)
    assert client.get(_url(e)).status_code == 404
    assert client.post(_url(e)).status_code == 404
    assert "Ergebnis löschen" not in client.get(e.get_absolute_url()).content.decode()
    with pytest.raises(services.KeineBerechtigung):
        wissen_services.ergebnis_loeschen(ergebnis=e, by=user)
    _unveraendert(lage)


def test_mitarbeit_partner_darf_bearbeiten_aber_nicht_loeschen(welt, lage):
    partner = welt.user("augsburg", Rolle.HERAUSGABE)
    assert sharing.can(partner, "change", lage["e"])
    assert not sharing.can_delete(partner, lage["e"])


def test_anonym_zur_anmeldung(client, lage):
    r = client.post(_url(lage["e"]))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    _unveraendert(lage)


def test_ohne_csrf_token_verweigert(welt, lage):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lage["her"])
    assert client.post(_url(lage["e"])).status_code == 403
    _unveraendert(lage)


@pytest.mark.parametrize(
    "pfad",
    [
        f"/ergebnisse/{RIESIG}/loeschen/",
        f"/ergebnisse/{2**63}/loeschen/",
        "/ergebnisse/0/loeschen/",
    ],
)
def test_unsinnige_ids_404(client, lage, pfad):
    client.force_login(lage["her"])
    assert client.get(pfad).status_code == 404
    assert client.post(pfad).status_code == 404
    assert client.post("/ergebnisse/abc/loeschen/").status_code == 404
    _unveraendert(lage)


def test_datei_die_ein_anderes_dokument_nutzt_bleibt(welt, django_capture_on_commit_callbacks):
    """Files are stored by content; should two documents share one, it stays for the other."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    a = ergebnis_anlegen(welt.muenchen, her)
    b = ergebnis_anlegen(welt.muenchen, her)
    dok = dokument_anlegen(a, her, name="gleich.pdf", inhalt=b"%PDF-1.4\n% gleich\n")
    zweites = dokument_anlegen(b, her, name="gleich.pdf", inhalt=b"%PDF-1.4\n% gleich\n")
    Dokument.objects.filter(pk=zweites.pk).update(datei=dok.datei.name)
    with django_capture_on_commit_callbacks(execute=True):
        wissen_services.ergebnis_loeschen(ergebnis=a, by=her)
    assert os.path.exists(dok.datei.path)
    assert Dokument.objects.filter(pk=zweites.pk).exists()
