"""App configuration of the results app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _projekt_ergebnisse(*, user, projekt) -> dict:
    from . import selectors

    return {"ergebnisse": list(selectors.ergebnisse_des_projekts(user=user, projekt=projekt))}


class WissenConfig(AppConfig):
    name = "wissen"
    verbose_name = _("Ergebnisse")

    def ready(self):
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
