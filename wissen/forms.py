"""Forms to create and edit results and to upload their documents."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formulare import FeldfehlerMixin
from kommunen.forms import DATUM, FreigebbarForm
from kommunen.models import RECHTLICHE_FELDER
from projekte.forms import initiativen_feld
from projekte.models import Projekt

from .dateipruefung import ERLAUBTE_ENDUNGEN
from .models import Ergebnis


class ErgebnisForm(FreigebbarForm):
    M2M_FELDER = ("themen", "initiativen")

    initiativen = initiativen_feld(
        _(
            "Förderprogramme und Vorhaben von Bund und Land, zu denen das Ergebnis beiträgt "
            "(z. B. OZG/EfA, BayernPortal, Digitalplan Bayern)."
        )
    )

    class Meta:
        model = Ergebnis
        fields = [
            "titel",
            "art",
            "zusammenfassung",
            "text",
            "datum",
            "autoren",
            "projekt",
            "themen",
            "initiativen",
            *RECHTLICHE_FELDER,
        ]
        widgets = {
            "themen": forms.CheckboxSelectMultiple,
            "zusammenfassung": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 10}),
            "datum": forms.DateInput(attrs=DATUM, format="%Y-%m-%d"),
        }
        help_texts = {
            "titel": _("Der Titel des Ergebnisses, z. B. „Machbarkeitsstudie digitaler Zwilling“."),
            "art": _("Was für ein Ergebnis es ist."),
            "zusammenfassung": _("Zwei, drei Sätze: Was wurde untersucht, was kam heraus?"),
            "text": _(
                "Ausführlichere Beschreibung in Markdown (**fett**, *kursiv*, Listen, Links). "
                "HTML wird nicht übernommen."
            ),
            "datum": _("Datum der Fertigstellung oder Veröffentlichung."),
            "autoren": _(
                "Wer das Ergebnis erstellt hat: Autorinnen und Autoren oder das beauftragte "
                "Unternehmen."
            ),
            "projekt": _("Das Projekt Ihrer Kommune, aus dem das Ergebnis stammt (freiwillig)."),
            "themen": _("Die Themen, unter denen andere das Ergebnis finden."),
        }
        error_messages = {
            "projekt": {
                "invalid_choice": _("Verknüpfen lassen sich nur Projekte Ihrer eigenen Kommune."),
            }
        }

    def __init__(self, *args, projekte=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the owner Kommune's projects that the user sees: a forged foreign id is not in
        # this queryset and fails as an invalid choice.
        self.fields["projekt"].queryset = (
            projekte if projekte is not None else Projekt.objects.none()
        )
        self.fields["projekt"].empty_label = _("– kein Projekt –")


class DokumentForm(FeldfehlerMixin, forms.Form):
    datei = forms.FileField(
        label=_("Datei"),
        help_text=_(
            "Erlaubt: %(formate)s. Geprüft wird der Inhalt, nicht nur die Endung. Höchstens "
            "%(max)s MB. Gescannte Seiten (PDF ohne Text, Bilder) liest die Texterkennung (OCR) "
            "auf Deutsch."
        ),
        error_messages={
            "required": _("Bitte eine Datei auswählen."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Es wurde keine Datei übertragen. Bitte erneut auswählen."),
        },
        widget=forms.FileInput(attrs={"accept": ",".join(f".{e}" for e in ERLAUBTE_ENDUNGEN)}),
    )

    ersetzt = forms.TypedChoiceField(
        label=_("Ersetzt"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Wählen Sie ein vorhandenes Dokument, wenn die Datei dessen neue Fassung ist: Es "
            "behält seinen Platz, die bisherige Fassung bleibt für Ihre Kommune in der "
            "Versionsgeschichte."
        ),
        error_messages={
            "invalid_choice": _("Dieses Dokument gibt es bei diesem Ergebnis nicht (mehr).")
        },
    )

    def __init__(self, *args, max_mb: int, dokumente=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ersetzt"].choices = [("", _("– keines, neues Dokument –"))] + [
            (d.pk, d.originalname) for d in dokumente
        ]
        if not dokumente:
            del self.fields["ersetzt"]
        self.fields["datei"].help_text = self.fields["datei"].help_text % {
            "formate": ", ".join(e.upper() for e in ERLAUBTE_ENDUNGEN),
            "max": max_mb,
        }
