"""Filters of the sharing matrix and the Protokoll."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from ..models import FreigabeStatus, Protokoll
from ..rules import mit_verweis_lazy


class MatrixFilterForm(FehlerVerknuepfen, forms.Form):
    typ = forms.ChoiceField(label=_("Art"), required=False)
    empfaenger = forms.ChoiceField(label=_("Empfänger"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("alle offenen und aktiven")),
            (FreigabeStatus.BEANTRAGT, _("beantragt")),
            (FreigabeStatus.ERTEILT, _("erteilt")),
            ("zurueckgehalten", mit_verweis_lazy(_("Dokumente zurückgehalten"), "VERSION-1")),
            (FreigabeStatus.AUSGESETZT, _("ausgesetzt")),
        ],
    )
    suche = forms.CharField(label=_("Titel enthält"), required=False, max_length=200)

    def __init__(self, *args, typen, spalten, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typ"].choices = [("", _("alle"))] + [(n, v) for n, v, _ct in typen]
        self.fields["empfaenger"].choices = [("", _("alle"))] + [
            (s.schluessel, s.name) for s in spalten
        ]


class ProtokollFilterForm(FehlerVerknuepfen, forms.Form):
    objekt = forms.CharField(label=_("Objekt (Titel enthält)"), required=False, max_length=200)
    benutzer = forms.CharField(label=_("Benutzer/in"), required=False, max_length=150)
    aktion = forms.ChoiceField(
        label=_("Aktion"), required=False, choices=[("", _("alle"))] + Protokoll.Aktion.choices
    )
    von = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        von, bis = data.get("von"), data.get("bis")
        if von and bis and bis < von:
            self.add_error("bis", _("„bis“ darf nicht vor „von“ liegen."))
        return data
