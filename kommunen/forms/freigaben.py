"""The legal fields of every shareable object's form, and the proposal of a Freigabe."""

from __future__ import annotations

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.formulare import FeldfehlerMixin

from .. import rules
from ..models import (
    RECHTLICHE_FELDER,
    VERLAENGERUNG_OHNE_BEGRUENDUNG,
    EmpfaengerArt,
    Freigabe,
    Kommune,
    Umfang,
    Verbund,
    standard_gueltig_bis,
)
from ..validators import einzeilig
from ..vokabular import Einstufung, Uebermittlungsgrundlage

# Plain-German explanations of every legal field. Whoever fills in the form is a CDO or a
# project lead, not a lawyer: each text says what the field means and what follows from it.
RECHTLICHE_HILFETEXTE = {
    "einstufung": _(
        "Wie vertraulich ist der Inhalt? „offen“: darf veröffentlicht werden. „intern“: nur "
        "für Verwaltungen (Standard). „VS – Nur für den Dienstgebrauch“: Dann werden hier keine "
        "Dokumente gespeichert, nur die Beschreibung und wo man die Unterlagen anfragen kann. "
        "Höher eingestufte Verschlusssachen gehören nicht in dieses Portal."
    ),
    "vsnfd_ansprechstelle": _(
        "Nur bei VS-NfD: Stelle, bei der andere Kommunen die Unterlagen anfragen können, "
        "z. B. „Amt für Digitalisierung, Tel. …“."
    ),
    "personenbezug": _(
        "Enthält der Inhalt Angaben zu einzelnen Menschen? Auch pseudonymisierte Daten (über "
        "einen Schlüssel wieder zuzuordnen) gelten als personenbezogen. „Besondere Kategorien“ "
        "sind z. B. Gesundheit, Religion oder ethnische Herkunft (Art. 9 DSGVO). Anonymisierte "
        "Daten lassen sich keiner Person mehr zuordnen."
    ),
    "rechtsgrundlage": _(
        "Nur bei Personenbezug: Auf welcher Rechtsgrundlage werden die Daten verarbeitet? "
        "Zum Beispiel „Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG“."
    ),
    "zweck": _("Nur bei Personenbezug: Wofür dürfen die Daten verwendet werden?"),
    "loeschdatum": _(
        "Bei Personenbezug Pflicht: Bis wann wird der Inhalt spätestens gelöscht? Jede Freigabe "
        "endet spätestens an diesem Tag, danach kann nicht mehr geteilt werden (LOESCH-1). Sie "
        "werden 30 Tage vorher erinnert."
    ),
    "loeschdatum_begruendung": _(
        "Nur wenn Sie bei personenbezogenen Daten das Löschdatum nach hinten verschieben oder "
        "entfernen: Warum werden die Daten länger gebraucht? Zum Beispiel „Auswertung bis Ende "
        "2027 verlängert, Beschluss vom 3. März“. Bei jeder Verlängerung eine neue Begründung "
        "eintragen; sie steht im Protokoll."
    ),
    "dsfa_durchgefuehrt": _(
        "Bei besonderen Kategorien Pflicht: Wurde eine Datenschutz-Folgenabschätzung "
        "(Art. 35 DSGVO) durchgeführt?"
    ),
    "dsfa_referenz": _("Aktenzeichen oder Fundstelle der Datenschutz-Folgenabschätzung."),
    "einwilligung": _(
        "Nur bei Personenbezug: Haben die Menschen in die Verarbeitung eingewilligt (z. B. "
        "Teilnehmende einer Befragung)? Dann darf nichts weiter gehen, als die Einwilligung "
        "erlaubt: Deckt sie keine Weitergabe, bleiben die Daten in Ihrer Kommune."
    ),
    "art9_ausnahme": _(
        "Nur bei besonderen Kategorien: Welche Ausnahme des Art. 9 Abs. 2 DSGVO erlaubt die "
        "Verarbeitung? Fragen Sie im Zweifel Ihre Datenschutzbeauftragte."
    ),
    "geheimnisschutz": _(
        "Stammen die Inhalte aus Sozialleistungs-, Steuer-, Statistik- oder Melde-Akten oder "
        "von Berufsgeheimnisträgern (z. B. Ärztinnen, Sozialarbeiter)? Diese Geheimnisse gehen "
        "dem Datenschutz vor: Dann ist nur die Beschreibung teilbar, nie die Unterlagen. Sie "
        "schützen Einzelangaben: Anonymisierte, zusammengefasste Ergebnisse (z. B. eine "
        "Statistik ohne Rückschluss auf Einzelne) fallen nicht darunter."
    ),
    "nutzungsrechte": _(
        "Was dürfen andere mit dem Inhalt tun? Bei eingekauften Studien erlaubt der Vertrag oft "
        "nur die interne Nutzung (§ 31 Abs. 5 UrhG). Bei „ungeklärt“ und „nur für interne "
        "Zwecke“ ist keine Weitergabe an andere Kommunen möglich, bis die Rechte geklärt sind."
    ),
    "unterlizenz_erlaubt": _(
        "Nur bei umfassenden Rechten an fremden Werken: Erlaubt der Vertrag, anderen selbst "
        "Nutzungsrechte einzuräumen (§ 35 UrhG)? Nur dann darf eine offene Lizenz vergeben "
        "werden. Bei eigenen Werken ist das nicht nötig."
    ),
    "lizenz": _(
        "Unter welcher Lizenz dürfen andere den Inhalt nachnutzen? Für eine Veröffentlichung "
        "ist eine Lizenz nötig; ohne Lizenz bleiben alle Rechte vorbehalten. Eine offene Lizenz "
        "ist unwiderruflich: Wer den Inhalt einmal erhalten hat, darf ihn weiter nutzen."
    ),
    "quellenvermerk": _(
        "Bei Lizenzen mit Namensnennung (Datenlizenz Deutschland – Namensnennung, CC BY): wie "
        "die Quelle genannt werden soll, z. B. „Stadt Augsburg, Amt für Digitalisierung“."
    ),
    "vergabebezug": _(
        "Stammt der Inhalt aus einem Vergabeverfahren? Angebote, Preise und Wertungen von "
        "Bietern sind vertraulich (§ 5 VgV): Sie werden nie veröffentlicht und gehen an Partner "
        "nur geschwärzt."
    ),
    "geschwaerzt": _(
        "Nur bei Bieterunterlagen: Sind Betriebs- und Geschäftsgeheimnisse der Bieter geschwärzt?"
    ),
    "schwellenwert": _(
        "Nur bei Vergabebezug: Lag der Auftragswert über den EU-Schwellenwerten (dann gelten "
        "GWB und VgV) oder darunter (dann UVgO und die Vergaberegeln der KommHV)?"
    ),
    "vergabestand": _(
        "Nur bei Vergabebezug: Solange das Verfahren läuft, bleiben seine Unterlagen in Ihrer "
        "Kommune, damit kein Bieter einen Vorsprung erhält. Nach dem Zuschlag sind sie teilbar."
    ),
    "geschaeftsgeheimnisse_dritter": _(
        "Enthält der Inhalt Betriebs- oder Geschäftsgeheimnisse von Firmen (z. B. Preise, "
        "Konzepte) oder haben Sie Vertraulichkeit vereinbart (NDA)? Dann nur mit Zustimmung."
    ),
    "zustimmung_dritter": _(
        "Wer hat wann der Weitergabe zugestimmt, z. B. „Zustimmung der Firma X vom 3. März, "
        "Az. 12-345“."
    ),
    "gremienstatus": _(
        "Wurde der Inhalt im Stadtrat oder in einem Ausschuss behandelt? Nichtöffentlich "
        "Behandeltes unterliegt der Verschwiegenheit (Art. 20, Art. 52 GO) und bleibt in der "
        "eigenen Kommune."
    ),
    "geheimhaltung_aufgehoben_am": _(
        "Nur bei nichtöffentlich Behandeltem: An welchem Tag hat das Gremium die Geheimhaltung "
        "aufgehoben oder sind ihre Gründe weggefallen (Art. 52 Abs. 3 GO)?"
    ),
    "geheimhaltung_aufgehoben_durch": _(
        "Beschluss oder Vermerk dazu, z. B. „Beschluss des Stadtrats vom 12. Mai, TOP 7“."
    ),
}

