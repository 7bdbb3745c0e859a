"""The facet and sort parameters of the lists and the search, parsed from the query string.

Options come from lists the view has already loaded (one query each), so validating a
choice costs no query. A malformed value fails only its own field: the view reports it and
ignores that filter.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from .models import Projekt

SORTIERUNGEN = {
    "neu": _("neueste zuerst"),
    "titel": _("Titel (A–Z)"),
    "kommune": _("Kommune (A–Z)"),
}


class SchnelleAuswahl(forms.Select):
    """A <select> rendered in Python, not one template per option.

    The Kommune facet lists every Kommune (2,056 in Bavaria); Django's per-option widget
    templates made that one field cost about 60 ms per page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        gewaehlt = "" if value is None else str(value)
        optionen = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(wert), " selected" if str(wert) == gewaehlt else "", label)
                for wert, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), optionen)


class FacettenForm(FehlerVerknuepfen, forms.Form):
    kommune = forms.TypedChoiceField(
        label=_("Kommune"), required=False, coerce=int, widget=SchnelleAuswahl
    )
    thema = forms.TypedChoiceField(label=_("Thema"), required=False, coerce=int)
    initiative = forms.TypedChoiceField(label=_("Initiative"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle")), *Projekt.Status.choices]
    )
    jahr = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"), required=False, choices=list(SORTIERUNGEN.items())
    )

    def __init__(self, *args, kommunen=(), themen=(), initiativen=(), jahre=(), **kwargs):
        super().__init__(*args, **kwargs)
        alle = [("", _("alle"))]
        self.fields["kommune"].choices = alle + [(k.pk, k.name) for k in kommunen]
        self.fields["thema"].choices = alle + [(t.pk, t.name) for t in themen]
        self.fields["initiative"].choices = alle + [(i.pk, i.name) for i in initiativen]
        self.fields["jahr"].choices = alle + [(j, str(j)) for j in jahre]

    def filter(self) -> dict:
        """The valid filters only; an invalid field is left out (the view says so)."""
        self.is_valid()
        daten = getattr(self, "cleaned_data", {})
        return {k: v for k, v in daten.items() if v not in ("", None)}

    def fehlermeldungen(self) -> list[str]:
        self.is_valid()
        return [
            _("Der Filter „%(feld)s“ hat einen ungültigen Wert und wurde ignoriert.")
            % {"feld": self.fields[name].label}
            for name in self.errors
        ]
