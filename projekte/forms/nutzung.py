"""Forms of the reuse side: access request, reuse interest (Nachnutzung), follow."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.formulare import FehlerVerknuepfen

from ..models import KEIN_MINUS_EINSPARUNG


def einsparung_feld() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Geschätzte Einsparung (EUR)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[KEIN_MINUS_EINSPARUNG],
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        help_text=_(
            "Freiwillig: Was Ihre Kommune durch die Nachnutzung schätzungsweise nicht ausgeben "
            "musste, in Euro ohne Tausenderpunkte. Nur Ihre Kommune kann den Wert ändern; das "
            "Dashboard zählt ihn zur Summe der Einsparungen."
        ),
        error_messages={
            "invalid": _("Bitte geben Sie einen Betrag in Euro an, z. B. 25000 oder 25000.50."),
            "max_digits": _("Der Betrag ist zu groß."),
            "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen (Cent) angeben."),
            "max_whole_digits": _("Der Betrag ist zu groß."),
        },
    )


class NachnutzungForm(FehlerVerknuepfen, forms.Form):
    """Reuse interest of a user of another Kommune. With the project and the user's Kommune
    it says what the project's framework agreement allows that Kommune: a call-off only when
    the agreement names it (`abruf_moeglich`), else why not (`abruf_hinweis`)."""

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
    # Always read, shown only where a call-off is possible: a forged value reaches the
    # service, which refuses it with its reason (nachnutzung_erklaeren).
    rahmenvertrag_abrufen = forms.BooleanField(
        label=_("Aus dem Rahmenvertrag abrufen"), required=False
    )

    einsparung_eur = einsparung_feld()

    def __init__(self, *args, projekt=None, kommune_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.abruf_moeglich = False
        self.abruf_hinweis = ""
        if projekt is None or not projekt.rahmenvertrag:
            return
        if projekt.rahmenvertrag_nennt(kommune_id):
            self.abruf_moeglich = True
            self.fields["rahmenvertrag_abrufen"].help_text = gettext(
                "Der Rahmenvertrag „%(rahmenvertrag)s“ dieses Projekts nennt Ihre Kommune als "
                "abrufberechtigt. Kreuzen Sie an, wenn Sie Leistungen daraus abrufen möchten; "
                "die Kommune erfährt es mit Ihrem Interesse. Den Einzelauftrag erteilen Sie "
                "dann selbst zu den Bedingungen des Vertrags."
            ) % {"rahmenvertrag": projekt.rahmenvertrag}
        else:
            self.abruf_hinweis = projekt.abruf_verweigert_text()


class EinsparungForm(FehlerVerknuepfen, forms.Form):
    """The reusing Kommune's estimate of what it saved, changed later. The declaration it
    belongs to is named by id; the service finds it only among the user's Kommune's own."""

    nachnutzung = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    einsparung_eur = einsparung_feld()
