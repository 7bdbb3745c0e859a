"""Varied German administrative text for the benchmark, from word lists (seeded, reproducible)."""

from __future__ import annotations

import random

NOMEN = [
    "Verwaltung",
    "Bürgerservice",
    "Rathaus",
    "Stadtrat",
    "Bauantrag",
    "Fachverfahren",
    "Schnittstelle",
    "Plattform",
    "Datenschutz",
    "Informationssicherheit",
    "Rechenzentrum",
    "Breitband",
    "Glasfaser",
    "Mobilfunk",
    "Schule",
    "Kindertagesstätte",
    "Bibliothek",
    "Feuerwehr",
    "Rettungsdienst",
    "Ordnungsamt",
    "Standesamt",
    "Meldewesen",
    "Personalausweis",
    "Gewerbeanmeldung",
    "Wohngeld",
    "Elterngeld",
    "Sozialhilfe",
    "Jugendhilfe",
    "Pflege",
    "Klimaschutz",
    "Energie",
    "Photovoltaik",
    "Wärmeplanung",
    "Mobilität",
    "Radverkehr",
    "Parkraum",
    "Nahverkehr",
    "Verkehrsplanung",
    "Stadtplanung",
    "Bebauungsplan",
    "Liegenschaft",
    "Vermessung",
    "Geodaten",
    "Kataster",
    "Haushalt",
    "Kämmerei",
    "Rechnung",
    "Beschaffung",
    "Vergabe",
    "Ausschreibung",
    "Vertrag",
    "Dienstleister",
    "Fachkräfte",
    "Fortbildung",
    "Qualifizierung",
    "Personalrat",
    "Arbeitsplatz",
    "Telearbeit",
    "Akte",
    "E-Akte",
    "Dokumentenmanagement",
    "Posteingang",
    "Formular",
    "Antrag",
    "Bescheid",
    "Signatur",
    "Identität",
    "Nutzerkonto",
    "Portal",
    "Onlinedienst",
    "Chatbot",
    "Terminvergabe",
    "Statistik",
    "Kennzahl",
    "Dashboard",
    "Sensor",
    "Netz",
    "Infrastruktur",
    "Cloud",
    "Rechenleistung",
    "Software",
    "Lizenz",
    "Quellcode",
    "Betrieb",
    "Wartung",
    "Support",
    "Pilotprojekt",
    "Erprobung",
    "Evaluation",
    "Studie",
    "Gutachten",
    "Konzept",
    "Leitfaden",
    "Strategie",
    "Roadmap",
    "Bürgerbeteiligung",
    "Beteiligung",
    "Workshop",
    "Umfrage",
    "Ergebnis",
    "Bericht",
    "Empfehlung",
    "Maßnahme",
    "Förderung",
    "Fördermittel",
    "Zuschuss",
    "Landkreis",
    "Gemeinde",
    "Bezirk",
    "Zweckverband",
    "Kooperation",
    "Partnerschaft",
    "Wirtschaft",
    "Tourismus",
    "Kultur",
    "Sport",
    "Gesundheit",
    "Umwelt",
    "Wasser",
    "Abwasser",
    "Abfall",
    "Straßenbeleuchtung",
    # „Säule“ only ever as the last part of a compound: the compound-part search.
    "Ladesäule",
    "Litfaßsäule",
    "Notrufsäule",
    "Grünflächen",
    "Friedhof",
    "Sitzung",
    "Gremium",
    "Beschluss",
    "Vorlage",
]

ADJEKTIVE = [
    "digitale",
    "kommunale",
    "städtische",
    "regionale",
    "zentrale",
    "einheitliche",
    "offene",
    "sichere",
    "barrierefreie",
    "nachhaltige",
    "moderne",
    "effiziente",
    "transparente",
    "medienbruchfreie",
    "standardisierte",
    "gemeinsame",
    "interkommunale",
    "landesweite",
    "bundesweite",
    "automatisierte",
    "elektronische",
    "mobile",
    "neue",
    "bisherige",
    "zukünftige",
    "vernetzte",
    "datenbasierte",
    "bürgernahe",
    "schnelle",
    "verlässliche",
]