# The legal fields grouped for fieldsets: (legend, introduction, field names).
RECHTLICHE_GRUPPEN = (
    (
        _("Vertraulichkeit"),
        _("Wie schutzbedürftig der Inhalt ist."),
        ("einstufung", "vsnfd_ansprechstelle"),
    ),
    (
        _("Personenbezogene Daten (DSGVO)"),
        _("Ob und wie der Inhalt Menschen betrifft."),
        (
            "personenbezug",
            "rechtsgrundlage",
            "zweck",
            "loeschdatum",
            "loeschdatum_begruendung",
            "dsfa_durchgefuehrt",
            "dsfa_referenz",
            "einwilligung",
            "art9_ausnahme",
        ),
    ),
    (
        _("Amts- und Berufsgeheimnisse"),
        _("Ob ein Geheimnis gilt, das dem Datenschutz vorgeht."),
        ("geheimnisschutz",),
    ),
    (
        _("Nutzungsrechte und Lizenz"),
        _("Was andere mit dem Inhalt tun dürfen."),
        ("nutzungsrechte", "unterlizenz_erlaubt", "lizenz", "quellenvermerk"),
    ),
    (
        _("Vergabe"),
        _("Ob der Inhalt aus einem Vergabeverfahren stammt."),
        (
            "vergabebezug",
            "geschwaerzt",
            "schwellenwert",
            "vergabestand",
            "geschaeftsgeheimnisse_dritter",
            "zustimmung_dritter",
        ),
    ),
    (
        _("Gremien"),
        _("Ob der Inhalt in einem Gremium der Stadt behandelt wurde."),
        ("gremienstatus", "geheimhaltung_aufgehoben_am", "geheimhaltung_aufgehoben_durch"),
    ),
)

