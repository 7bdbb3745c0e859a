"""What a publisher says when she withdraws a shared object, or deletes one of its documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from ..validators import einzeilig


class ZurueckziehenForm(FehlerVerknuepfen, forms.Form):
    grund = forms.CharField(
        label=_("Grund"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Warum ziehen Sie das Objekt zurück? Der Grund steht im Protokoll; die Empfänger "
            "erfahren nur, dass die Freigabe beendet ist."
        ),
        error_messages={
            "required": _("Bitte geben Sie einen Grund an; er steht im Protokoll."),
            "max_length": _("Der Grund ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )


class DokumentLoeschenForm(FehlerVerknuepfen, forms.Form):
    grund = forms.CharField(
        label=_("Grund (freiwillig)"),
        max_length=500,
        required=False,
        validators=[einzeilig],
        help_text=_("Steht im Protokoll, z. B. „falsche Datei hochgeladen“."),
        error_messages={
            "max_length": _("Der Grund ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )
