"""A user's e-mail setting for notifications."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen


class BenachrichtigungEinstellungForm(FehlerVerknuepfen, forms.Form):
    benachrichtigung = forms.ChoiceField(
        label=_("E-Mail-Benachrichtigungen"),
        widget=forms.RadioSelect,
        choices=[
            ("sofort", _("sofort per E-Mail")),
            ("woechentlich", _("wöchentliche Zusammenfassung")),
            ("aus", _("keine E-Mails (nur im Portal)")),
        ],
    )
