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


PERSONENBEZOGEN = {
    Personenbezug.PSEUDONYMISIERT,
    Personenbezug.PERSONENBEZOGEN,
    Personenbezug.BESONDERE_KATEGORIEN,
}


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
    "nutzungsrechte",
    "lizenz",
    "quellenvermerk",
    "vergabebezug",
    "geschwaerzt",
    "gremienstatus",
)
