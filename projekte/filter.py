"""The facet and sort parameters of the lists and the search, parsed from the query string.

Options come from lists the view has already loaded (one query each), so validating a
choice costs no query. A malformed value fails only its own field: the view reports it and
ignores that filter.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from .models import Projekt

SORTIERUNGEN = {
    "neu": _("neueste zuerst"),
    "titel": _("Titel (A–Z)"),
    "kommune": _("Kommune (A–Z)"),
}


class Auswahl(BaseChoiceIterator):
    """A long choice list that changes rarely (every Kommune: 2,056 in Bavaria), prepared
    once per process: its choices need no normalising, a value is checked against a set, and
    its <option>s are rendered once per language (the label of the empty choice is
    translated). `objekte` are the objects it was made of."""

    def __init__(self, objekte):
        self.objekte = list(objekte)
        self._nach_pk = {o.pk: o for o in self.objekte}
        self.werte = frozenset(str(o.pk) for o in self.objekte)
        self._html: dict[str, str] = {}

    def __iter__(self):
        yield ("", _("alle"))
        for o in self.objekte:
            yield (o.pk, o.name)

    def objekt(self, pk):
        return self._nach_pk.get(pk)

    def optionen_html(self) -> str:
        sprache = get_language() or ""
        html = self._html.get(sprache)
        if html is None:
            html = self._html[sprache] = _optionen(self, None)
        return html


def _optionen(choices, gewaehlt: str | None) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(wert), " selected" if str(wert) == gewaehlt else "", label)
            for wert, label in choices
        ),
    )


class SchnelleAuswahl(forms.Select):
    """A <select> rendered in Python, not one template per option.

    The Kommune facet lists every Kommune (2,056 in Bavaria); Django's per-option widget
    templates made that one field cost about 60 ms per page. With a prepared `Auswahl` the
    options are rendered once and only the chosen one is marked per request.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        gewaehlt = "" if value is None else str(value)
        if isinstance(self.choices, Auswahl):
            optionen = self.choices.optionen_html()
            if gewaehlt == "" or gewaehlt in self.choices.werte:
                option = format_html('<option value="{}"', gewaehlt)
                optionen = optionen.replace(f"{option}>", f"{option} selected>", 1)
        else:
            optionen = _optionen(self.choices, gewaehlt)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(optionen),  # noqa: S308 - built by format_html above
        )


class SchnelleWahl(forms.TypedChoiceField):
    """A choice field over a prepared `Auswahl`: validated against its set of values."""

    widget = SchnelleAuswahl

    def valid_value(self, value):
        if isinstance(self.choices, Auswahl):
            return str(value) in self.choices.werte
        return super().valid_value(value)


class FacettenForm(FehlerVerknuepfen, forms.Form):
    kommune = SchnelleWahl(label=_("Kommune"), required=False, coerce=int)
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
        self.fields["kommune"].choices = (
            kommunen if isinstance(kommunen, Auswahl) else Auswahl(kommunen)
        )
        self.fields["thema"].choices = alle + [(t.pk, str(t)) for t in themen]
        self.fields["initiative"].choices = alle + [(i.pk, str(i)) for i in initiativen]
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
