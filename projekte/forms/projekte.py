"""Forms to create and edit projects: description, Beteiligung and the legal metadata."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kommunen.forms import DATUM, FreigebbarForm
from kommunen.models import RECHTLICHE_FELDER, Kommune

from ..models import Beteiligung, Initiative, Projekt


class InitiativenFeld(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Initiative) -> str:
        return f"{obj} ({obj.get_ebene_display()})"


def initiativen_feld(help_text) -> InitiativenFeld:
    """The Initiativen of a project or result, as checkboxes (none required)."""
    return InitiativenFeld(
        label=_("Initiativen"),
        queryset=Initiative.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


# The framework agreement: only the owner Kommune edits it, as the legal metadata.
RAHMENVERTRAG_FELDER = ("rahmenvertrag", "rahmenvertrag_kommunen")


class ProjektForm(FreigebbarForm):
    M2M_FELDER = ("themen", "initiativen", "rahmenvertrag_kommunen")

    initiativen = initiativen_feld(
        _(
            "Förderprogramme und Vorhaben von Bund und Land, zu denen das Projekt beiträgt "
            "(z. B. OZG/EfA, BayernPortal, Digitalplan Bayern)."
        )
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
            "budget_umfang",
            "kontakt",
            "initiativen",
            *RECHTLICHE_FELDER,
            *RAHMENVERTRAG_FELDER,
        ]
        widgets = {
            "zusammenfassung": forms.Textarea(attrs={"rows": 3}),
            "beschreibung": forms.Textarea(attrs={"rows": 12}),
            "themen": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "laufzeit_von": forms.DateInput(attrs=DATUM, format="%Y-%m-%d"),
            "laufzeit_bis": forms.DateInput(attrs=DATUM, format="%Y-%m-%d"),
            "budget_eur": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "rahmenvertrag_kommunen": forms.CheckboxSelectMultiple,
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
            "budget_umfang": _(
                "Freiwillig: Was das Budget umfasst, z. B. „Lizenzen und Einführung, ohne "
                "eigenes Personal“. So können andere Kommunen es mit ihren Plänen vergleichen."
            ),
            "kontakt": _("Wer Fragen beantwortet: Name, Amt, E-Mail oder Telefon."),
            "rahmenvertrag": _(
                "Hat Ihre Kommune für dieses Projekt einen Rahmenvertrag geschlossen, etwa für "
                "Software, Lizenzen oder Beratung? Dann hier Titel und Aktenzeichen oder "
                "Vergabenummer, z. B. „Rahmenvertrag E-Akte, Vergabe-Nr. 2024-017“. Leer "
                "lassen, wenn es keinen gibt."
            ),
            "rahmenvertrag_kommunen": _(
                "Aus einem Rahmenvertrag dürfen nur die öffentlichen Auftraggeber abrufen, die "
                "schon in der Ausschreibung und im Vertrag ausdrücklich genannt sind (§ 21 Abs. "
                "2 VgV; unterhalb der EU-Schwellenwerte § 15 UVgO). Kreuzen Sie nur Kommunen an, "
                "die dort namentlich stehen; im Zweifel fragt Ihre Vergabestelle nach. Ihre "
                "eigene Kommune darf als Auftraggeberin immer abrufen und steht deshalb nicht in "
                "der Liste. Alle anderen können Konzept und Leistungsbeschreibung für eine "
                "eigene Ausschreibung nachnutzen, aber nicht abrufen."
            ),
        }

    def __init__(self, *args, mit_rechtlichem: bool = True, eigene_kommune_id=None, **kwargs):
        super().__init__(*args, mit_rechtlichem=mit_rechtlichem, **kwargs)
        # Co-editing partners do not answer for the owner's contract (the service refuses
        # their changes too).
        if not mit_rechtlichem:
            for name in RAHMENVERTRAG_FELDER:
                self.fields.pop(name, None)
            return
        # Active Kommunen besides the owner; those already named stay, even if inactive now,
        # so that saving the form does not drop them unasked.
        auswahl = Q(aktiv=True)
        if self.instance.pk:
            auswahl |= Q(pk__in=self.instance.rahmenvertrag_kommunen.values("pk"))
        kommunen = Kommune.objects.filter(auswahl).order_by("name")
        eigentuemer = self.instance.kommune_id or eigene_kommune_id
        if eigentuemer is not None:
            kommunen = kommunen.exclude(pk=eigentuemer)
        self.fields["rahmenvertrag_kommunen"].queryset = kommunen

    def clean(self):
        daten = super().clean()
        von, bis = daten.get("laufzeit_von"), daten.get("laufzeit_bis")
        if von and bis and bis < von:
            self.add_error("laufzeit_bis", _("Das Ende der Laufzeit liegt vor ihrem Beginn."))
        if "rahmenvertrag_kommunen" in self.fields and "rahmenvertrag" not in self.errors:
            try:
                Projekt(rahmenvertrag=daten.get("rahmenvertrag") or "").rahmenvertrag_pruefen(
                    daten.get("rahmenvertrag_kommunen") or []
                )
            except ValidationError as exc:
                self.add_error(None, exc)
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
