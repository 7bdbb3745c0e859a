"""Choosing the document store by environment, and `check --deploy` on an S3 store that lacks
its bucket or keys."""

import ast

from common.ablage import S3_BACKEND, s3_optionen
from portal.apps import dokumentenablage_pruefen
from tests.dienste import manage, umgebung

OHNE_S3 = dict.fromkeys(
    (
        "DOKUMENTE_SPEICHER",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_S3_REGION_NAME",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_S3_ADDRESSING_STYLE",
    ),
    "",
)
ZEIGEN = "from django.conf import settings; print(repr(settings.STORAGES['default']))"


def _env(**werte) -> dict[str, str]:
    return umgebung(**{**OHNE_S3, **werte})


def _ablage(**werte) -> dict:
    lauf = manage("shell", "-c", ZEIGEN, env=_env(**werte), timeout=60)
    assert lauf.returncode == 0, lauf.stderr
    return ast.literal_eval(lauf.stdout.strip().splitlines()[-1])


def test_ein_bucket_waehlt_s3_sonst_bleibt_es_das_dateisystem(tmp_path):
    assert _ablage(MEDIA_ROOT=str(tmp_path)) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None},
    }
    ablage = _ablage(
        AWS_STORAGE_BUCKET_NAME="dokumente",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_ACCESS_KEY_ID="schluessel-id",
        AWS_SECRET_ACCESS_KEY="geheim",
    )
    assert ablage["BACKEND"] == S3_BACKEND
    optionen = ablage["OPTIONS"]
    assert optionen["bucket_name"] == "dokumente"
    assert optionen["endpoint_url"] == "http://minio:9000"
    assert optionen["addressing_style"] == "path"
    assert (optionen["access_key"], optionen["secret_key"]) == ("schluessel-id", "geheim")
    # Private objects, never a signed or public link, no overwriting of a taken name.
    assert optionen["default_acl"] is None
    assert optionen["querystring_auth"] is False
    assert optionen["file_overwrite"] is False


def test_unbekannter_speicher_wird_abgelehnt():
    lauf = manage("check", env=_env(DOKUMENTE_SPEICHER="ftp"), timeout=60)
    assert lauf.returncode != 0
    assert "DOKUMENTE_SPEICHER muss „dateisystem“ oder „s3“ sein." in lauf.stderr


def test_check_deploy_warnt_ohne_bucket_und_schluessel(settings):
    lauf = manage("check", "--deploy", env=_env(DOKUMENTE_SPEICHER="s3"), timeout=60)
    assert "portal.W001" in lauf.stderr and "kein Bucket angegeben" in lauf.stderr
    assert "portal.W002" in lauf.stderr

    # The check itself, for each case.
    def pruefen(**optionen) -> list[str]:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": S3_BACKEND, "OPTIONS": s3_optionen(**optionen)},
        }
        return [m.id for m in dokumentenablage_pruefen(None)]

    voll = {"bucket": "b", "schluessel_id": "id", "schluessel": "geheim"}
    assert pruefen(**voll) == []
    assert pruefen(**{**voll, "bucket": ""}) == ["portal.W001"]
    assert pruefen(**{**voll, "schluessel": ""}) == ["portal.W002"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert dokumentenablage_pruefen(None) == []