VERBEN = [
    "verbessert",
    "beschleunigt",
    "vereinfacht",
    "unterstützt",
    "ersetzt",
    "ergänzt",
    "verbindet",
    "entlastet",
    "ermöglicht",
    "erfordert",
    "betrifft",
    "prüft",
    "bewertet",
    "beschreibt",
    "dokumentiert",
    "begleitet",
    "steuert",
    "fördert",
    "stärkt",
    "vereinheitlicht",
    "automatisiert",
    "modernisiert",
    "sichert",
]

PRAEPOSITIONEN = ("in der", "für die", "mit der", "durch die", "bei der", "nach der", "zur")

# Terms a search looks for: a common one, a phrase of moderate frequency, rare words, the last
# part of compounds that never stands alone (NOMEN), and a typo that finds nothing, so that the
# search page looks for a suggestion („Digitalisierung“).
HAEUFIG = "Digitalisierung"
ZWEI_WORTE = "Künstliche Intelligenz"
TEILWORT = "Säule"
TIPPFEHLER = "Digitalisirung"
SELTEN = (
    "Schwammstadtkonzept",
    "Friedwaldsatzung",
    "Trinkwasserampel",
    "Hochwasserpegelsensor",
    "Wildtierkorridor",
    "Glockengeläutverordnung",
    "Maibaumregister",
    "Streuobstkataster",
    "Lawinenwarnsystem",
    "Almweidenverzeichnis",
)
SELTENES_SUCHWORT = SELTEN[0]


class Textgenerator:
    """Sentences from word lists; a pool keeps generation fast while the mix stays varied."""

    def __init__(self, seed: int = 42, pool: int = 6000):
        self.rnd = random.Random(seed)
        self.saetze = [self._satz() for _ in range(pool)]

    def _satz(self) -> str:
        r = self.rnd
        return (
            f"Die {r.choice(ADJEKTIVE)} {r.choice(NOMEN)} {r.choice(VERBEN)} "
            f"{r.choice(PRAEPOSITIONEN)} {r.choice(ADJEKTIVE)} {r.choice(NOMEN)} "
            f"und {r.choice(VERBEN)} die {r.choice(NOMEN)} {r.choice(PRAEPOSITIONEN)} "
            f"{r.choice(NOMEN)}."
        )

    def saetze_text(self, n: int) -> str:
        return " ".join(self.rnd.choices(self.saetze, k=n))

    def titel(self) -> str:
        r = self.rnd
        t = (
            f"{r.choice(ADJEKTIVE).capitalize()} {r.choice(NOMEN)}: "
            f"{r.choice(NOMEN)} und {r.choice(NOMEN)}"
        )
        if r.random() < 0.15:
            t = f"{HAEUFIG} {t}"
        return t[:200]

    def dokument(self, zielzeichen: int = 2000) -> str:
        """About `zielzeichen` characters; 'Digitalisierung' in about a third of them."""
        r = self.rnd
        teile = []
        laenge = 0
        while laenge < zielzeichen:
            s = r.choice(self.saetze)
            teile.append(s)
            laenge += len(s) + 1
        if r.random() < 0.33:
            teile.insert(r.randrange(len(teile)), f"Die {HAEUFIG} der Verwaltung schreitet voran.")
        if r.random() < 0.04:
            teile.insert(r.randrange(len(teile)), f"{ZWEI_WORTE} unterstützt die Sachbearbeitung.")
        if r.random() < 0.01:
            teile.insert(
                r.randrange(len(teile)), f"Geprüft wurde auch das {r.choice(SELTEN)} der Gemeinde."
            )
        return " ".join(teile)
