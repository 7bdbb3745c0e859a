"""App configuration of the results app."""

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def ocr_pruefen(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: the programs OCR needs (decision 0014). Without them the portal runs,
    but scanned documents stay without text (their extraction names the reason)."""
    from django.conf import settings

    from .extraktion import ocr

    if settings.OCR_MAX_SEITEN <= 0:
        return []

    fehlt = ocr.verfuegbar()
    if not fehlt:
        return []
    return [
        checks.Warning(
            "Texterkennung gescannter Dokumente (OCR) nicht einsatzbereit: es fehlen "
            + ", ".join(fehlt),
            hint="Debian: apt-get install tesseract-ocr tesseract-ocr-deu poppler-utils "
            "(wie im Dockerfile), oder OCR_MAX_SEITEN=0.",
            id="wissen.W001",
        )
    ]


def zeitgrenzen_pruefen(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: a message the worker holds longer than the visibility timeout goes to
    a second worker while the first still reads it; the extraction task lives longest."""
    from django.conf import settings

    if settings.CELERY_VISIBILITY_TIMEOUT > settings.EXTRAKTION_TIME_LIMIT:
        return []
    return [
        checks.Warning(
            f"CELERY_VISIBILITY_TIMEOUT ({settings.CELERY_VISIBILITY_TIMEOUT} s) ist nicht größer "
            f"als die Zeitgrenze der Texterkennung ({settings.EXTRAKTION_TIME_LIMIT} s, "
            "EXTRAKTION_MAX_SEKUNDEN + 120): ein zweiter Worker übernähme eine laufende "
            "Texterkennung.",
            hint="CELERY_VISIBILITY_TIMEOUT erhöhen oder EXTRAKTION_MAX_SEKUNDEN senken.",
            id="wissen.W002",
        )
    ]


def _projekt_ergebnisse(*, user, projekt) -> dict:
    from . import selectors

    return {"ergebnisse": list(selectors.ergebnisse_des_projekts(user=user, projekt=projekt))}


class WissenConfig(AppConfig):
    name = "wissen"
    verbose_name = _("Ergebnisse")

    def ready(self):
        checks.register(ocr_pruefen, checks.Tags.compatibility, deploy=True)
        checks.register(zeitgrenzen_pruefen, checks.Tags.compatibility, deploy=True)
        # The project page shows its results, and "Neues Projekt" points to "Neues Ergebnis":
        # wissen adds both to projekte, which knows nothing of wissen.
        from projekte import erweiterungen

        erweiterungen.seitenteil_registrieren(
            template="wissen/_projekt_ergebnisse.html", kontext=_projekt_ergebnisse
        )
        erweiterungen.anlegen_registrieren(
            hinweis=_(
                "Sie möchten eine Studie, ein Gutachten oder ein anderes Ergebnis einstellen?"
            ),
            text=_("Neues Ergebnis anlegen"),
            url_name="wissen:neu",
        )
