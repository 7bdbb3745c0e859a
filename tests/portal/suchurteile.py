"""Judged search queries over the demo content, and how one answer of the search page is judged.

Each query is what a public servant would type into `/suche/?q=`, who types it, and what a
good answer contains: titles that must be among the hits (most within the first ten), titles
that must not be, and for a typo the word the page should suggest. The truth comes from the
demo's sharing story (portal/demo_inhalt.py), not from what any version of the search does:

- Shared with the Verbund, documents downloadable by all three cities: Machbarkeitsstudie
  E-Akte, Beschlussvorlage Glasfaser; all projects except Registermodernisierung (Augsburg
  only). Public: Open-Data-Portal and Leitfaden Open Data, nothing else.
- Seen without the documents (metadata only): Prozessanalyse Digitaler Bauantrag by München
  and Augsburg (a document added after sharing, VERSION-1); Konzept Online-Beteiligungsplattform
  by München (Augsburg's access request was granted); Konzept KI-gestützte Postverteilung by
  Nürnberg and München; Sicherheitskonzept Digitaler Zwilling and Evaluation digitaler
  Wohngeldantrag by Nürnberg only.
- Shared with one city: Evaluation der KI-Auskunft (Augsburg), Vergabevermerk WLAN (Augsburg).
- Seen by the owner only (refused, rejected, revoked, expired, suspended or never shared):
  every other result.

`leck` names what must never be found by that user, because the user may not see the
result at all or because the query's word stands only in a document the user may not
download; `leck_vorschlag` is a suggestion that would betray a word of such a result. These
are judged without tolerance. `nur_postgres` marks the few queries the simpler SQLite search
of the demo need not answer: typo suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Demo users: "<kommune>-<rolle>"; None searches without logging in.
NUE = "nuernberg-mitarbeit"
AUG = "augsburg-mitarbeit"
MUC = "muenchen-mitarbeit"
MUC_ADMIN = "muenchen-admin"
AUG_HERAUSGABE = "augsburg-herausgabe"
ANONYM = None

# Titles, as in portal/demo_inhalt.py.
P_EAKTE = "E-Akte für die Stadtverwaltung"
P_KI = "KI im Bürgerservice"
P_ZWILLING = "Digitaler Zwilling München"
P_OPENDATA = "Open-Data-Portal"
P_BAUANTRAG = "Digitaler Bauantrag"
P_WLAN = "WLAN an Schulen"
P_BETEILIGUNG = "Bürgerbeteiligung online"
P_POSTEINGANG = "Digitaler Posteingang"
P_SENSORIK = "Smart-City-Sensorik"
P_REGISTER = "Registermodernisierung im Bürgeramt"

E_MACHBARKEIT = "Machbarkeitsstudie E-Akte: Migration der Altakten"
E_KI_EVAL = "Evaluation des Pilotbetriebs der KI-Auskunft"
E_SICHERHEIT = "Sicherheitskonzept Digitaler Zwilling (kritische Infrastruktur)"
E_LF_OPENDATA = "Leitfaden Open Data: Datensätze veröffentlichen"
E_SPRACHMODELLE = "Marktanalyse KI-Sprachmodelle für Verwaltungen"
E_PROZESS = "Prozessanalyse Digitaler Bauantrag"
E_VERGABE_WLAN = "Vergabevermerk WLAN an Schulen (geschwärzt)"
E_KONZEPT_BET = "Konzept Online-Beteiligungsplattform"
E_EVAL_BET = "Evaluation der Beteiligungsverfahren 2025"
E_STUDIE_POST = "Studie digitaler Posteingang: Scanstelle und Klassifikation"
E_SCHULNETZ = "Gutachten IT-Sicherheit im Schulnetz"
E_FORMULARE = "Leitfaden barrierefreie Onlineformulare"
E_SENSORIK = "Bericht Smart-City-Sensorik: Betrieb und Kosten"
E_POSTVERTEILUNG = "Konzept KI-gestützte Postverteilung"
E_ORDNUNGSDIENST = "Auswertung Anzeigen des Kommunalen Ordnungsdienstes"
E_WOHNGELD = "Evaluation digitaler Wohngeldantrag"
E_BEFRAGUNG = "Befragung zur Zufriedenheit mit Online-Diensten"
E_BARRIEREFREI = "Gutachten Barrierefreiheit des Stadtportals"
E_GLASFASER = "Beschlussvorlage Glasfaser für Gewerbegebiete"
E_GRUNDSTUECK = "Verhandlungsstand Grundstückstausch Rechenzentrum"
E_DMS = "Leistungsbeschreibung Dokumentenmanagementsystem"
E_BELEUCHTUNG = "Pilotbericht smarte Straßenbeleuchtung"
E_TERMINE = "Auswertung der Online-Terminbuchung im Bürgeramt"

KLASSEN = (
    "flexion",  # inflected forms, singular/plural, Latin plurals
    "umschrift",  # ae/oe/ue/ss typed for ä/ö/ü/ß, or the umlaut left out
    "kompositum",  # a word that stands only inside a compound
    "tippfehler",  # a typo: the page suggests the right word and searches it
    "oder",  # `oder` / `OR`
    "ausschluss",  # `-wort`
    "phrase",  # "a phrase"
    "kommune",  # a city's name finds that city's content
    "thema",  # Themen and Initiativen
    "art",  # the Art of a result (Studie, Gutachten, ...)
    "rangfolge",  # title > summary > description > document text
    "leck",  # what a user may not see or download never finds a result
)


@dataclass(frozen=True)
class Urteil:
    klasse: str
    q: str
    user: str | None
    muss: tuple[str, ...] = ()  # among the first `rang` hits
    rang: int = 10
    nicht: tuple[str, ...] = ()  # not among the hits (an ordinary exclusion)
    leck: tuple[str, ...] = ()  # never among the hits: not visible, or only in a locked document
    reihenfolge: tuple[str, ...] = ()  # all among the hits, each ranked above the next
    vorschlag: str | None = None  # the word "Meinten Sie …?" must offer
    leck_vorschlag: str | None = None  # a suggestion that would betray a hidden result
    nur_postgres: bool = False
    warum: str = ""


U = Urteil

URTEILE: list[Urteil] = [
    # --- flexion -------------------------------------------------------------------------------
    U("flexion", "Bauanträge", MUC, muss=(P_BAUANTRAG, E_PROZESS), warum="Plural mit Umlaut"),
    U(
        "flexion",
        "Datensatz",
        ANONYM,
        muss=(E_LF_OPENDATA, P_OPENDATA),
        warum="Singular zu „Datensätze“",
    ),
    U(
        "flexion",
        "Rechenzentren",
        MUC,
        muss=(E_GRUNDSTUECK, E_SPRACHMODELLE),
        warum="lateinischer Plural zu „Rechenzentrum“",
    ),
    U(
        "flexion",
        "Wertungskriterium",
        AUG,
        muss=(E_VERGABE_WLAN,),
        warum="lateinischer Singular zu „Wertungskriterien“",
    ),
    U("flexion", "Medienbruch", AUG, muss=(E_PROZESS,), warum="Singular zu „Medienbrüche“"),
    U(
        "flexion",
        "Sensor",
        NUE,
        muss=(P_SENSORIK,),
        leck=(E_SENSORIK,),
        warum="Singular zu „Sensoren“; der Bericht ist ausgesetzt",
    ),
    U(
        "flexion",
        "Ideenwettbewerb",
        MUC,
        muss=(P_BETEILIGUNG,),
        leck=(E_KONZEPT_BET,),
        warum="Singular zu „Ideenwettbewerbe“; im Konzept steht es nur im PDF",
    ),
    U(
        "flexion",
        "Wohngeldanträge",
        NUE,
        muss=(E_WOHNGELD,),
        warum="Plural zum Titelwort „Wohngeldantrag“",
    ),
    U(
        "flexion",
        "Ausfallrate",
        MUC_ADMIN,
        muss=(E_BELEUCHTUNG,),
        leck=(E_SENSORIK,),
        warum="Singular zu „Ausfallraten“",
    ),
    # --- umschrift -----------------------------------------------------------------------------
    U("umschrift", "Buergerbeteiligung", AUG, muss=(P_BETEILIGUNG,)),
    U("umschrift", "Strassenbeleuchtung", MUC, muss=(E_BELEUCHTUNG,)),
    U("umschrift", "geschwaerzt", AUG, muss=(E_VERGABE_WLAN,)),
    U("umschrift", "Grundstueckstausch", MUC_ADMIN, muss=(E_GRUNDSTUECK,)),
    U(
        "umschrift",
        "Muenchen",
        AUG,
        muss=(P_ZWILLING, P_EAKTE),
        leck=(E_SPRACHMODELLE, E_BELEUCHTUNG),
        warum="Stadtname in ASCII",
    ),
    U("umschrift", "Datensaetze", ANONYM, muss=(E_LF_OPENDATA, P_OPENDATA)),
    U(
        "umschrift",
        "Burgeramt",
        NUE,
        muss=(E_TERMINE,),
        leck=(P_REGISTER,),
        warum="Umlaut ohne Punkte getippt",
    ),
    U("umschrift", "Massnahmen", MUC, muss=(E_SICHERHEIT,)),
    # --- kompositum ----------------------------------------------------------------------------
    U("kompositum", "Beleuchtung", MUC, muss=(E_BELEUCHTUNG,), warum="in „Straßenbeleuchtung“"),
    U(
        "kompositum",
        "Antrag",
        NUE,
        muss=(P_BAUANTRAG, E_WOHNGELD, E_PROZESS),
        warum="in „Bauantrag“ und „Wohngeldantrag“",
    ),
    U(
        "kompositum",
        "Plattform",
        MUC,
        muss=(E_KONZEPT_BET, P_SENSORIK),
        warum="in „Beteiligungsplattform“ und „Datenplattform“",
    ),
    U(
        "kompositum",
        "Modell",
        NUE,
        muss=(P_ZWILLING, E_POSTVERTEILUNG),
        leck=(E_SPRACHMODELLE,),
        warum="in „Stadtmodell“, „Gebäudemodelle“, „Modellbetrieb“",
    ),
    U(
        "kompositum",
        "Vergabe",
        AUG,
        muss=(E_VERGABE_WLAN,),
        leck=(E_DMS,),
        warum="in „Vergabevermerk“; die Leistungsbeschreibung bleibt in Nürnberg",
    ),
    U("kompositum", "Gewerbe", NUE, muss=(E_GLASFASER,), warum="in „Gewerbegebiete“"),
    U(
        "kompositum",
        "Sicherheit",
        MUC,
        muss=(E_SICHERHEIT,),
        leck=(E_SCHULNETZ,),
        warum="in „Sicherheitskonzept“",
    ),
    U(
        "kompositum",
        "Geheimnis",
        NUE,
        muss=(E_WOHNGELD,),
        leck=(E_BELEUCHTUNG,),
        warum="in „Sozialgeheimnis“; die „Betriebsgeheimnisse“ stehen bei München",
    ),
    # --- tippfehler (PostgreSQL only: the suggestion) ------------------------------------------
    U(
        "tippfehler",
        "Bauantarg",
        MUC,
        muss=(P_BAUANTRAG, E_PROZESS),
        vorschlag="Bauantrag",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Beteilgungsplattform",
        AUG,
        muss=(E_KONZEPT_BET, P_BETEILIGUNG),
        vorschlag="Beteiligungsplattform",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Posteingnag",
        NUE,
        muss=(P_POSTEINGANG,),
        leck=(E_STUDIE_POST,),
        vorschlag="Posteingang",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Glasfasser",
        MUC,
        muss=(E_GLASFASER,),
        vorschlag="Glasfaser",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Machbarkeitstudie",
        NUE,
        muss=(E_MACHBARKEIT,),
        vorschlag="Machbarkeitsstudie",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Zwiling",
        AUG,
        muss=(P_ZWILLING,),
        leck=(E_SICHERHEIT,),
        vorschlag="Zwilling",
        nur_postgres=True,
    ),
    U(
        "tippfehler",
        "Wohngeldantarg",
        NUE,
        muss=(E_WOHNGELD,),
        vorschlag="Wohngeldantrag",
        nur_postgres=True,
    ),
    # --- oder ----------------------------------------------------------------------------------
    U("oder", "Glasfaser oder WLAN", AUG, muss=(E_GLASFASER, P_WLAN, E_VERGABE_WLAN)),
    U(
        "oder",
        "Zwilling OR Sensorik",
        NUE,
        muss=(P_ZWILLING, P_SENSORIK, E_SICHERHEIT),
        leck=(E_SENSORIK,),
    ),
    U("oder", "Wohngeldantrag oder Bauantrag", NUE, muss=(E_WOHNGELD, P_BAUANTRAG, E_PROZESS)),
    U(
        "oder",
        "E-Akte oder Posteingang",
        MUC,
        muss=(P_EAKTE, E_MACHBARKEIT, P_POSTEINGANG),
        leck=(E_STUDIE_POST,),
    ),
    U(
        "oder",
        "Open Data oder Geodaten",
        ANONYM,
        muss=(E_LF_OPENDATA, P_OPENDATA),
        leck=(P_ZWILLING, P_SENSORIK),
    ),
    U(
        "oder",
        "Leitfaden OR Gutachten",
        AUG,
        muss=(E_FORMULARE, E_LF_OPENDATA, E_SCHULNETZ),
        leck=(E_BARRIEREFREI, E_SPRACHMODELLE),
    ),
    # --- ausschluss ----------------------------------------------------------------------------
    U(
        "ausschluss",
        "Digitaler -Bauantrag",
        AUG,
        muss=(P_POSTEINGANG, P_ZWILLING),
        nicht=(P_BAUANTRAG, E_PROZESS),
    ),
    U(
        "ausschluss",
        "KI -Posteingang",
        AUG,
        muss=(P_KI, E_KI_EVAL),
        nicht=(P_POSTEINGANG, E_POSTVERTEILUNG, E_STUDIE_POST),
        warum="„Posteingangs“ im Konzept ist dasselbe Wort",
    ),
    U(
        "ausschluss",
        "Posteingang -KI",
        AUG,
        muss=(E_STUDIE_POST,),
        nicht=(P_POSTEINGANG, E_POSTVERTEILUNG),
        warum="-KI schließt „KI-gestützt“ und „KI-Unterstützung“ aus",
    ),
    U(
        "ausschluss",
        "Open Data -Leitfaden",
        NUE,
        muss=(P_OPENDATA, P_SENSORIK),
        nicht=(E_LF_OPENDATA,),
    ),
    U("ausschluss", "WLAN -geschwärzt", AUG, muss=(P_WLAN,), nicht=(E_VERGABE_WLAN,)),
    U("ausschluss", "Akte -Migration", NUE, muss=(P_EAKTE,), nicht=(E_MACHBARKEIT,)),
    U(
        "ausschluss",
        "Gutachten -Barrierefreiheit",
        MUC,
        muss=(E_SPRACHMODELLE,),
        nicht=(E_BARRIEREFREI,),
        warum="die Marktanalyse ist der Art nach ein Gutachten",
    ),
    # --- phrase --------------------------------------------------------------------------------
    U(
        "phrase",
        '"elektronische Akte"',
        AUG,
        muss=(P_EAKTE,),
        nicht=(P_POSTEINGANG,),
        warum="der Posteingang hat „elektronisch“ und „E-Akte“, nicht nebeneinander",
    ),
    U(
        "phrase",
        '"Scanstelle und Klassifikation"',
        AUG,
        muss=(E_STUDIE_POST,),
        nicht=(P_POSTEINGANG,),
        warum="im Projekt stehen beide Wörter in verschiedenen Sätzen",
    ),
    U(
        "phrase",
        '"Einer für Alle"',
        NUE,
        muss=(P_BAUANTRAG, P_KI),
        nicht=(P_WLAN,),
        leck=(P_REGISTER,),
        warum="Initiative aus lauter Stoppwörtern; „Alle städtischen Schulen“ ist keine",
    ),
    U("phrase", '"Datenlizenz Deutschland"', ANONYM, muss=(P_OPENDATA, E_LF_OPENDATA)),
    U(
        "phrase",
        '"kritische Infrastruktur"',
        NUE,
        muss=(E_SICHERHEIT,),
        nicht=(P_WLAN, P_SENSORIK),
        warum="WLAN und Sensorik haben nur das Thema IT-Infrastruktur",
    ),
    U(
        "phrase",
        '"hybride Aktenführung"',
        NUE,
        muss=(E_MACHBARKEIT,),
        warum="steht nur im PDF, das Nürnberg laden darf",
    ),
    # --- kommune -------------------------------------------------------------------------------
    U(
        "kommune",
        "Augsburg",
        NUE,
        muss=(P_POSTEINGANG, P_SENSORIK, E_GLASFASER, E_POSTVERTEILUNG, E_WOHNGELD),
        leck=(P_REGISTER, E_STUDIE_POST, E_SENSORIK, E_SCHULNETZ),
    ),
    U(
        "kommune",
        "München",
        AUG,
        muss=(P_ZWILLING, P_EAKTE, P_KI, P_OPENDATA, E_MACHBARKEIT, E_KI_EVAL, E_LF_OPENDATA),
        leck=(E_SPRACHMODELLE, E_BELEUCHTUNG, E_SICHERHEIT, E_BARRIEREFREI, E_GRUNDSTUECK),
    ),
    U(
        "kommune",
        "Nürnberger Bauantrag",
        MUC,
        muss=(P_BAUANTRAG, E_PROZESS),
        warum="Adjektiv zum Stadtnamen",
    ),
    U(
        "kommune",
        "Augsburg Studie",
        AUG,
        muss=(E_STUDIE_POST,),
        nicht=(E_MACHBARKEIT,),
        warum="die Machbarkeitsstudie ist aus München",
    ),
    U(
        "kommune",
        "München Leitfaden",
        ANONYM,
        muss=(E_LF_OPENDATA,),
        leck=(E_FORMULARE,),
    ),
    U(
        "kommune",
        "Nürnberg Evaluation",
        NUE,
        muss=(E_EVAL_BET, E_BEFRAGUNG, E_ORDNUNGSDIENST, E_TERMINE),
        nicht=(E_WOHNGELD,),
        leck=(E_KI_EVAL,),
        warum="die Wohngeld-Evaluation ist aus Augsburg",
    ),
    # --- thema (Themen und Initiativen) --------------------------------------------------------
    U("thema", "Künstliche Intelligenz", AUG, muss=(P_KI, P_POSTEINGANG)),
    U("thema", "Geodaten", NUE, muss=(P_ZWILLING,)),
    U("thema", "Bildung", AUG, muss=(P_WLAN,)),
    U(
        "thema",
        "Dokumentenmanagement",
        MUC,
        muss=(P_EAKTE, P_POSTEINGANG),
        leck=(E_DMS,),
    ),
    U(
        "thema",
        "Modellprojekte Smart Cities",
        NUE,
        muss=(P_BETEILIGUNG, P_ZWILLING, P_SENSORIK),
        warum="Initiative; bei der Bürgerbeteiligung steht sie nur dort",
    ),
    U(
        "thema",
        "BayernPortal",
        NUE,
        muss=(P_KI, P_BAUANTRAG),
        warum="Initiative; beim Bauantrag steht sie nur dort",
    ),
    U("thema", "OZG", NUE, muss=(P_BAUANTRAG, P_KI), leck=(P_REGISTER,)),
    # --- art -----------------------------------------------------------------------------------
    U(
        "art",
        "Gutachten",
        MUC,
        muss=(E_SPRACHMODELLE, E_BARRIEREFREI),
        leck=(E_SCHULNETZ,),
    ),
    U(
        "art",
        "Konzept",
        AUG,
        muss=(E_POSTVERTEILUNG, E_KONZEPT_BET, E_GLASFASER),
        leck=(E_SICHERHEIT, E_DMS),
    ),
    U(
        "art",
        "Evaluation",
        NUE,
        muss=(E_BEFRAGUNG, E_ORDNUNGSDIENST, E_EVAL_BET, E_WOHNGELD, E_TERMINE),
        leck=(E_KI_EVAL, E_BELEUCHTUNG),
    ),
    U("art", "Studien", NUE, muss=(E_MACHBARKEIT,), leck=(E_STUDIE_POST,)),
    U("art", "Leitfäden", ANONYM, muss=(E_LF_OPENDATA,), leck=(E_FORMULARE,)),
    U(
        "art",
        "Evaluation Straßenbeleuchtung",
        MUC,
        muss=(E_BELEUCHTUNG,),
        warum="Art und Titelwort",
    ),
    # --- rangfolge -----------------------------------------------------------------------------
    U(
        "rangfolge",
        "Beteiligungsplattform",
        AUG,
        reihenfolge=(E_KONZEPT_BET, P_BETEILIGUNG, P_BAUANTRAG),
        warum="Titel vor Zusammenfassung vor Beschreibung",
    ),
    U(
        "rangfolge",
        "Scanstelle",
        AUG,
        reihenfolge=(E_STUDIE_POST, P_POSTEINGANG),
        warum="Titel vor Beschreibung",
    ),
    U(
        "rangfolge",
        "XBau",
        AUG,
        reihenfolge=(E_PROZESS, P_BAUANTRAG),
        warum="Zusammenfassung vor Beschreibung",
    ),
    U(
        "rangfolge",
        "Open Data",
        NUE,
        muss=(P_OPENDATA, E_LF_OPENDATA),
        rang=2,
        reihenfolge=(E_LF_OPENDATA, P_SENSORIK),
        warum="Titel vor Beschreibung und Thema",
    ),
    U(
        "rangfolge",
        "pseudonymisiert",
        AUG,
        reihenfolge=(E_KI_EVAL, P_KI),
        warum="Zusammenfassung vor Beschreibung",
    ),
    U(
        "rangfolge",
        "Bearbeitungszeit",
        NUE,
        reihenfolge=(E_ORDNUNGSDIENST, E_PROZESS),
        warum="Zusammenfassung vor Dokumenttext",
    ),
    # --- leck ----------------------------------------------------------------------------------
    U(
        "leck",
        "Moderationsrichtlinie",
        MUC,
        leck=(E_KONZEPT_BET,),
        warum="nur im PDF; München sieht nur die Metadaten",
    ),
    U(
        "leck",
        "Moderationsrichtlinie",
        AUG,
        muss=(E_KONZEPT_BET,),
        warum="Gegenprobe: Augsburgs Zugangsanfrage ist genehmigt",
    ),
    U(
        "leck",
        "Konfidenz",
        NUE,
        leck=(E_POSTVERTEILUNG,),
        warum="nur im PDF; Nürnbergs Zugangsanfrage ist offen",
    ),
    U(
        "leck",
        "gestempelt",
        AUG,
        leck=(E_PROZESS,),
        warum="nur im PDF; nach der neuen Fassung zurückgehalten (VERSION-1)",
    ),
    U("leck", "gestempelt", NUE, muss=(E_PROZESS,), warum="Gegenprobe: eigenes Ergebnis"),
    U("leck", "Regalmeter", ANONYM, leck=(E_MACHBARKEIT,), warum="nur für den Verbund"),
    U("leck", "Batterien", MUC, leck=(E_SENSORIK,), warum="Freigabe ausgesetzt (GREMIUM-1)"),
    U(
        "leck",
        "Wertungskriterien",
        MUC,
        leck=(E_VERGABE_WLAN,),
        warum="nur an Augsburg freigegeben",
    ),
    U(
        "leck",
        "Werktage",
        MUC_ADMIN,
        leck=(E_TERMINE,),
        warum="Freigabe an München ausgesetzt (LOESCH-1)",
    ),
    U(
        "leck",
        "Sozialgeheimnis",
        MUC,
        leck=(E_WOHNGELD,),
        warum="nur an Nürnberg freigegeben",
    ),
    U(
        "leck",
        "Nürnberg",
        ANONYM,
        leck=(P_BAUANTRAG, P_WLAN, P_BETEILIGUNG),
        warum="nichts aus Nürnberg ist öffentlich",
    ),
    U(
        "leck",
        "Dienstgebrauch",
        AUG,
        leck=(E_SICHERHEIT,),
        warum="VS-NfD, nur an Nürnberg freigegeben",
    ),
    U(
        "leck",
        "Grundstückstasch",
        AUG,
        leck=(E_GRUNDSTUECK,),
        leck_vorschlag="Grundstückstausch",
        warum="kein Vorschlag aus einem Titel, den Augsburg nicht sieht",
    ),
    U(
        "leck",
        "Straßenbeleuchtng",
        NUE,
        leck=(E_BELEUCHTUNG,),
        leck_vorschlag="Straßenbeleuchtung",
        warum="kein Vorschlag aus einem Titel, den Nürnberg nicht sieht",
    ),
    U(
        "leck",
        "Bearbeitungszeit",
        AUG_HERAUSGABE,
        leck=(E_PROZESS, E_ORDNUNGSDIENST),
        warum="nur in Nürnbergs zurückgehaltenem PDF und einem nicht geteilten Ergebnis",
    ),
]


# --- judging -----------------------------------------------------------------------------------


def gefaltet(text: str) -> str:
    """Lower case, ß as ss, umlauts as their base vowel: for comparing suggestions."""
    text = text.casefold().replace("ß", "ss")
    for umlaut, ersatz in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ae", "a"), ("oe", "o")):
        text = text.replace(umlaut, ersatz)
    return text.replace("ue", "u")


def _vorschlag_text(vorschlag) -> str:
    """The suggestion as text, whatever shape the page gives it (text, dict or object)."""
    if vorschlag is None:
        return ""
    if isinstance(vorschlag, str):
        return vorschlag
    if isinstance(vorschlag, dict):
        for key in ("q", "text", "wort", "anfrage"):
            if key in vorschlag:
                return str(vorschlag[key])
    for attr in ("q", "text", "wort", "anfrage"):
        if isinstance(getattr(vorschlag, attr, None), str):
            return getattr(vorschlag, attr)
    return str(vorschlag)


def _enthaelt_wort(text: str, wort: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(gefaltet(wort))}(?!\w)", gefaltet(text)) is not None


def _trefferliste(client, q: str) -> tuple[list[str], str, list[str]]:
    """All hit titles in page order, the suggestion, and problems (a status other than 200)."""
    titel: list[str] = []
    vorschlag = ""
    fehler: list[str] = []
    seite = 1
    while True:
        params = {"q": q} if seite == 1 else {"q": q, "seite": seite}
        antwort = client.get("/suche/", params)
        if antwort.status_code != 200:
            fehler.append(f"Status {antwort.status_code} für {q!r}")
            break
        kontext = antwort.context
        if seite == 1:
            vorschlag = _vorschlag_text(kontext.get("vorschlag"))
        titel += [t.objekt.titel for t in kontext.get("treffer") or []]
        page = kontext.get("page")
        if page is None or not page.has_next() or seite >= 10:
            break
        seite += 1
    return titel, vorschlag, fehler


def beurteilen(urteil: Urteil, client) -> dict:
    """Run one query through the search page and judge the answer.

    Returns a dict (JSON-serialisable): `ok` (everything right), `leck_ok` (the leak part
    right), the reasons of failure and the first hits. A page that offers a suggestion and
    shows no hits for the query itself is judged by the hits of the suggestion as well: the
    page may search it at once or link to it.
    """
    titel, vorschlag, gruende = _trefferliste(client, urteil.q)
    alle = list(titel)
    if vorschlag and not titel and gefaltet(vorschlag) != gefaltet(urteil.q):
        titel, _, fehler = _trefferliste(client, vorschlag)
        gruende += fehler
        alle += titel
    lecks: list[str] = []

    for t in urteil.muss:
        if t not in titel:
            gruende.append(f"fehlt: {t}")
        elif titel.index(t) >= urteil.rang:
            gruende.append(f"erst auf Platz {titel.index(t) + 1} (> {urteil.rang}): {t}")
    for t in urteil.nicht:
        if t in alle:
            gruende.append(f"ausgeschlossen, aber gefunden: {t}")
    vorher = -1
    for t in urteil.reihenfolge:
        if t not in titel:
            gruende.append(f"fehlt (Reihenfolge): {t}")
            continue
        platz = titel.index(t)
        if platz < vorher:
            gruende.append(f"zu weit oben (Platz {platz + 1}): {t}")
        vorher = max(vorher, platz)
    if urteil.vorschlag is not None and not _enthaelt_wort(vorschlag, urteil.vorschlag):
        gruende.append(f"Vorschlag {vorschlag or '(keiner)'!r} statt {urteil.vorschlag!r}")
    for t in urteil.leck:
        if t in alle:
            lecks.append(f"LECK: {t}")
    if urteil.leck_vorschlag and _enthaelt_wort(vorschlag, urteil.leck_vorschlag):
        lecks.append(f"LECK im Vorschlag: {vorschlag!r}")
    return {
        "klasse": urteil.klasse,
        "q": urteil.q,
        "user": urteil.user or "anonym",
        "ok": not gruende and not lecks,
        "leck_pruefung": bool(urteil.leck or urteil.leck_vorschlag),
        "leck_ok": not lecks,
        "gruende": gruende + lecks,
        "treffer": alle[:10],
        "vorschlag": vorschlag,
    }


def alle_beurteilen(*, postgres: bool) -> list[dict]:
    """Judge every query with a test client per user (logged in; None: anonymous)."""
    from django.test import Client

    from kommunen.models import Benutzer

    clients: dict = {}

    def client_fuer(username):
        if username not in clients:
            client = Client()
            if username:
                client.force_login(Benutzer.objects.get(username=username))
            clients[username] = client
        return clients[username]

    return [beurteilen(u, client_fuer(u.user)) for u in URTEILE if postgres or not u.nur_postgres]


def tabelle(ergebnisse: list[dict]) -> str:
    """The failed queries as a plain-text table: class, user, query, why."""
    zeilen = [f"{'Klasse':<11} {'Benutzer':<20} {'Anfrage':<34} Warum"]
    for e in ergebnisse:
        if e["ok"]:
            continue
        treffer = ", ".join(e["treffer"][:5]) or "(keine Treffer)"
        zeilen.append(
            f"{e['klasse']:<11} {e['user']:<20} {e['q']:<34} "
            + "; ".join(e["gruende"])
            + f"  [Treffer: {treffer}]"
        )
    return "\n".join(zeilen)


def auswertung(ergebnisse: list[dict]) -> tuple[float, int, int, list[dict]]:
    """(share answered right, leak checks, leak checks failed, failed leak checks)."""
    richtig = sum(e["ok"] for e in ergebnisse) / len(ergebnisse)
    lecks = [e for e in ergebnisse if e["leck_pruefung"]]
    offen = [e for e in lecks if not e["leck_ok"]]
    return richtig, len(lecks), len(offen), offen
