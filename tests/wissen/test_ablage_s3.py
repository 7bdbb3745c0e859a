"""Documents in an S3-compatible object store (a real local server, moto's server mode):
upload lands in the bucket, only a permitted partner gets the bytes, extraction reads them
from the store, deletion removes the object; a store that fails leaves nothing behind."""

import pytest
from django.urls import reverse

from kommunen.models import Protokoll, Rolle, Umfang
from tests import dateien as d
from tests.factories import ergebnis_anlegen, freigeben
from wissen import services
from wissen.models import Dokument

WORT = "Quellwasserschutzgebiete"
INHALT = d.pdf(f"Gutachten zu {WORT} im Stadtgebiet", "Seite zwei")


@pytest.fixture
def studie(welt, s3, client, django_capture_on_commit_callbacks):
    """A München result whose PDF the Herausgabe uploaded through the upload view; the
    queued extraction has run (tasks run in-process here)."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie Trinkwasser")
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("wissen:dokument_neu", args=[e.pk]),
            {"datei": d.upload("Gutachten.pdf", INHALT, "application/pdf")},
        )
    assert r.status_code == 302
    client.logout()
    return e, Dokument.objects.get(ergebnis=e)


def _download(client, e, dok):
    return client.get(reverse("wissen:download", args=[e.pk, dok.pk]))


def test_upload_liegt_privat_im_bucket_und_die_suche_findet_den_text(
    client, welt, s3, studie, settings
):
    e, dok = studie
    # The object carries the hash-derived name and the uploaded bytes; nothing on local disk.
    assert s3.schluessel() == [dok.datei.name]
    assert dok.datei.name == f"dokumente/{welt.muenchen.pk}/{dok.sha256[:2]}/{dok.sha256}"
    assert s3.lesen(dok.datei.name) == INHALT
    assert not (settings.MEDIA_ROOT / "dokumente").exists()
    # No public ACL: only the bucket's owner holds a grant.
    acl = s3.client.get_object_acl(Bucket=s3.bucket, Key=dok.datei.name)
    assert [g["Grantee"].get("URI") for g in acl["Grants"]] == [None]
    # The extraction read the file from the store.
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert WORT in dok.text

    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    client.force_login(welt.user("augsburg"))
    r = client.get(reverse("suche"), {"q": "Quellwasserschutzgebiet"})
    assert [t.objekt.titel for t in r.context["treffer"]] == ["Studie Trinkwasser"]
    client.force_login(welt.user("nuernberg"))
    r = client.get(reverse("suche"), {"q": "Quellwasserschutzgebiet"})
    assert list(r.context["treffer"]) == []


def test_download_nur_nach_der_pruefung_der_freigabe(client, welt, s3, studie):
    e, dok = studie
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)

    client.force_login(welt.user("augsburg"))
    r = _download(client, e, dok)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == INHALT  # streamed by the portal, no redirect
    assert r["Content-Disposition"] == 'attachment; filename="Gutachten.pdf"'
    assert "no-store" in r["Cache-Control"]
    assert Protokoll.objects.filter(aktion=Protokoll.Aktion.DOWNLOAD).count() == 1

    # Regensburg (no Freigabe) and Nürnberg (in the Verbund, but the Freigabe names
    # Augsburg): the same 404 as for a missing document, no bytes, nothing logged.
    for slug in ("regensburg", "nuernberg"):
        client.force_login(welt.user(slug))
        r = _download(client, e, dok)
        assert r.status_code == 404
        assert INHALT not in r.content
    assert Protokoll.objects.filter(aktion=Protokoll.Aktion.DOWNLOAD).count() == 1

    # An object lost from the store: a 404 with a message, not a server error.
    s3.client.delete_object(Bucket=s3.bucket, Key=dok.datei.name)
    client.force_login(welt.user("augsburg"))
    assert _download(client, e, dok).status_code == 404


def test_loeschen_entfernt_das_objekt(client, welt, s3, studie, django_capture_on_commit_callbacks):
    e, dok = studie
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    # The same bytes at a second result of the same Kommune: a second object, which stays.
    andere = ergebnis_anlegen(welt.muenchen, her, titel="Kopie")
    kopie = services.dokument_hochladen(
        ergebnis=andere, datei=d.upload("Kopie.pdf", INHALT, "application/pdf"), by=her
    )
    assert kopie.datei.name != dok.datei.name
    assert s3.schluessel() == sorted([dok.datei.name, kopie.datei.name])

    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("wissen:loeschen", args=[e.pk]))
    assert r.status_code == 302
    assert not Dokument.objects.filter(pk=dok.pk).exists()
    assert s3.schluessel() == [kopie.datei.name]
    assert s3.lesen(kopie.datei.name) == INHALT


def test_ablage_nicht_erreichbar_upload_mit_meldung_und_ohne_spur(client, welt, s3, settings):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie")
    settings.STORAGES = {**settings.STORAGES, "default": s3.speicher(bucket="gibt-es-nicht")}
    client.force_login(her)
    r = client.post(
        reverse("wissen:dokument_neu", args=[e.pk]),
        {"datei": d.upload("Gutachten.pdf", INHALT, "application/pdf")},
    )
    assert r.status_code == 400
    assert "konnte gerade nicht in der Dokumentenablage gespeichert werden" in r.content.decode()
    assert not Dokument.objects.exists()
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.DOKUMENT_HINZUGEFUEGT).exists()
    assert s3.schluessel() == []
