"""The access request a partner sends for any shareable object."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from ..models import Umfang


class ZugangsanfrageForm(FehlerVerknuepfen, forms.Form):
    umfang = forms.ChoiceField(
        label=_("Gewünschter Zugang"),
        choices=[
            (Umfang.VOLLSTAENDIG, _("vollständig (mit Dokumenten)")),
            (Umfang.MITARBEIT, _("Mitarbeit (gemeinsam bearbeiten)")),
        ],
        widget=forms.RadioSelect,
        initial=Umfang.VOLLSTAENDIG,
    )
    begruendung = forms.CharField(
        label=_("Begründung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wofür brauchen Sie den Zugang? Die Freigabe-Admins der Kommune entscheiden."),
        error_messages={"required": _("Bitte begründen Sie Ihre Anfrage.")},
    )

    def __init__(self, *args, umfaenge=(Umfang.VOLLSTAENDIG, Umfang.MITARBEIT), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["umfang"].choices = [
            c for c in self.fields["umfang"].choices if c[0] in umfaenge
        ]
        if self.fields["umfang"].choices:
            self.fields["umfang"].initial = self.fields["umfang"].choices[0][0]
