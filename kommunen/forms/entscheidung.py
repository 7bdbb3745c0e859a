"""Forms of the admins' decisions on Freigaben and access requests."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..validators import einzeilig
from ..vokabular import Uebermittlungsgrundlage


class EntscheidungForm(forms.Form):
    """Approve, refuse, revoke or re-approve one Freigabe."""

    AKTIONEN = (
        ("erteilen", _("erteilen")),
        ("ablehnen", _("ablehnen")),
        ("widerrufen", _("widerrufen")),
    )
    aktion = forms.ChoiceField(choices=AKTIONEN)
    begruendung = forms.CharField(
        label=_("Begründung"), required=False, max_length=2000, widget=forms.Textarea
    )
    zweckvereinbarkeit = forms.CharField(
        label=_("Warum die Zwecke vereinbar sind"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    # Granting and revoking are confirmed on a second step that names who gains or loses
    # access; without this field the step is shown (again), nothing is decided.
    bestaetigt = forms.BooleanField(required=False)
    # The state the decider saw (selectors.entscheidung_stand): a second submit changes nothing.
    stand = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("aktion") == "ablehnen" and not (data.get("begruendung") or "").strip():
            self.add_error("begruendung", _("Bitte eine Begründung für die Ablehnung angeben."))
        if data.get("aktion") == "widerrufen" and not (data.get("begruendung") or "").strip():
            self.add_error("begruendung", _("Bitte einen Grund für den Widerruf angeben."))
        return data


class AnfrageEntscheidungForm(forms.Form):
    AKTIONEN = (("genehmigen", _("genehmigen")), ("ablehnen", _("ablehnen")))
    aktion = forms.ChoiceField(choices=AKTIONEN)
    begruendung = forms.CharField(
        label=_("Begründung"), required=False, max_length=2000, widget=forms.Textarea
    )
    gueltig_bis = forms.DateField(
        label=_("gültig bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leer lassen für die übliche Frist von 24 Monaten (FRIST-1)."),
    )
    auflagen = forms.CharField(
        label=_("Auflagen"), required=False, max_length=2000, widget=forms.Textarea
    )
    # Personal data only (DSGVO-3): the transfer basis and the requester's purpose.
    uebermittlungsgrundlage = forms.ChoiceField(
        label=_("Rechtsgrundlage der Übermittlung"),
        choices=Uebermittlungsgrundlage.choices,
        required=False,
    )
    empfaenger_zweck = forms.CharField(
        label=_("Zweck beim Empfänger"), required=False, max_length=300, validators=[einzeilig]
    )
    zweckvereinbarkeit = forms.CharField(
        label=_("Warum die Zwecke vereinbar sind"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    # Granting and revoking are confirmed on a second step that names who gains or loses
    # access; without this field the step is shown (again), nothing is decided.
    bestaetigt = forms.BooleanField(required=False)
    # The state the decider saw (selectors.entscheidung_stand): a second submit changes nothing.
    stand = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("aktion") == "ablehnen" and not (data.get("begruendung") or "").strip():
            self.add_error("begruendung", _("Bitte eine Begründung für die Ablehnung angeben."))
        return data
