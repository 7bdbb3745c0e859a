"""Forms to create and edit projects: description, Beteiligung and the legal metadata."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from kommunen.forms import DATUM, FreigebbarForm
from kommunen.models import RECHTLICHE_FELDER

from ..models import Beteiligung, Initiative, Projekt


class InitiativenFeld(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Initiative) -> str:
        return f"{obj.name} ({obj.get_ebene_display()})"


class ProjektForm(FreigebbarForm):
    M2M_FELDER = ("themen", "initiativen")

    initiativen = InitiativenFeld(
        label=_("Initiativen"),
        queryset=Initiative.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Förderprogramme und Vorhaben von Bund und Land, zu denen das Projekt beiträgt "
            "(z. B. OZG/EfA, BayernPortal, Digitalplan Bayern)."
        ),
    )

    class Meta:
        model = Projekt
        fields = [
            "titel",
            "zusammenfassung",
            "beschreibung",
            "themen",
            "status",
            "laufzeit_von",
            "laufzeit_bis",
            "budget_eur",
            "kontakt",
            "initiativen",
            *RECHTLICHE_FELDER,
        ]
        widgets = {
            "zusammenfassung": forms.Textarea(attrs={"rows": 3}),
            "beschreibung": forms.Textarea(attrs={"rows": 12}),
            "themen": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "laufzeit_von": forms.DateInput(attrs=DATUM, format="%Y-%m-%d"),
            "laufzeit_bis": forms.DateInput(attrs=DATUM, format="%Y-%m-%d"),
            "budget_eur": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        }
        help_texts = {
            "titel": _("Ein kurzer, sprechender Name, z. B. „Digitaler Bauantrag“."),
            "zusammenfassung": _("Zwei, drei Sätze: Worum geht es, was ist das Ziel?"),
            "beschreibung": _(
                "Ausführliche Beschreibung in Markdown: **fett**, *kursiv*, Listen mit „- “, "
                "Links als [Text](https://…). HTML wird nicht übernommen."
            ),
            "themen": _("Die Themen, unter denen andere das Projekt finden."),
            "status": _("Wo das Projekt gerade steht."),
            "laufzeit_von": _("Beginn des Projekts (falls bekannt)."),
            "laufzeit_bis": _("Geplantes oder tatsächliches Ende."),
            "budget_eur": _("Freiwillig: Gesamtbudget in Euro, ohne Tausenderpunkte."),
            "kontakt": _("Wer Fragen beantwortet: Name, Amt, E-Mail oder Telefon."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_eur"].validators.append(
            MinValueValidator(0, message=_("Das Budget kann nicht negativ sein."))
        )

    def clean(self):
        daten = super().clean()
        von, bis = daten.get("laufzeit_von"), daten.get("laufzeit_bis")
        if von and bis and bis < von:
            self.add_error("laufzeit_bis", _("Das Ende der Laufzeit liegt vor ihrem Beginn."))
        return daten


class BeteiligungForm(forms.ModelForm):
    class Meta:
        model = Beteiligung
        fields = ["akteur", "art", "beschreibung"]
        widgets = {"beschreibung": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "akteur": _("Wer beteiligt ist, z. B. „Seniorenbeirat“ oder „IHK Schwaben“."),
            "art": _("Information, Konsultation, Mitwirkung oder Mitentscheidung."),
            "beschreibung": _("Wie die Beteiligung abläuft."),
        }


BeteiligungFormSet = forms.inlineformset_factory(
    Projekt,
    Beteiligung,
    form=BeteiligungForm,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def beteiligungen_aus(formset) -> list[dict]:
    """The Beteiligungen a valid formset describes, as plain dicts for the service."""
    return [
        {k: f.cleaned_data[k] for k in ("akteur", "art", "beschreibung")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("akteur")
    ]