# Every legal field in exactly one fieldset, in the order of RECHTLICHE_FELDER.
assert tuple(n for _legende, _einleitung, namen in RECHTLICHE_GRUPPEN for n in namen) == (
    RECHTLICHE_FELDER
)


class Gruppe:
    """A fieldset of bound fields for the templates: legend, introduction, fields."""

    def __init__(self, legende, einleitung, felder):
        self.legende = legende
        self.einleitung = einleitung
        self.felder = felder


class RechtlichesMixin:
    """For ModelForms of Freigebbar objects: help texts and fieldsets of the legal metadata."""

    def rechtliches_vorbereiten(self) -> None:
        for name, text in RECHTLICHE_HILFETEXTE.items():
            if name in self.fields:
                self.fields[name].help_text = text
        for name in ("loeschdatum", "geheimhaltung_aufgehoben_am"):
            if name in self.fields:
                self.fields[name].widget = forms.DateInput(
                    attrs={"type": "date"}, format="%Y-%m-%d"
                )

    @property
    def rechtliche_gruppen(self) -> list[Gruppe]:
        return [
            Gruppe(legende, einleitung, [self[n] for n in namen if n in self.fields])
            for legende, einleitung, namen in RECHTLICHE_GRUPPEN
            if any(n in self.fields for n in namen)
        ]


