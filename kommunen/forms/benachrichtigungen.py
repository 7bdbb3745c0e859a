"""A user's e-mail setting for notifications, and the filter of the notifications page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from ..models import BENACHRICHTIGUNG_ARTEN


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


class BenachrichtigungFilterForm(FehlerVerknuepfen, forms.Form):
    art = forms.ChoiceField(
        label=_("Art"),
        required=False,
        choices=[("", _("alle"))] + list(BENACHRICHTIGUNG_ARTEN.items()),
        error_messages={"invalid_choice": _("Diese Art von Benachrichtigung gibt es nicht.")},
    )
