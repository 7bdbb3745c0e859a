"""Facets of the results list and of the combined search."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projekte.filter import SORTIERUNGEN, FacettenForm

from .models import Ergebnis

MAX_SUCHLAENGE = 300


class ErgebnisFacettenForm(FacettenForm):
    art = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle")), *Ergebnis.Art.choices]
    )
    field_order = ["kommune", "thema", "initiative", "art", "jahr", "sortierung"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]


class SuchForm(FacettenForm):
    q = forms.CharField(
        label=_("Suchbegriffe"),
        required=False,
        max_length=MAX_SUCHLAENGE,
        help_text=_(
            "Alle Wörter müssen vorkommen. Steht oder (auch OR) dazwischen, genügt eines davon. "
            "-wort schließt ein Wort aus, auch ein Wort mit Bindestrich (-E-Akte). "
            "„Wortfolge“ in Anführungszeichen findet genau diese Wörter in dieser Reihenfolge."
        ),
        error_messages={
            "max_length": _("Die Suchanfrage ist zu lang (höchstens %(limit_value)d Zeichen)."),
            "null_characters_not_allowed": _("Die Suchanfrage enthält unzulässige Zeichen."),
        },
    )
    typ = forms.ChoiceField(
        label=_("Suchen in"),
        required=False,
        choices=[
            ("alle", _("Projekten und Ergebnissen")),
            ("projekte", _("nur Projekten")),
            ("ergebnisse", _("nur Ergebnissen")),
        ],
    )
    art = forms.ChoiceField(
        label=_("Art (nur Ergebnisse)"),
        required=False,
        choices=[("", _("alle")), *Ergebnis.Art.choices],
    )
    field_order = ["q", "typ", "kommune", "thema", "initiative", "status", "art", "jahr"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].label = _("Status (nur Projekte)")
        self.fields["sortierung"].choices = [("relevanz", _("Relevanz")), *SORTIERUNGEN.items()]

    def fehlermeldungen(self) -> list[str]:
        # The query's own error is shown at the field; the facets' as messages.
        self.is_valid()
        return [
            _("Der Filter „%(feld)s“ hat einen ungültigen Wert und wurde ignoriert.")
            % {"feld": self.fields[name].label}
            for name in self.errors
            if name != "q"
        ]