class FreigabeVorschlagForm(FeldfehlerMixin, forms.Form):
    """Proposal of a Freigabe for one object; the owner's Freigabe-Admin decides."""

    empfaenger_art = forms.ChoiceField(
        label=_("An wen soll geteilt werden?"),
        choices=EmpfaengerArt.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Eine Kommune: namentlich benannt. Ein Verbund: alle seine Mitglieder, auch "
            "künftige. Die Öffentlichkeit: jeder im Internet, ohne Anmeldung."
        ),
    )
    empfaenger_kommune = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Kommune.objects.none(),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_("Nur bei Empfänger „Kommune“."),
        error_messages={
            "invalid_choice": _(
                "Diese Kommune kann nicht Empfängerin sein: Sie ist unbekannt, nicht aktiv oder "
                "Ihre eigene Kommune."
            )
        },
    )
    empfaenger_verbund = forms.ModelChoiceField(
        label=_("Verbund"),
        queryset=Verbund.objects.none(),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_("Nur bei Empfänger „Verbund“. Zur Wahl stehen die Verbünde Ihrer Kommune."),
        error_messages={
            "invalid_choice": _(
                "Dieser Verbund kann nicht Empfänger sein: Er ist unbekannt oder Ihre Kommune "
                "gehört ihm nicht an."
            )
        },
    )
    umfang = forms.ChoiceField(
        label=_("Umfang"),
        choices=Umfang.choices,
        initial=Umfang.METADATEN,
        widget=forms.RadioSelect,
        help_text=_(
            "Nur Metadaten: Beschreibung sichtbar, Dokumente nicht. Vollständig: auch die "
            "Dokumente. Mitarbeit: alle Beschäftigten der Empfänger-Kommune sehen Beschreibung "
            "und Dokumente; nur ihre Herausgeber/innen dürfen die Beschreibung mitbearbeiten. "
            "Dokumente hinzufügen oder ersetzen kann nur Ihre eigene Herausgabe."
        ),
    )
    rechtsgrundlage = forms.CharField(
        label=_("Rechtsgrundlage der Weitergabe"),
        max_length=300,
        required=False,
        validators=[einzeilig],
        help_text=_(
            "Worauf die Weitergabe beruht, z. B. „Kooperationsvereinbarung vom 16. Juli“ oder "
            "„Art. 5 BayDSG“."
        ),
    )
    art26_vereinbarung = forms.CharField(
        label=_("Vereinbarung gemeinsam Verantwortlicher (Art. 26 DSGVO)"),
        max_length=300,
        required=False,
        validators=[einzeilig],
        help_text=_(
            "Nur bei Mitarbeit an personenbezogenen Daten nötig: Aktenzeichen oder Titel der "
            "Vereinbarung, in der beide Kommunen ihre Pflichten regeln (GEMEINSAM-1)."
        ),
    )
    uebermittlungsgrundlage = forms.ChoiceField(
        label=_("Rechtsgrundlage der Übermittlung"),
        choices=Uebermittlungsgrundlage.choices,
        required=False,
        help_text=_(
            "Nur bei personenbezogenen Daten, dann Pflicht (DSGVO-3): Worauf stützt sich, dass "
            "die andere Kommune die Daten erhält? Meist „Art. 6 Abs. 1 lit. e DSGVO i. V. m. "
            "Art. 5 Abs. 1 BayDSG“, weil sie die Daten für ihre eigenen Aufgaben braucht."
        ),
    )
    empfaenger_zweck = forms.CharField(
        label=_("Zweck beim Empfänger"),
        max_length=300,
        required=False,
        validators=[einzeilig],
        help_text=_(
            "Nur bei personenbezogenen Daten, dann Pflicht: Wofür die andere Kommune die Daten "
            "verwendet. Steht hier derselbe Zweck wie am Objekt, ist keine weitere Prüfung nötig."
        ),
    )
    zweckvereinbarkeit = forms.CharField(
        label=_("Warum die Zwecke vereinbar sind"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Nur wenn der Zweck beim Empfänger vom Zweck am Objekt abweicht: Warum die neue "
            "Verwendung mit dem ursprünglichen Zweck vereinbar ist (Art. 6 Abs. 4 DSGVO, "
            "Art. 6 BayDSG), z. B. weil beide der Verkehrsplanung dienen. Die Freigabe-Admin "
            "bestätigt das beim Erteilen. Bei Daten aus einer Einwilligung geht das nicht."
        ),
    )
    auflagen = forms.CharField(
        label=_("Auflagen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bedingungen für die Empfänger, z. B. „nur für die eigene Planung“."),
    )
    gueltig_ab = forms.DateField(
        label=_("gültig ab"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ab wann die Freigabe gelten soll."),
    )
    gueltig_bis = forms.DateField(
        label=_("gültig bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Jede Freigabe endet (FRIST-1), spätestens am Löschdatum des Objekts (LOESCH-1). Leer "
            "gelassen: 24 Monate nach „gültig ab“, höchstens bis zum Löschdatum."
        ),
    )
    weitergabe_erlaubt = forms.BooleanField(
        label=_("Empfänger dürfen weitergeben"),
        required=False,
        help_text=_("Ob die Empfänger den Inhalt an Dritte weitergeben dürfen."),
    )

    def __init__(self, *args, objekt, **kwargs):
        super().__init__(*args, **kwargs)
        self.objekt = objekt
        heute = timezone.localdate()
        self.fields["gueltig_ab"].initial = heute
        self.fields["gueltig_bis"].initial = standard_gueltig_bis(
            heute, loeschdatum=objekt.loeschdatum
        )
        # Forged ids (unknown, inactive, the owner itself, a foreign Verbund) fall outside
        # these querysets and so fail as an invalid choice with the German message above.
        self.fields["empfaenger_kommune"].queryset = Kommune.objects.filter(aktiv=True).exclude(
            pk=objekt.kommune_id
        )
        self.fields["empfaenger_verbund"].queryset = Verbund.objects.filter(
            mitglieder=objekt.kommune_id
        ).distinct()
        if not objekt.ist_personenbezogen:
            for name in self.PERSONENDATEN_FELDER:
                del self.fields[name]
        else:
            self.fields["empfaenger_zweck"].initial = objekt.zweck

    # What only a Freigabe of personal data asks for (DSGVO-3).
    PERSONENDATEN_FELDER = ("uebermittlungsgrundlage", "empfaenger_zweck", "zweckvereinbarkeit")

    def clean(self):
        daten = super().clean()
        art = daten.get("empfaenger_art")
        if (
            art == EmpfaengerArt.KOMMUNE
            and not daten.get("empfaenger_kommune")
            and "empfaenger_kommune" not in self.errors
        ):
            self.add_error("empfaenger_kommune", _("Bitte die Empfänger-Kommune wählen."))
        if (
            art == EmpfaengerArt.VERBUND
            and not daten.get("empfaenger_verbund")
            and "empfaenger_verbund" not in self.errors
        ):
            self.add_error("empfaenger_verbund", _("Bitte den Empfänger-Verbund wählen."))
        ab, bis = daten.get("gueltig_ab"), daten.get("gueltig_bis")
        if ab and bis and bis < ab:
            self.add_error("gueltig_bis", _("„Gültig bis“ darf nicht vor „gültig ab“ liegen."))
        return daten

    def service_argumente(self) -> dict:
        """Keyword arguments for kommunen.services.freigabe_beantragen (form must be valid)."""
        d = self.cleaned_data
        art = d["empfaenger_art"]
        return {
            "empfaenger_art": art,
            "empfaenger_kommune": d["empfaenger_kommune"] if art == EmpfaengerArt.KOMMUNE else None,
            "empfaenger_verbund": d["empfaenger_verbund"] if art == EmpfaengerArt.VERBUND else None,
            "umfang": d["umfang"],
            "rechtsgrundlage": d.get("rechtsgrundlage", ""),
            "auflagen": d.get("auflagen", ""),
            "art26_vereinbarung": d.get("art26_vereinbarung", ""),
            "uebermittlungsgrundlage": d.get("uebermittlungsgrundlage", ""),
            "empfaenger_zweck": d.get("empfaenger_zweck", ""),
            "zweckvereinbarkeit": d.get("zweckvereinbarkeit", ""),
            "gueltig_ab": d.get("gueltig_ab"),
            "gueltig_bis": d.get("gueltig_bis"),
            "weitergabe_erlaubt": d.get("weitergabe_erlaubt", False),
        }

    def regelpruefung(self, by) -> list[rules.Verstoss] | None:
        """The rule check of the proposal as entered so far; None while recipient or scope
        are missing. Runs on an unsaved Freigabe, as the service will."""
        if not self.is_bound:
            return None
        self.is_valid()  # fills cleaned_data; errors are shown beside the fields
        d = getattr(self, "cleaned_data", {})
        art, umfang = d.get("empfaenger_art"), d.get("umfang")
        if not art or not umfang:
            return None
        ab = d.get("gueltig_ab") or timezone.localdate()
        entwurf = Freigabe(
            eigentuemer_id=self.objekt.kommune_id,
            empfaenger_art=art,
            empfaenger_kommune=d.get("empfaenger_kommune")
            if art == EmpfaengerArt.KOMMUNE
            else None,
            empfaenger_verbund=d.get("empfaenger_verbund")
            if art == EmpfaengerArt.VERBUND
            else None,
            umfang=umfang,
            gueltig_ab=ab,
            # The service fills an empty end date with the default, so the check does too.
            gueltig_bis=d.get("gueltig_bis")
            or standard_gueltig_bis(ab, loeschdatum=self.objekt.loeschdatum),
            weitergabe_erlaubt=d.get("weitergabe_erlaubt", False),
            art26_vereinbarung=d.get("art26_vereinbarung", ""),
            uebermittlungsgrundlage=d.get("uebermittlungsgrundlage", ""),
            empfaenger_zweck=d.get("empfaenger_zweck", ""),
            zweckvereinbarkeit=d.get("zweckvereinbarkeit", ""),
            beantragt_von=by,
        )
        return rules.check(entwurf, self.objekt, entwurf.umstaende(self.objekt))


# Date inputs of the shareable objects' forms.
DATUM = {"type": "date"}


class FreigebbarForm(RechtlichesMixin, FeldfehlerMixin, forms.ModelForm):
    """Common part of the project and result forms: the legal fieldsets, VS-NfD contact."""

    def __init__(self, *args, mit_rechtlichem: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the owner Kommune answers for the legal metadata; co-editing partners
        # (Freigabe with scope "Mitarbeit") edit the description only.
        if not mit_rechtlichem:
            for name in RECHTLICHE_FELDER:
                self.fields.pop(name, None)
        self.rechtliches_vorbereiten()

    def clean(self):
        daten = super().clean()
        self._verlaengerung_pruefen(daten)
        if (
            daten.get("einstufung") == Einstufung.VS_NFD
            and "vsnfd_ansprechstelle" in self.fields
            and not (daten.get("vsnfd_ansprechstelle") or "").strip()
        ):
            self.add_error(
                "vsnfd_ansprechstelle",
                _(
                    "Bei VS-NfD bitte angeben, wo die Unterlagen angefragt werden können: "
                    "Sie werden hier nicht gespeichert (VSNFD-1)."
                ),
            )
        return daten

    def _verlaengerung_pruefen(self, daten: dict) -> None:
        """LOESCH-1: a later (or no) Löschdatum on personal data needs a new reason. The
        service refuses it too; here the message sits at the field."""
        if self.instance.pk is None or "loeschdatum" not in self.fields:
            return
        if "loeschdatum" in self.errors or "loeschdatum_begruendung" in self.errors:
            return
        probe = copy.copy(self.instance)
        for name in ("loeschdatum", "loeschdatum_begruendung", "personenbezug"):
            if name in daten:
                setattr(probe, name, daten[name])
        if probe.verlaengerung_unbegruendet(self.instance):
            self.add_error("loeschdatum_begruendung", VERLAENGERUNG_OHNE_BEGRUENDUNG)

    def service_felder(self) -> dict:
        """The cleaned model fields for the services, without the many-to-many ones."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in self.fields and k not in self.M2M_FELDER
        }

    M2M_FELDER: tuple[str, ...] = ()
