"""The legal vocabulary of sharing: classifications, personal data, rights, procurement,
council status, licences, recipients, scopes and the states of a Freigabe.

A leaf module: it imports nothing of the project, so that `rules.py` (pure law), the models,
the forms and the tests all speak the same words without importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Einstufung(models.TextChoices):
    OFFEN = "offen", _("offen (darf veröffentlicht werden)")
    INTERN = "intern", _("intern")
    VS_NFD = "vs_nfd", _("VS – Nur für den Dienstgebrauch")


class Personenbezug(models.TextChoices):
    KEINER = "keiner", _("kein Personenbezug")
    ANONYMISIERT = "anonymisiert", _("anonymisiert")
    PSEUDONYMISIERT = "pseudonymisiert", _("pseudonymisiert")
    PERSONENBEZOGEN = "personenbezogen", _("personenbezogen")
    BESONDERE_KATEGORIEN = "besondere_kategorien", _("besondere Kategorien (Art. 9 DSGVO)")
    STRAFTATEN = "straftaten", _("strafrechtliche Verurteilungen und Straftaten (Art. 10 DSGVO)")


PERSONENBEZOGEN = {
    Personenbezug.PSEUDONYMISIERT,
    Personenbezug.PERSONENBEZOGEN,
    Personenbezug.BESONDERE_KATEGORIEN,
    Personenbezug.STRAFTATEN,
}


class Einwilligung(models.TextChoices):
    """Whether personal data was collected on consent, and how far that consent reaches."""

    UNBEKANNT = "", _("nicht angegeben")
    KEINE = "keine", _("nicht auf eine Einwilligung gestützt")
    OHNE_WEITERGABE = "ohne_weitergabe", _("Einwilligung, die keine Weitergabe abdeckt")
    MIT_WEITERGABE = (
        "mit_weitergabe",
        _("Einwilligung, die die Weitergabe an andere Kommunen abdeckt"),
    )


class Art9Ausnahme(models.TextChoices):
    """The exception of Art. 9 Abs. 2 DSGVO that allows processing special categories."""

    KEINE = "", _("keine angegeben")
    EINWILLIGUNG = "a", _("lit. a – ausdrückliche Einwilligung")
    ARBEITSRECHT = "b", _("lit. b – Arbeitsrecht und soziale Sicherheit")
    OEFFENTLICHES_INTERESSE = (
        "g",
        _("lit. g – erhebliches öffentliches Interesse (i. V. m. Art. 8 BayDSG)"),
    )
    GESUNDHEITSVORSORGE = "h", _("lit. h – Gesundheitsvorsorge und Versorgung")
    OEFFENTLICHE_GESUNDHEIT = "i", _("lit. i – öffentliche Gesundheit")
    FORSCHUNG = "j", _("lit. j – Archiv, Forschung und Statistik (i. V. m. Art. 25 BayDSG)")


class Uebermittlungsgrundlage(models.TextChoices):
    """The legal basis of passing personal data to another Kommune (the transfer itself)."""

    KEINE = "", _("keine angegeben")
    OEFFENTLICHE_AUFGABE = (
        "aufgabe",
        _(
            "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 5 Abs. 1 BayDSG (Übermittlung an eine "
            "öffentliche Stelle zur Erfüllung ihrer Aufgaben)"
        ),
    )
    AMTSHILFE = "amtshilfe", _("Amtshilfe (Art. 4 ff. BayVwVfG)")
    GEMEINSAME_VERANTWORTUNG = "art26", _("Vereinbarung gemeinsam Verantwortlicher (Art. 26 DSGVO)")
    EINWILLIGUNG = (
        "einwilligung",
        _(
            "Einwilligung der Betroffenen, die diese Weitergabe abdeckt "
            "(Art. 6 Abs. 1 lit. a DSGVO)"
        ),
    )


class Geheimnisschutz(models.TextChoices):
    """Special secrecy regimes that override data-protection law: metadata only."""

    UNGEPRUEFT = "", _("nicht geprüft")
    KEINER = "keiner", _("kein besonderes Amts- oder Berufsgeheimnis")
    SOZIALGEHEIMNIS = "sozialgeheimnis", _("Sozialgeheimnis (§ 35 SGB I, §§ 67 ff. SGB X)")
    STEUERGEHEIMNIS = "steuergeheimnis", _("Steuergeheimnis (§ 30 AO)")
    STATISTIKGEHEIMNIS = (
        "statistikgeheimnis",
        _("Statistikgeheimnis (§ 16 BStatG, Art. 17 BayStatG)"),
    )
    MELDEGEHEIMNIS = "meldegeheimnis", _("Meldegeheimnis (§ 7 BMG)")
    BERUFSGEHEIMNIS = "berufsgeheimnis", _("Berufsgeheimnis (§ 203 StGB)")


class Nutzungsrechte(models.TextChoices):
    EIGENE = "eigene", _("eigene (von Beschäftigten der Stadt erstellt)")
    WEITERGABE = "weitergabe_oeffentliche_stellen", _("Weitergabe an öffentliche Stellen erlaubt")
    UMFASSEND = "umfassend", _("umfassend (auch Veröffentlichung)")
    NUR_INTERN = "nur_intern", _("nur für interne Zwecke")
    UNGEKLAERT = "ungeklaert", _("ungeklärt")


class Vergabebezug(models.TextChoices):
    KEINER = "keiner", _("kein Vergabebezug")
    LEISTUNGSBESCHREIBUNG = "eigene_leistungsbeschreibung", _("eigene Leistungsbeschreibung")
    BIETERUNTERLAGEN = "bieterunterlagen", _("Bieterunterlagen (Angebote, Preise, Wertung)")


class Schwellenwert(models.TextChoices):
    """Whether a procurement lies below or above the EU thresholds (which law governs it)."""

    UNBEKANNT = "", _("nicht angegeben")
    UNTERSCHWELLIG = "unterschwellig", _("unterhalb der EU-Schwellenwerte (UVgO, KommHV)")
    OBERSCHWELLIG = "oberschwellig", _("oberhalb der EU-Schwellenwerte (GWB, VgV)")


class Vergabestand(models.TextChoices):
    """Where the procurement procedure stands: tender documents wait for the award."""

    UNBEKANNT = "", _("nicht angegeben")
    LAUFEND = "laufend", _("Verfahren läuft (noch kein Zuschlag)")
    ZUSCHLAG = "zuschlag", _("Zuschlag erteilt")
    AUFGEHOBEN = "aufgehoben", _("Verfahren aufgehoben oder eingestellt")


class Gremienstatus(models.TextChoices):
    NICHT_BEFASST = "nicht_befasst", _("nicht im Gremium befasst")
    OEFFENTLICH = "oeffentlich_behandelt", _("öffentlich behandelt")
    NICHTOEFFENTLICH = "nichtoeffentlich", _("nichtöffentlich behandelt")


class Lizenz(models.TextChoices):
    KEINE = "", _("keine (alle Rechte vorbehalten)")
    DL_DE_BY = "DL-DE-BY-2.0", "Datenlizenz Deutschland – Namensnennung – 2.0"
    DL_DE_ZERO = "DL-DE-ZERO-2.0", "Datenlizenz Deutschland – Zero – 2.0"
    CC_BY = "CC-BY-4.0", "Creative Commons Namensnennung 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    EUPL = "EUPL-1.2", "European Union Public Licence 1.2"


LIZENZEN_MIT_NAMENSNENNUNG = {Lizenz.DL_DE_BY, Lizenz.CC_BY}

# Where a visitor reads each licence's text, in German where the licensor publishes one.
LIZENZ_URLS = {
    Lizenz.DL_DE_BY: "https://www.govdata.de/dl-de/by-2-0",
    Lizenz.DL_DE_ZERO: "https://www.govdata.de/dl-de/zero-2-0",
    Lizenz.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.de",
    Lizenz.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
    Lizenz.EUPL: "https://eur-lex.europa.eu/legal-content/DE/TXT/?uri=CELEX:32017D0863",
}


class EmpfaengerArt(models.TextChoices):
    KOMMUNE = "kommune", _("Kommune")
    VERBUND = "verbund", _("Verbund")
    OEFFENTLICH = "oeffentlich", _("Öffentlichkeit")


class Umfang(models.TextChoices):
    METADATEN = "metadaten", _("nur Metadaten")
    VOLLSTAENDIG = "vollstaendig", _("vollständig (mit Dokumenten)")
    MITARBEIT = "mitarbeit", _("Mitarbeit (gemeinsam bearbeiten)")


class FreigabeStatus(models.TextChoices):
    BEANTRAGT = "beantragt", _("beantragt")
    ERTEILT = "erteilt", _("erteilt")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    WIDERRUFEN = "widerrufen", _("widerrufen")
    ABGELAUFEN = "abgelaufen", _("abgelaufen")
    AUSGESETZT = "ausgesetzt", _("ausgesetzt")


# A Freigabe in one of these states still stands or may stand again.
FREIGABE_OFFEN = (FreigabeStatus.BEANTRAGT, FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT)


# The legal metadata every shareable object carries (`Freigebbar`): what the rules judge, what a
# change re-checks, what the forms group in fieldsets and what only the owner may edit.
RECHTLICHE_FELDER = (
    "einstufung",
    "vsnfd_ansprechstelle",
    "personenbezug",
    "rechtsgrundlage",
    "zweck",
    "loeschdatum",
    "loeschdatum_begruendung",
    "dsfa_durchgefuehrt",
    "dsfa_referenz",
    "einwilligung",
    "art9_ausnahme",
    "geheimnisschutz",
    "nutzungsrechte",
    "unterlizenz_erlaubt",
    "lizenz",
    "quellenvermerk",
    "vergabebezug",
    "geschwaerzt",
    "schwellenwert",
    "vergabestand",
    "geschaeftsgeheimnisse_dritter",
    "zustimmung_dritter",
    "gremienstatus",
    "geheimhaltung_aufgehoben_am",
    "geheimhaltung_aufgehoben_durch",
)
