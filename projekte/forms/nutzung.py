"""Forms of the reuse side: access request, reuse interest (Nachnutzung), follow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen


class NachnutzungForm(FehlerVerknuepfen, forms.Form):
    nachricht = forms.CharField(
        label=_("Nachricht an die Kommune"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Was möchten Sie nachnutzen? Die Kommune sieht Ihre Nachricht mit Ihrem Namen, "
            "Ihrer Kommune und Ihrer E-Mail-Adresse."
        ),
    )
