"""Replacing and deleting documents: versions kept for the owner only, recipients get the
current one after a new grant, deleted files leave the store, the Protokoll keeps the trail."""

import os

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import Protokoll, Rolle, Umfang
from kommunen.services import KeineBerechtigung
from tests.dateien import pdf
from tests.factories import ergebnis_anlegen, freigeben
from wissen import services
from wissen.models import Dokument, Dokumentfassung, Ergebnis

A = Protokoll.Aktion


def _datei(name, *seiten):
    return SimpleUploadedFile(name, pdf(*seiten), content_type="application/pdf")


@pytest.fixture
def lage(welt, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Verkehrsstudie")
    with django_capture_on_commit_callbacks(execute=True):
        dok = services.dokument_hochladen(
            ergebnis=e, datei=_datei("studie.pdf", "Altfassung Kreuzungszaehlung"), by=her
        )
    f = freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    dok.refresh_from_db()
    return e, dok, f, her


def _findet(e, wort) -> bool:
    return Ergebnis.objects.filter(
        pk=e.pk, suchvektor_mit_dokumenten=SearchQuery(wort, config="german")
    ).exists()


def test_ersetzen_behaelt_die_fassung_fuer_den_eigentuemer(
    welt, lage, client, django_capture_on_commit_callbacks
):
    e, dok, f, her = lage
    alt_pfad = dok.datei.path
    assert dok.extraktion == "fertig" and _findet(e, "Altfassung")
    with django_capture_on_commit_callbacks(execute=True):
        neu = services.dokument_ersetzen(
            ergebnis=e,
            dokument_pk=dok.pk,
            datei=_datei("studie-v2.pdf", "Neufassung Radverkehr"),
            by=her,
        )
    assert neu.pk == dok.pk and neu.originalname == "studie-v2.pdf"
    fassung = Dokumentfassung.objects.get(dokument=dok)
    assert fassung.originalname == "studie.pdf" and fassung.datei.name and os.path.exists(alt_pfad)
    assert not _findet(e, "Altfassung") and _findet(e, "Neufassung")
    f.refresh_from_db()
    assert f.dokumente_zurueckgehalten  # VERSION-1: recipients wait for a new grant
    augsburg = welt.user("augsburg")
    assert not sharing.can(augsburg, "download", e)
    zeile = Protokoll.objects.get(aktion=A.DOKUMENT_ERSETZT)
    assert zeile.details["ersetzt"]["name"] == "studie.pdf"
    url = reverse("wissen:fassung_download", args=[e.pk, dok.pk, fassung.pk])
    client.force_login(welt.user("muenchen"))
    antwort = client.get(url)
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content).startswith(b"%PDF")
    detail = client.get(e.get_absolute_url()).content.decode()
    assert "1 frühere Fassung" in detail and url in detail
    # A recipient, even with the documents again, never gets the old version.
    kommunen_services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert sharing.can(welt.user("augsburg"), "download", e)
    for fremd in (augsburg, welt.user("regensburg")):
        client.force_login(fremd)
        assert client.get(url).status_code == 404
        assert url not in client.get(e.get_absolute_url()).content.decode()


def test_ersetzen_fremd_oder_gleich_aendert_nichts(welt, lage):
    e, dok, _f, her = lage
    with pytest.raises(KeineBerechtigung):
        services.dokument_ersetzen(
            ergebnis=e,
            dokument_pk=dok.pk,
            datei=_datei("x.pdf", "Fremd"),
            by=welt.user("augsburg", Rolle.HERAUSGABE),
        )
    with pytest.raises(ValidationError):
        services.dokument_ersetzen(
            ergebnis=e,
            dokument_pk=dok.pk,
            datei=_datei("gleich.pdf", "Altfassung Kreuzungszaehlung"),
            by=her,
        )
    anderes = ergebnis_anlegen(welt.muenchen, her)
    with pytest.raises(ValidationError):
        services.dokument_ersetzen(
            ergebnis=anderes, dokument_pk=dok.pk, datei=_datei("y.pdf", "Neu"), by=her
        )
    dok.refresh_from_db()
    assert dok.originalname == "studie.pdf"
    assert not Dokumentfassung.objects.exists()


def test_ersetzen_ueber_das_formular_mit_gefaelschter_id(welt, lage, client):
    e, dok, _f, her = lage
    client.force_login(her)
    url = reverse("wissen:dokument_neu", args=[e.pk])
    seite = client.get(url).content.decode()
    assert "Was das Hochladen bewirkt" in seite and "an Augsburg" in seite
    antwort = client.post(url, {"datei": _datei("z.pdf", "Neu"), "ersetzt": "999999"})
    assert antwort.status_code == 400
    assert "gibt es bei diesem Ergebnis nicht" in antwort.content.decode()
    assert Dokument.objects.filter(ergebnis=e).count() == 1
    antwort = client.post(url, {"datei": _datei("z.pdf", "Neu"), "ersetzt": str(dok.pk)})
    assert antwort.status_code == 302
    dok.refresh_from_db()
    assert dok.originalname == "z.pdf" and Dokumentfassung.objects.filter(dokument=dok).exists()


def test_loeschen_entfernt_dateien_und_fassungen(
    welt, lage, client, django_capture_on_commit_callbacks
):
    e, dok, _f, her = lage
    with django_capture_on_commit_callbacks(execute=True):
        services.dokument_ersetzen(
            ergebnis=e, dokument_pk=dok.pk, datei=_datei("v2.pdf", "Zweite"), by=her
        )
    dok.refresh_from_db()
    pfade = [dok.datei.path, Dokumentfassung.objects.get().datei.path]
    assert all(os.path.exists(p) for p in pfade)
    url = reverse("wissen:dokument_loeschen", args=[e.pk, dok.pk])
    for fremd in (welt.user("augsburg", Rolle.HERAUSGABE), welt.user("muenchen")):
        client.force_login(fremd)
        assert client.get(url).status_code == 404
        assert client.post(url, {"grund": "weg"}).status_code == 404
    assert Dokument.objects.filter(pk=dok.pk).exists()
    client.force_login(her)
    assert "1 frühere Fassung wird ebenfalls gelöscht" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(url, {"grund": "falsche Datei"})
    assert antwort.status_code == 302
    assert not Dokument.objects.filter(pk=dok.pk).exists()
    assert not Dokumentfassung.objects.exists()
    assert not any(os.path.exists(p) for p in pfade)
    zeile = Protokoll.objects.get(aktion=A.DOKUMENT_ENTFERNT)
    assert zeile.details["name"] == "v2.pdf" and zeile.details["grund"] == "falsche Datei"
    assert not _findet(e, "Zweite")


def test_ergebnis_loeschen_nimmt_die_fassungen_mit(welt, lage, django_capture_on_commit_callbacks):
    e, dok, _f, her = lage
    with django_capture_on_commit_callbacks(execute=True):
        services.dokument_ersetzen(
            ergebnis=e, dokument_pk=dok.pk, datei=_datei("v2.pdf", "Zweite"), by=her
        )
    fassung = Dokumentfassung.objects.get().datei.path
    with django_capture_on_commit_callbacks(execute=True):
        services.ergebnis_loeschen(ergebnis=e, by=her)
    assert not os.path.exists(fassung)
