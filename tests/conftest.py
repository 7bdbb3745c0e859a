"""Shared fixtures: the Welt (three Kommunen, their Verbund, one user per role), clock, media,
and an S3-compatible object store for the documents."""

import copy
import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from common import aufgaben
from kommunen import sharing
from tests.factories import Welt


@pytest.fixture(scope="session", autouse=True)
def _statische_dateien(tmp_path_factory):
    """Manifest static files, as in production (whitenoise)."""
    call_command("collectstatic", "--noinput", "-v0")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A second database on the same server, named after the primary's test database (with
    xdist's worker suffix), for the replica tests (tests/portal/test_replikat.py).

    pytest-django creates a test database only for the aliases the collected tests ask for,
    so a run without those tests creates none. The router that would send reads there is
    installed by those tests alone: every other test keeps the one database.
    """
    from common.datenbanken import PRIMAER, REPLIKAT

    replikat = copy.deepcopy(settings.DATABASES[PRIMAER])
    replikat["TEST"]["NAME"] = f"{replikat['TEST']['NAME']}_replikat"
    # The same dict Django's connection handler reads (it filled in the defaults already).
    settings.DATABASES[REPLIKAT] = replikat


@pytest.fixture(autouse=True)
def _schneller_passwort_hasher(settings):
    # Production keeps Django's PBKDF2; tests create many users and need no key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _caches_leeren():
    aufgaben.pause_beenden()  # a broker failure of an earlier test pauses no queueing here
    sharing.clear_caches()
    cache.clear()  # a rolled-back test must not leave cached rows for the next one
    yield
    sharing.clear_caches()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server on 127.0.0.1 (moto's server mode, in a thread of this test
    process), started once per worker by the first test that asks for it."""
    from moto.server import ThreadedMotoServer

    from tests.dienste import freier_port

    port = freier_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@dataclass
class S3:
    """One empty bucket of the test server, and a boto3 client to look into it."""

    client: object
    bucket: str
    endpunkt: str

    def schluessel(self) -> list[str]:
        antwort = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(o["Key"] for o in antwort.get("Contents", []))

    def lesen(self, schluessel: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=schluessel)["Body"].read()

    def speicher(self, **anders) -> dict:
        """The STORAGES entry production builds from its variables, on this bucket."""
        from common.ablage import S3_BACKEND, s3_optionen

        optionen = {
            "bucket": self.bucket,
            "endpunkt": self.endpunkt,
            "region": S3_REGION,
            "schluessel_id": "test",
            "schluessel": "test",
            **anders,
        }
        return {"BACKEND": S3_BACKEND, "OPTIONS": s3_optionen(**optionen)}


S3_REGION = "eu-central-1"


@pytest.fixture
def s3(settings, s3_server, _media) -> S3:
    """Documents in a fresh bucket of the local S3 server instead of MEDIA_ROOT."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=S3_REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    bucket = f"wv-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    s3 = S3(client=client, bucket=bucket, endpunkt=s3_server)
    settings.DOKUMENTE_SPEICHER = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": s3.speicher()}
    return s3


@pytest.fixture
def zeitreise(monkeypatch):
    """Move the clock forward: `zeitreise(dt.timedelta(days=1))` makes it tomorrow.

    django.utils.timezone.now is what localdate() and every default read, so the portal
    sees the new day everywhere, with no periodic task run in between.
    """
    from django.utils import timezone

    echt = timezone.now
    versatz = dt.timedelta()

    def jetzt():
        return echt() + versatz

    def reisen(um: dt.timedelta) -> None:
        nonlocal versatz
        versatz += um

    monkeypatch.setattr(timezone, "now", jetzt)
    return reisen


@pytest.fixture
def welt(db) -> Welt:
    return Welt()
