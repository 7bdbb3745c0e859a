"""Backup and restore of the document files when they live in an S3 bucket: `sicherung` reads
them through the storage, the restore writes them into another bucket and checks each one."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from kommunen.models import Rolle
from portal.sicherung import dateien
from portal.sicherung.manifest import lesen
from tests.dateien import pdf, upload
from tests.factories import ergebnis_anlegen
from wissen import services as wissen_services
from wissen.models import Dokument

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bestand(welt, s3):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    for titel, inhalt in (("Studie", pdf("Beteiligung")), ("Konzept", pdf("Daten"))):
        wissen_services.dokument_hochladen(
            ergebnis=ergebnis_anlegen(welt.muenchen, her, titel=titel),
            datei=upload(f"{titel}.pdf", inhalt, "application/pdf"),
            by=her,
        )
    welt.verbund.vereinbarung_dokument.save("vereinbarung.pdf", ContentFile(pdf("Vereinbarung")))
    return welt


def test_sicherung_und_wiederherstellung_der_dateien_aus_dem_bucket(
    bestand, s3, settings, tmp_path
):
    original = {k: s3.lesen(k) for k in s3.schluessel()}
    assert len(original) == 3
    call_command("sicherung", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    [sicherung] = list(tmp_path.iterdir())
    manifest = lesen(sicherung)
    assert {n: e["sha256"] for n, e in manifest["dateien"].items()} == {
        k: hashlib.sha256(v).hexdigest() for k, v in original.items()
    }
    for name, inhalt in original.items():
        assert (sicherung / "dateien" / name).read_bytes() == inhalt

    # Into a second, empty bucket: one object already there with other bytes is a conflict,
    # which the restore (as with --ueberschreiben) replaces under the same name.
    ziel = "wv-ziel-" + s3.bucket[3:]
    s3.client.create_bucket(
        Bucket=ziel, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    settings.STORAGES = {**settings.STORAGES, "default": s3.speicher(bucket=ziel)}
    belegt = Dokument.objects.order_by("pk").first().datei.name
    s3.client.put_object(Bucket=ziel, Key=belegt, Body=b"anderer Inhalt")
    assert dateien.konflikte(manifest) == [f"{belegt}: existiert bereits mit anderem Inhalt"]
    dateien.einspielen(manifest, sicherung)
    assert dateien.nachpruefen(manifest) == []
    antwort = s3.client.list_objects_v2(Bucket=ziel)
    assert sorted(o["Key"] for o in antwort["Contents"]) == sorted(original)
    for name, inhalt in original.items():
        assert s3.client.get_object(Bucket=ziel, Key=name)["Body"].read() == inhalt


def test_fehlendes_objekt_bricht_die_sicherung_ab(bestand, s3, tmp_path):
    name = Dokument.objects.order_by("pk").first().datei.name
    s3.client.delete_object(Bucket=s3.bucket, Key=name)
    with pytest.raises(CommandError, match="fehlen in der Dokumentenablage") as fehler:
        call_command("sicherung", str(tmp_path))
    assert name in str(fehler.value)
    assert list(tmp_path.iterdir()) == []
