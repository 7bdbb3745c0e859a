"""App configuration of the wiring package (pages, seed command, checks of the settings)."""

from django.apps import AppConfig
from django.core import checks


def dokumentenablage_pruefen(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: an object store for documents needs its bucket and its keys; without
    them every upload and download fails at run time, not at start."""
    from django.conf import settings

    from common.ablage import S3_BACKEND

    ablage = settings.STORAGES["default"]
    if ablage["BACKEND"] != S3_BACKEND:
        return []
    optionen = ablage.get("OPTIONS", {})
    meldungen = []
    if not optionen.get("bucket_name"):
        meldungen.append(
            checks.Warning(
                "Die Dokumente sollen in einem S3-Speicher liegen (DOKUMENTE_SPEICHER=s3), "
                "aber es ist kein Bucket angegeben.",
                hint="AWS_STORAGE_BUCKET_NAME setzen (und bei einem eigenen S3-Dienst wie "
                "MinIO AWS_S3_ENDPOINT_URL).",
                id="portal.W001",
            )
        )
    if not (optionen.get("access_key") and optionen.get("secret_key")):
        meldungen.append(
            checks.Warning(
                "Die Dokumente sollen in einem S3-Speicher liegen (DOKUMENTE_SPEICHER=s3), "
                "aber AWS_ACCESS_KEY_ID oder AWS_SECRET_ACCESS_KEY fehlt.",
                hint="Beide Schlüssel setzen. Bekommt der Rechner seine Zugangsdaten anders "
                "(z. B. über eine Rolle), diese Warnung mit SILENCED_SYSTEM_CHECKS "
                "abschalten.",
                id="portal.W002",
            )
        )
    return meldungen


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        checks.register(dokumentenablage_pruefen, checks.Tags.compatibility, deploy=True)
