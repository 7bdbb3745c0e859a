"""The demo's content as data: Themen, Initiativen, projects, results and their sharing story."""

import datetime as dt

THEMEN = [
    ("verwaltungsdigitalisierung", "Verwaltungsdigitalisierung"),
    ("e-akte", "E-Akte und Dokumentenmanagement"),
    ("onlinedienste", "Onlinedienste"),
    ("buergerservice", "Bürgerservice"),
    ("kuenstliche-intelligenz", "Künstliche Intelligenz"),
    ("open-data", "Open Data"),
    ("geodaten", "Geodaten und digitaler Zwilling"),
    ("smart-city", "Smart City"),
    ("bauen", "Bauen und Planen"),
    ("bildung", "Bildung und Schulen"),
    ("infrastruktur", "IT-Infrastruktur"),
    ("beteiligung", "Bürgerbeteiligung"),
    ("informationssicherheit", "Informationssicherheit"),
    ("datenschutz", "Datenschutz"),
]

# The topics' and programmes' names on the English pages.
NAMEN_EN = {
    "verwaltungsdigitalisierung": "Digital administration",
    "e-akte": "E-files and document management",
    "onlinedienste": "Online services",
    "buergerservice": "Citizen services",
    "kuenstliche-intelligenz": "Artificial intelligence",
    "open-data": "Open data",
    "geodaten": "Geodata and digital twin",
    "smart-city": "Smart city",
    "bauen": "Building and planning",
    "bildung": "Education and schools",
    "infrastruktur": "IT infrastructure",
    "beteiligung": "Citizen participation",
    "informationssicherheit": "Information security",
    "datenschutz": "Data protection",
    "ozg-efa": "Online Access Act / One for All (OZG/EfA)",
    "bayernportal": "BayernPortal (Bavaria's administration portal)",
    "bayernid": "BayernID (Bavarian citizen account)",
    "digitalplan-bayern": "Digital Plan Bavaria",
    "registermodernisierung": "Register modernisation",
    "digitalpakt-schule": "Digital Pact for Schools",
    "smart-cities": "Smart Cities model projects",
}

INITIATIVEN = [
    {
        "slug": "ozg-efa",
        "name": "OZG / Einer für Alle (EfA)",
        "ebene": "bund",
        "url": "https://www.digitale-verwaltung.de/",
        "beschreibung": (
            "Das Onlinezugangsgesetz verpflichtet Bund, Länder und Kommunen, Verwaltungs"
            "leistungen auch online anzubieten. Nach dem Prinzip „Einer für Alle“ entwickelt ein "
            "Land einen Onlinedienst, den die anderen nachnutzen. Für Städte heißt das: Statt "
            "selbst zu entwickeln, schließen sie EfA-Dienste (z. B. den digitalen Bauantrag) an "
            "ihre Fachverfahren an und müssen Schnittstellen (XÖV-Standards) und Zuständigkeiten "
            "pflegen."
        ),
    },
    {
        "slug": "bayernportal",
        "name": "BayernPortal",
        "ebene": "land",
        "url": "https://www.freistaat.bayern/",
        "beschreibung": (
            "Das Verwaltungsportal des Freistaats bündelt die Onlinedienste von Land und "
            "Kommunen. Städte pflegen dort ihre Leistungsbeschreibungen und Zuständigkeiten, "
            "verlinken eigene Onlinedienste und nutzen die Basisdienste (Postfach, "
            "Bezahlfunktion)."
        ),
    },
    {
        "slug": "bayernid",
        "name": "BayernID",
        "ebene": "land",
        "url": "https://id.bayernportal.de/",
        "beschreibung": (
            "Das Nutzerkonto für Bürgerinnen, Bürger und Unternehmen in Bayern, mit "
            "Online-Ausweisfunktion und Postfach. Kommunale Onlinedienste binden es zur "
            "Anmeldung an; damit entfallen eigene Benutzerkonten, und Bescheide können "
            "elektronisch zugestellt werden."
        ),
    },
    {
        "slug": "digitalplan-bayern",
        "name": "Digitalplan Bayern",
        "ebene": "land",
        "url": "https://www.stmd.bayern.de/",
        "beschreibung": (
            "Die Digitalstrategie der Staatsregierung mit Zielen für Verwaltung, Bildung, "
            "Infrastruktur und Wirtschaft. Für Städte wichtig: Förderprogramme, gemeinsame "
            "Basisdienste und die Erwartung, Verwaltungsleistungen Ende-zu-Ende digital "
            "anzubieten."
        ),
    },
    {
        "slug": "registermodernisierung",
        "name": "Registermodernisierung",
        "ebene": "bund",
        "url": "https://www.digitale-verwaltung.de/",
        "beschreibung": (
            "Register (Melde-, Personenstands-, Gewerberegister u. a.) sollen über die "
            "Identifikationsnummer verknüpft werden, damit Nachweise nach dem Once-Only-Prinzip "
            "zwischen Behörden fließen. Städte als Registerführer müssen Datenqualität, "
            "Schnittstellen und das Datenschutzcockpit vorbereiten."
        ),
    },
    {
        "slug": "digitalpakt-schule",
        "name": "DigitalPakt Schule",
        "ebene": "bund",
        "url": "https://www.digitalpaktschule.de/",
        "beschreibung": (
            "Förderung von Bund und Ländern für digitale Infrastruktur an Schulen (WLAN, "
            "Netze, Präsentationstechnik). Städte als Sachaufwandsträger planen Medienkonzepte, "
            "beantragen die Mittel und verantworten danach Betrieb und Ersatzbeschaffung."
        ),
    },
    {
        "slug": "smart-cities",
        "name": "Modellprojekte Smart Cities",
        "ebene": "bund",
        "url": "https://www.smart-city-dialog.de/",
        "beschreibung": (
            "Bundesförderung für Städte, die Strategien und Projekte für eine gemeinwohl"
            "orientierte, digitale Stadtentwicklung erproben. Ergebnisse sollen übertragbar "
            "sein und als Open Source geteilt werden."
        ),
    },
]


# Each project: owner (Kommune slug), texts, Themen/Initiativen slugs, Beteiligung and how it
# is shared ("freigaben": recipient, scope). Legal metadata defaults to intern/eigene.
PROJEKTE = [
    {
        "kommune": "muenchen",
        "titel": "E-Akte für die Stadtverwaltung",
        "zusammenfassung": (
            "Einführung der elektronischen Akte in allen Referaten: Schriftgut wird "
            "revisionssicher digital geführt, Papierakten werden schrittweise abgelöst."
        ),
        "beschreibung": (
            "## Ziel\n\nBis Ende 2027 arbeiten alle Referate mit der **E-Akte**. Akten werden "
            "nach dem Aktenplan geführt, Vorgänge digital mitgezeichnet.\n\n"
            "## Vorgehen\n\n- Pilot in zwei Referaten\n- Rollout in Wellen je Referat\n"
            "- Scanstrategie für laufende Papierakten (ersetzendes Scannen nach TR-RESISCAN)\n\n"
            "## Erfahrungen\n\nDer größte Aufwand liegt nicht in der Technik, sondern in der "
            "Schulung und der Bereinigung des Aktenplans."
        ),
        "status": "betrieb",
        "themen": ["verwaltungsdigitalisierung", "e-akte"],
        "initiativen": ["digitalplan-bayern"],
        "laufzeit": (dt.date(2022, 3, 1), dt.date(2027, 12, 31)),
        "budget": "4800000",
        "kontakt": "IT-Referat, Team E-Akte, e-akte@muenchen.example",
        "beteiligungen": [
            ("Gesamtpersonalrat", "mitwirkung", "Dienstvereinbarung zur E-Akte mitverhandelt."),
            ("Stadtarchiv", "mitwirkung", "Aussonderung und Archivschnittstelle (xdomea)."),
            ("Referate als Fachanwender", "konsultation", "Workshops je Rollout-Welle."),
        ],
        # The EU-wide tender named Augsburg as a further contracting authority, Nürnberg not:
        # Augsburg may call off, Nürnberg reuses the specification for its own tender.
        "rahmenvertrag": (
            "Rahmenvertrag E-Akte-Software mit Einführungsberatung, Vergabe-Nr. LHM-2021-0347",
            ["augsburg"],
        ),
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "muenchen",
        "titel": "KI im Bürgerservice",
        "zusammenfassung": (
            "Eine KI-gestützte Auskunft beantwortet häufige Fragen zu Bürgerbüro, "
            "Kfz-Zulassung und Meldewesen rund um die Uhr und verweist auf Onlinedienste."
        ),
        "beschreibung": (
            "Die Auskunft nutzt ausschließlich geprüfte Leistungsbeschreibungen aus dem "
            "BayernPortal als Wissensbasis. Sie gibt keine Rechtsauskunft im Einzelfall.\n\n"
            "## Leitplanken\n\n1. Transparenz: Es ist immer erkennbar, dass eine Maschine "
            "antwortet.\n2. Keine Verarbeitung von Gesundheits- oder Sozialdaten.\n"
            "3. Protokolle werden pseudonymisiert und nach 90 Tagen gelöscht."
        ),
        "status": "planung",
        "themen": ["kuenstliche-intelligenz", "buergerservice"],
        "initiativen": ["bayernportal", "ozg-efa"],
        "laufzeit": (dt.date(2025, 9, 1), dt.date(2027, 6, 30)),
        "budget": "650000",
        "kontakt": "Bürgerservice, Projektbüro KI, ki-buergerservice@muenchen.example",
        "beteiligungen": [
            ("Behindertenbeirat", "konsultation", "Test der Auskunft mit Screenreadern."),
            ("Behördlicher Datenschutzbeauftragter", "mitwirkung", "DSFA und Löschkonzept."),
            ("Bürgerinnen und Bürger", "konsultation", "Online-Umfrage mit 1.200 Antworten."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "muenchen",
        "titel": "Digitaler Zwilling München",
        "zusammenfassung": (
            "Ein 3D-Stadtmodell mit Sensordaten unterstützt Stadtplanung, Klimaanpassung und "
            "Verkehrssteuerung."
        ),
        "beschreibung": (
            "Der digitale Zwilling verbindet Geobasisdaten, Gebäudemodelle (LoD2) und "
            "Echtzeitdaten aus Verkehr und Umwelt. Simulationen zu Hitzeinseln und "
            "Starkregen fließen in die Bauleitplanung ein."
        ),
        "status": "umsetzung",
        "themen": ["geodaten", "smart-city"],
        "initiativen": ["smart-cities"],
        "laufzeit": (dt.date(2021, 1, 1), dt.date(2026, 12, 31)),
        "budget": "9200000",
        "kontakt": "Kommunalreferat, GeodatenService, zwilling@muenchen.example",
        "beteiligungen": [
            ("Technische Universität München", "mitwirkung", "Forschungskooperation Simulation."),
            ("Stadtwerke München", "mitwirkung", "Netzdaten und Sensorik."),
            ("Bezirksausschüsse", "information", "Vorstellung in öffentlichen Sitzungen."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "muenchen",
        "titel": "Open-Data-Portal",
        "zusammenfassung": (
            "Das Open-Data-Portal veröffentlicht Datensätze der Stadt maschinenlesbar und "
            "unter offener Lizenz."
        ),
        "beschreibung": (
            "Über 400 Datensätze (Haushalt, Verkehr, Umwelt, Wahlen) stehen unter der "
            "Datenlizenz Deutschland bereit. Die Metadaten folgen DCAT-AP.de, damit das "
            "Portal GovData speisen kann."
        ),
        "status": "betrieb",
        "themen": ["open-data"],
        "initiativen": ["digitalplan-bayern"],
        "laufzeit": (dt.date(2019, 5, 1), None),
        "budget": None,
        "kontakt": "IT-Referat, Open-Data-Team, opendata@muenchen.example",
        "beteiligungen": [
            ("Zivilgesellschaftliche Open-Data-Initiativen", "mitwirkung", "Datenwünsche."),
            ("Hochschulen", "konsultation", "Nutzung für Lehre und Forschung."),
        ],
        "legal": {
            "einstufung": "offen",
            "lizenz": "DL-DE-BY-2.0",
            "quellenvermerk": "Landeshauptstadt München, Open-Data-Portal",
        },
        "freigaben": [("oeffentlich", "vollstaendig"), ("verbund", "vollstaendig")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Digitaler Bauantrag",
        "zusammenfassung": (
            "Bauanträge werden vollständig digital gestellt, geprüft und beschieden – über den "
            "EfA-Onlinedienst mit Anbindung an das Fachverfahren der Bauordnungsbehörde."
        ),
        "beschreibung": (
            "Entwurfsverfasser reichen Pläne und Nachweise über den Onlinedienst ein "
            "(Anmeldung mit BayernID oder Unternehmenskonto). Die Beteiligung der "
            "Fachstellen läuft digital über eine Beteiligungsplattform.\n\n"
            "## Stand\n\n- Onlinedienst produktiv seit Frühjahr 2025\n"
            "- XBau-Schnittstelle zum Fachverfahren in Umsetzung"
        ),
        "status": "umsetzung",
        "themen": ["bauen", "onlinedienste"],
        "initiativen": ["ozg-efa", "bayernportal", "bayernid"],
        "laufzeit": (dt.date(2023, 10, 1), dt.date(2026, 9, 30)),
        "budget": "1350000",
        "kontakt": "Bauordnungsbehörde, digitaler-bauantrag@nuernberg.example",
        "beteiligungen": [
            ("Bayerische Architektenkammer", "konsultation", "Praxistest mit Entwurfsverfassern."),
            ("Bauordnungsbehörde", "mitentscheidung", "Fachliche Abnahme."),
            ("Landkreise der Metropolregion", "information", "Erfahrungsaustausch."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "nuernberg",
        "titel": "WLAN an Schulen",
        "zusammenfassung": (
            "Alle städtischen Schulen erhalten flächendeckendes WLAN mit zentraler "
            "Verwaltung und Jugendschutzfilter."
        ),
        "beschreibung": (
            "Gefördert aus dem DigitalPakt Schule. 92 Schulen, rund 6.000 Access Points, "
            "zentrales Management im Schulrechenzentrum. Die Ausschreibung erfolgte in vier Losen."
        ),
        "status": "betrieb",
        "themen": ["bildung", "infrastruktur"],
        "initiativen": ["digitalpakt-schule"],
        "laufzeit": (dt.date(2020, 9, 1), dt.date(2025, 7, 31)),
        "budget": "21000000",
        "kontakt": "Amt für Schulen, Medienzentrum, schul-it@nuernberg.example",
        "beteiligungen": [
            ("Schulleitungen", "mitwirkung", "Ausleuchtungsplanung je Schulhaus."),
            ("Elternbeiräte", "information", "Informationsabende zu Jugendschutz und Strahlung."),
            ("Medienzentrum", "mitwirkung", "Medienkonzepte der Schulen."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Bürgerbeteiligung online",
        "zusammenfassung": (
            "Eine Beteiligungsplattform auf Open-Source-Basis für Planungsdialoge, "
            "Bürgerhaushalt und Ideenwettbewerbe."
        ),
        "beschreibung": (
            "Die Plattform ersetzt Einzellösungen einzelner Dienststellen. Verfahren werden "
            "mit einheitlichem Leitfaden geplant; Ergebnisse werden veröffentlicht und im "
            "Stadtrat behandelt."
        ),
        "status": "betrieb",
        "themen": ["beteiligung", "onlinedienste"],
        "initiativen": ["smart-cities"],
        "laufzeit": (dt.date(2022, 1, 1), None),
        "budget": "280000",
        "kontakt": "Stab Bürgerbeteiligung, beteiligung@nuernberg.example",
        "beteiligungen": [
            ("Vereine und Initiativen der Stadtgesellschaft", "mitwirkung", "Beirat Beteiligung."),
            ("Jugendrat", "konsultation", "Jugendgerechte Formate."),
            ("Stadtrat", "mitentscheidung", "Beschluss der Leitlinien."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "augsburg",
        "titel": "Digitaler Posteingang",
        "zusammenfassung": (
            "Papierpost wird zentral gescannt, klassifiziert und elektronisch an die "
            "zuständigen Ämter verteilt."
        ),
        "beschreibung": (
            "Eine Scanstelle digitalisiert den Posteingang; eine regelbasierte Klassifikation "
            "(später mit KI-Unterstützung) schlägt die zuständige Stelle vor. Die Dokumente "
            "landen direkt in der E-Akte."
        ),
        "status": "umsetzung",
        "themen": ["e-akte", "verwaltungsdigitalisierung", "kuenstliche-intelligenz"],
        "initiativen": ["digitalplan-bayern"],
        "laufzeit": (dt.date(2024, 4, 1), dt.date(2026, 12, 31)),
        "budget": "900000",
        "kontakt": "Hauptamt, Organisation und IT, posteingang@augsburg.example",
        "beteiligungen": [
            ("Personalrat", "mitwirkung", "Dienstvereinbarung Scanstelle."),
            ("Ämter mit hohem Postaufkommen", "konsultation", "Klassifikationsregeln."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "augsburg",
        "titel": "Smart-City-Sensorik",
        "zusammenfassung": (
            "Ein LoRaWAN-Netz mit Sensoren für Luftqualität, Pegelstände und Parkraum "
            "liefert offene Echtzeitdaten."
        ),
        "beschreibung": (
            "Die Sensordaten laufen in einer urbanen Datenplattform zusammen und werden als "
            "Open Data bereitgestellt. Standorte werden mit den Stadtteilen abgestimmt."
        ),
        "status": "betrieb",
        "themen": ["smart-city", "open-data", "infrastruktur"],
        "initiativen": ["smart-cities"],
        "laufzeit": (dt.date(2021, 6, 1), None),
        "budget": "1100000",
        "kontakt": "Smart-City-Büro, smartcity@augsburg.example",
        "beteiligungen": [
            ("Stadtwerke Augsburg", "mitwirkung", "Betrieb des LoRaWAN-Netzes."),
            ("Universität Augsburg", "mitwirkung", "Auswertung der Luftqualitätsdaten."),
            ("Stadtteilmütter und Quartiersmanagement", "konsultation", "Standortwahl."),
        ],
        "freigaben": [("verbund", "vollstaendig")],
    },
    {
        "kommune": "augsburg",
        "titel": "Registermodernisierung im Bürgeramt",
        "zusammenfassung": (
            "Vorbereitung des Meldewesens auf die Identifikationsnummer und den "
            "Nachweisaustausch nach dem Once-Only-Prinzip."
        ),
        "beschreibung": (
            "Datenbereinigung im Melderegister, Anbindung an das Nationale-Once-Only-"
            "Technical-System und Schulung der Sachbearbeitung."
        ),
        "status": "idee",
        "themen": ["verwaltungsdigitalisierung", "datenschutz"],
        "initiativen": ["registermodernisierung", "ozg-efa"],
        "laufzeit": (dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
        "budget": None,
        "kontakt": "Bürgeramt, Sachgebiet Meldewesen, buergeramt@augsburg.example",
        "beteiligungen": [
            ("Landesamt für Digitalisierung", "information", "Zeitplan der Anbindung."),
        ],
        "freigaben": [],
    },
]


def _absaetze(*texte: str) -> list[str]:
    return list(texte)


# Each result: owner, texts, Art, legal metadata, its documents (file name and paragraphs)
# and its sharing story: "freigaben" are (recipient, scope, outcome[, reason]); "danach" are
# later events (a new document version, a change of legal metadata); "freigaben_seit" lets
# the Freigaben start in the past. A date given as a timedelta counts from the day of seeding.
ERGEBNISSE = [
    {
        "kommune": "muenchen",
        "titel": "Machbarkeitsstudie E-Akte: Migration der Altakten",
        "art": "studie",
        "projekt": "E-Akte für die Stadtverwaltung",
        "datum": dt.date(2024, 11, 15),
        "autoren": "IT-Referat München mit Beratung durch Aktenwerk GmbH",
        "zusammenfassung": (
            "Welche Altbestände lohnt es zu scannen, welche werden hybrid geführt? Die Studie "
            "bewertet Mengen, Kosten und Beweiswerterhaltung."
        ),
        "text": (
            "Untersucht wurden 38 laufende Aktenbestände. **Ergebnis:** Ersetzendes Scannen "
            "lohnt sich für Bestände mit hoher Zugriffshäufigkeit; für den Rest empfiehlt die "
            "Studie hybride Akten bis zum Ablauf der Aufbewahrungsfrist."
        ),
        "legal": {"nutzungsrechte": "umfassend"},
        "dokumente": [
            (
                "machbarkeitsstudie-e-akte.pdf",
                _absaetze(
                    "## Ausgangslage",
                    "Die Landeshauptstadt München führt rund 1,2 Millionen laufende "
                    "Papierakten. Mit der Einführung der E-Akte stellt sich die Frage, welche "
                    "Bestände digitalisiert werden.",
                    "## Ergebnis",
                    "Ersetzendes Scannen nach TR-RESISCAN ist wirtschaftlich für Bestände mit "
                    "mehr als zwölf Zugriffen im Jahr. Für alle übrigen Bestände wird eine "
                    "hybride Aktenführung empfohlen. Die Beweiswerterhaltung erfolgt nach "
                    "TR-ESOR.",
                    "## Kosten",
                    "Je Regalmeter fallen 180 bis 260 Euro an; der Großteil entfällt auf "
                    "Vorbereitung (Entklammern, Sortieren) und Qualitätssicherung.",
                ),
            )
        ],
        "freigaben": [("verbund", "vollstaendig", "erteilt")],
    },
    {
        "kommune": "muenchen",
        "titel": "Evaluation des Pilotbetriebs der KI-Auskunft",
        "art": "evaluation",
        "projekt": "KI im Bürgerservice",
        "datum": dt.date(2026, 6, 30),
        "autoren": "Bürgerservice München, Projektbüro KI",
        "zusammenfassung": (
            "Auswertung von 14.000 pseudonymisierten Dialogen aus drei Monaten Pilotbetrieb: "
            "Trefferquote, Weiterleitungen, Zufriedenheit."
        ),
        "text": (
            "Die Auskunft beantwortete 81 % der Fragen korrekt. Die Dialoge wurden "
            "**pseudonymisiert** ausgewertet; die Weitergabe erfolgt nur an benannte "
            "Partnerstädte (DSGVO-1)."
        ),
        "legal": {
            "personenbezug": "pseudonymisiert",
            "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 Abs. 1 BayDSG",
            "zweck": "Qualitätssicherung und Weiterentwicklung der KI-Auskunft",
            # Relative to the day of seeding (see demo.py), so the demo seeds on any day.
            "loeschdatum": dt.timedelta(days=400),
            "einwilligung": "keine",
        },
        "dokumente": [
            (
                "evaluation-ki-auskunft.pdf",
                _absaetze(
                    "## Methode",
                    "Ausgewertet wurden 14.000 Dialoge aus dem Zeitraum März bis Mai. "
                    "Namen, Adressen und Aktenzeichen wurden vor der Auswertung durch "
                    "Kennungen ersetzt (Pseudonymisierung).",
                    "## Ergebnisse",
                    "81 Prozent der Fragen wurden korrekt beantwortet, 12 Prozent an die "
                    "Servicestelle weitergeleitet. Häufigste Themen: Terminvereinbarung, "
                    "Ummeldung, Führungszeugnis.",
                ),
            )
        ],
        "freigaben": [("augsburg", "vollstaendig", "erteilt")],
    },
    {
        "kommune": "muenchen",
        "titel": "Sicherheitskonzept Digitaler Zwilling (kritische Infrastruktur)",
        "art": "konzept",
        "projekt": "Digitaler Zwilling München",
        "datum": dt.date(2025, 5, 20),
        "autoren": "Informationssicherheitsbeauftragter der Landeshauptstadt München",
        "zusammenfassung": (
            "Schutzbedarf und Maßnahmen für Netz- und Versorgungsdaten im digitalen Zwilling. "
            "Als VS-NfD eingestuft: Hier stehen nur die Metadaten."
        ),
        "text": (
            "Die Unterlagen sind als **VS – Nur für den Dienstgebrauch** eingestuft und "
            "werden im Wissensverbund nicht gespeichert. Anfragen bitte an die Ansprechstelle."
        ),
        "legal": {
            "einstufung": "vs_nfd",
            "vsnfd_ansprechstelle": (
                "Landeshauptstadt München, Informationssicherheit, "
                "Tel. 089 000000-0, isb@muenchen.example"
            ),
        },
        "dokumente": [],
        "freigaben": [("nuernberg", "metadaten", "erteilt")],
    },
    {
        "kommune": "muenchen",
        "titel": "Leitfaden Open Data: Datensätze veröffentlichen",
        "art": "leitfaden",
        "projekt": "Open-Data-Portal",
        "datum": dt.date(2025, 2, 1),
        "autoren": "Open-Data-Team der Landeshauptstadt München",
        "zusammenfassung": (
            "Schritt für Schritt vom Datensatz im Fachverfahren zur Veröffentlichung: "
            "Prüfung, Lizenz, Metadaten, Aktualisierung."
        ),
        "text": (
            "Der Leitfaden steht unter der Datenlizenz Deutschland – Namensnennung – 2.0 "
            "und darf mit Quellenvermerk frei nachgenutzt werden."
        ),
        "legal": {
            "einstufung": "offen",
            "lizenz": "DL-DE-BY-2.0",
            "quellenvermerk": "Landeshauptstadt München, Open-Data-Team (2025)",
        },
        "dokumente": [
            (
                "leitfaden-open-data.pdf",
                _absaetze(
                    "## 1. Eignung prüfen",
                    "Enthält der Datensatz Personenbezug, Betriebs- oder Geschäftsgeheimnisse "
                    "oder Rechte Dritter? Nur wenn nicht, ist er für Open Data geeignet.",
                    "## 2. Lizenz wählen",
                    "Standard ist die Datenlizenz Deutschland – Namensnennung – 2.0; für "
                    "Geobasisdaten gilt die Lizenz des Landesamts.",
                    "## 3. Metadaten nach DCAT-AP.de",
                    "Titel, Beschreibung, Aktualisierungsintervall, Ansprechpartner und "
                    "Zeitbezug sind Pflichtangaben.",
                ),
            )
        ],
        "freigaben": [("oeffentlich", "vollstaendig", "erteilt")],
    },
    {
        "kommune": "muenchen",
        "titel": "Marktanalyse KI-Sprachmodelle für Verwaltungen",
        "art": "gutachten",
        "projekt": "KI im Bürgerservice",
        "datum": dt.date(2025, 4, 10),
        "autoren": "Beratungshaus Nordlicht Consulting",
        "zusammenfassung": (
            "Vergleich von zwölf Sprachmodellen nach Qualität, Betrieb im eigenen "
            "Rechenzentrum und Kosten. Nutzungsrechte noch ungeklärt."
        ),
        "text": (
            "Der Vertrag mit dem Beratungshaus räumt ein Nutzungsrecht nur für die "
            "Landeshauptstadt ein; ob eine Weitergabe an Partnerstädte zulässig ist, wird "
            "geklärt (RECHTE-1)."
        ),
        "legal": {"nutzungsrechte": "ungeklaert"},
        "dokumente": [
            (
                "marktanalyse-sprachmodelle.pdf",
                _absaetze(
                    "## Zusammenfassung",
                    "Für den Betrieb im eigenen Rechenzentrum eignen sich offene Modelle "
                    "mittlerer Größe. Sie erreichen bei Verwaltungsfragen mit geprüfter "
                    "Wissensbasis vergleichbare Qualität wie Cloud-Dienste.",
                ),
            )
        ],
        "freigaben": [],
    },
    {
        "kommune": "nuernberg",
        "titel": "Prozessanalyse Digitaler Bauantrag",
        "art": "bericht",
        "projekt": "Digitaler Bauantrag",
        "datum": dt.date(2025, 9, 12),
        "autoren": "Bauordnungsbehörde Nürnberg, Organisationsberatung",
        "zusammenfassung": (
            "Wo hakt es zwischen Onlinedienst und Fachverfahren? Ist-Prozess, Medienbrüche "
            "und ein Soll-Prozess mit XBau."
        ),
        "text": (
            "Der Bericht dokumentiert 23 Medienbrüche im Ist-Prozess. Mit der "
            "XBau-Schnittstelle entfallen 17 davon. Eine zweite Fassung mit den "
            "Erfahrungen aus dem Echtbetrieb ist hinzugekommen."
        ),
        "legal": {"nutzungsrechte": "weitergabe_oeffentliche_stellen"},
        "dokumente": [
            (
                "prozessanalyse-bauantrag.pdf",
                _absaetze(
                    "## Ist-Prozess",
                    "Eingereichte Unterlagen werden ausgedruckt, gestempelt und an die "
                    "Fachstellen verteilt. Stellungnahmen kommen per E-Mail zurück.",
                    "## Soll-Prozess",
                    "Mit XBau übernimmt das Fachverfahren Antrag und Pläne direkt; die "
                    "Fachstellen werden über die Beteiligungsplattform eingebunden.",
                ),
            )
        ],
        "freigaben": [("verbund", "vollstaendig", "erteilt")],
        "danach": {
            "neues_dokument": (
                "prozessanalyse-bauantrag-fassung-2.pdf",
                _absaetze(
                    "## Fassung 2: Erfahrungen aus dem Echtbetrieb",
                    "Nach sechs Monaten Echtbetrieb werden 64 Prozent der Bauanträge digital "
                    "eingereicht. Die Bearbeitungszeit sank im Mittel um elf Arbeitstage.",
                ),
            )
        },
    },
    {
        "kommune": "nuernberg",
        "titel": "Vergabevermerk WLAN an Schulen (geschwärzt)",
        "art": "sonstiges",
        "projekt": "WLAN an Schulen",
        "datum": dt.date(2021, 3, 5),
        "autoren": "Zentrale Vergabestelle Nürnberg",
        "zusammenfassung": (
            "Wertungsmatrix und Vergabevermerk der Ausschreibung in vier Losen, "
            "mit geschwärzten Bieterangaben."
        ),
        "text": (
            "Angebotspreise und Namen der unterlegenen Bieter sind **geschwärzt** "
            "(§ 5 VgV). Die Wertungskriterien und ihre Gewichtung sind lesbar und können für "
            "eigene Ausschreibungen nachgenutzt werden."
        ),
        "legal": {
            "vergabebezug": "bieterunterlagen",
            "geschwaerzt": True,
            "schwellenwert": "oberschwellig",
            "vergabestand": "zuschlag",
            "gremienstatus": "oeffentlich_behandelt",
        },
        "dokumente": [
            (
                "vergabevermerk-wlan-geschwaerzt.pdf",
                _absaetze(
                    "## Wertungskriterien",
                    "Preis 40 Prozent, technisches Konzept 35 Prozent, Service und "
                    "Reaktionszeiten 25 Prozent.",
                    "## Ergebnis",
                    "Los 1 bis 4: Zuschlag an [geschwärzt]. Angebotspreise: [geschwärzt].",
                ),
            )
        ],
        "freigaben": [("augsburg", "vollstaendig", "erteilt")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Konzept Online-Beteiligungsplattform",
        "art": "konzept",
        "projekt": "Bürgerbeteiligung online",
        "datum": dt.date(2022, 6, 1),
        "autoren": "Stab Bürgerbeteiligung Nürnberg",
        "zusammenfassung": (
            "Fachliches und technisches Konzept der Beteiligungsplattform: Verfahrenstypen, "
            "Rollen, Moderation, Betrieb."
        ),
        "text": (
            "Partnerstädte sehen zunächst die Beschreibung; das vollständige Konzept gibt es "
            "auf Anfrage."
        ),
        "legal": {},
        "dokumente": [
            (
                "konzept-beteiligungsplattform.pdf",
                _absaetze(
                    "## Verfahrenstypen",
                    "Planungsdialog, Bürgerhaushalt, Ideenwettbewerb und Umfrage. Jeder Typ "
                    "hat feste Phasen und eine Moderationsrichtlinie.",
                    "## Betrieb",
                    "Die Plattform läuft im städtischen Rechenzentrum; Moderation durch den "
                    "Stab Bürgerbeteiligung.",
                ),
            )
        ],
        "freigaben": [("verbund", "metadaten", "erteilt")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Evaluation der Beteiligungsverfahren 2025",
        "art": "evaluation",
        "projekt": "Bürgerbeteiligung online",
        "datum": dt.date(2026, 2, 28),
        "autoren": "Stab Bürgerbeteiligung Nürnberg mit der Technischen Hochschule Nürnberg",
        "zusammenfassung": (
            "Wer hat sich beteiligt, was wurde umgesetzt? Anonymisierte Auswertung von "
            "elf Verfahren."
        ),
        "text": "Die Daten wurden vor der Auswertung anonymisiert (kein Personenbezug).",
        "legal": {"personenbezug": "anonymisiert"},
        "dokumente": [
            (
                "evaluation-beteiligung-2025.pdf",
                _absaetze(
                    "## Beteiligung",
                    "An elf Verfahren nahmen 9.400 Menschen teil; junge Menschen unter 25 "
                    "waren mit 8 Prozent unterrepräsentiert.",
                    "## Umsetzung",
                    "Von 212 Vorschlägen wurden 61 ganz oder teilweise umgesetzt.",
                ),
            )
        ],
        "freigaben": [("muenchen", "vollstaendig", "beantragt")],
    },
    {
        "kommune": "augsburg",
        "titel": "Studie digitaler Posteingang: Scanstelle und Klassifikation",
        "art": "studie",
        "projekt": "Digitaler Posteingang",
        "datum": dt.date(2025, 1, 20),
        "autoren": "Hauptamt Augsburg",
        "zusammenfassung": (
            "Postmengen, Scanaufwand und Treffsicherheit der automatischen Verteilung im "
            "Testbetrieb."
        ),
        "text": "Die regelbasierte Verteilung erreichte 74 % Treffsicherheit.",
        "legal": {},
        "dokumente": [
            (
                "studie-posteingang.pdf",
                _absaetze(
                    "## Postmengen",
                    "Täglich gehen rund 3.500 Sendungen ein, davon 60 Prozent an fünf Ämter.",
                    "## Klassifikation",
                    "Regelbasiert 74 Prozent Treffsicherheit; mit einem trainierten Modell "
                    "werden 90 Prozent erwartet.",
                ),
            )
        ],
        "freigaben": [
            (
                "muenchen",
                "vollstaendig",
                "abgelehnt",
                "Die Studie enthält noch Entwurfsstände mit Namen von Beschäftigten; "
                "bitte nach der Überarbeitung neu beantragen.",
            )
        ],
    },
    {
        "kommune": "augsburg",
        "titel": "Gutachten IT-Sicherheit im Schulnetz",
        "art": "gutachten",
        "projekt": None,
        "datum": dt.date(2024, 7, 1),
        "autoren": "Sachverständigenbüro Lechfeld",
        "zusammenfassung": "Penetrationstest und Schwachstellenanalyse des pädagogischen Netzes.",
        "text": "Die Freigabe an den Verbund wurde widerrufen, weil das Gutachten veraltet ist.",
        "legal": {"nutzungsrechte": "weitergabe_oeffentliche_stellen"},
        "dokumente": [
            (
                "gutachten-schulnetz.pdf",
                _absaetze(
                    "## Befund",
                    "Das pädagogische Netz ist vom Verwaltungsnetz getrennt. Drei "
                    "Schwachstellen mittlerer Kritikalität wurden inzwischen behoben.",
                ),
            )
        ],
        "freigaben": [
            (
                "verbund",
                "vollstaendig",
                "widerrufen",
                "Das Gutachten ist durch den Nachtest 2026 überholt.",
            )
        ],
    },
    {
        "kommune": "augsburg",
        "titel": "Leitfaden barrierefreie Onlineformulare",
        "art": "leitfaden",
        "projekt": None,
        "datum": dt.date(2023, 5, 15),
        "autoren": "Hauptamt Augsburg, Team Onlinedienste",
        "zusammenfassung": (
            "Wie Formulare nach BITV 2.0 gebaut und getestet werden: Beschriftungen, "
            "Fehlermeldungen, Tastaturbedienung."
        ),
        "text": "Die Freigabe an den Verbund ist abgelaufen (FRIST-1) und nicht verlängert.",
        "legal": {},
        "dokumente": [
            (
                "leitfaden-barrierefreie-formulare.pdf",
                _absaetze(
                    "## Grundregeln",
                    "Jedes Eingabefeld hat eine sichtbare Beschriftung. Fehlermeldungen "
                    "stehen am Feld und werden mit ihm verknüpft. Alles ist per Tastatur "
                    "bedienbar.",
                ),
            )
        ],
        "freigaben": [("verbund", "vollstaendig", "abgelaufen")],
    },
    {
        "kommune": "augsburg",
        "titel": "Bericht Smart-City-Sensorik: Betrieb und Kosten",
        "art": "bericht",
        "projekt": "Smart-City-Sensorik",
        "datum": dt.date(2026, 3, 1),
        "autoren": "Smart-City-Büro Augsburg",
        "zusammenfassung": (
            "Betriebserfahrungen, Ausfallraten und Kosten des LoRaWAN-Netzes nach vier Jahren."
        ),
        "text": (
            "Nachdem der Stadtrat den Bericht nichtöffentlich behandelt hat, ist die "
            "Freigabe an den Verbund ausgesetzt (GREMIUM-1)."
        ),
        "legal": {},
        "dokumente": [
            (
                "bericht-sensorik.pdf",
                _absaetze(
                    "## Betrieb",
                    "Von 410 Sensoren fielen im Jahresmittel 6 Prozent aus, meist wegen "
                    "leerer Batterien. Die Kosten je Sensor und Jahr liegen bei 95 Euro.",
                ),
            )
        ],
        "freigaben": [("verbund", "vollstaendig", "erteilt")],
        "danach": {"rechtliches": {"gremienstatus": "nichtoeffentlich"}},
    },
    {
        "kommune": "augsburg",
        "titel": "Konzept KI-gestützte Postverteilung",
        "art": "konzept",
        "projekt": "Digitaler Posteingang",
        "datum": dt.date(2026, 5, 5),
        "autoren": "Hauptamt Augsburg",
        "zusammenfassung": (
            "Trainingsdaten, Modellbetrieb und menschliche Kontrolle bei der automatischen "
            "Verteilung des Posteingangs."
        ),
        "text": "Partnerstädte sehen die Beschreibung; das Konzept gibt es auf Anfrage.",
        "legal": {},
        "dokumente": [
            (
                "konzept-ki-postverteilung.pdf",
                _absaetze(
                    "## Menschliche Kontrolle",
                    "Jede Zuordnung unter 85 Prozent Konfidenz prüft ein Mensch. "
                    "Fehlzuordnungen fließen ins Nachtraining ein.",
                ),
            )
        ],
        "freigaben": [("verbund", "metadaten", "erteilt")],
    },
    # One object for each regime of the second reading of the law, shared as far as it may be.
    {
        "kommune": "nuernberg",
        "titel": "Auswertung Anzeigen des Kommunalen Ordnungsdienstes",
        "art": "evaluation",
        "projekt": None,
        "datum": dt.date(2026, 4, 30),
        "autoren": "Ordnungsamt Nürnberg",
        "zusammenfassung": (
            "Fallzahlen und Bearbeitungszeiten von Anzeigen und Bußgeldverfahren vor und nach "
            "der Einführung der mobilen Fallerfassung."
        ),
        "text": (
            "Enthält Angaben zu Straftaten einzelner Personen (Art. 10 DSGVO): Die Auswertung "
            "bleibt in Nürnberg (STRAFTATEN-1)."
        ),
        "legal": {
            "personenbezug": "straftaten",
            "rechtsgrundlage": "Art. 10 DSGVO i. V. m. Art. 4 Abs. 1 BayDSG",
            "zweck": "Steuerung des Kommunalen Ordnungsdienstes",
            "loeschdatum": dt.date(2028, 4, 30),
            "einwilligung": "keine",
        },
        "dokumente": [],
        "freigaben": [("augsburg", "metadaten", "verweigert")],
    },
    {
        "kommune": "augsburg",
        "titel": "Evaluation digitaler Wohngeldantrag",
        "art": "evaluation",
        "projekt": None,
        "datum": dt.date(2026, 7, 15),
        "autoren": "Amt für Soziale Leistungen Augsburg",
        "zusammenfassung": (
            "Durchlaufzeiten und Rückfragen bei 3.100 digital gestellten Wohngeldanträgen."
        ),
        "text": (
            "Die Auswertung beruht auf Sozialdaten und unterliegt dem **Sozialgeheimnis** "
            "(§ 35 SGB I): Partner sehen die Beschreibung, die Unterlagen bleiben in Augsburg "
            "(GEHEIM-1)."
        ),
        "legal": {
            "personenbezug": "pseudonymisiert",
            "rechtsgrundlage": "§ 67b SGB X i. V. m. § 23 WoGG",
            "zweck": "Verbesserung des Antragsverfahrens Wohngeld",
            "loeschdatum": dt.date(2028, 7, 15),
            "einwilligung": "keine",
            "geheimnisschutz": "sozialgeheimnis",
        },
        "dokumente": [],
        "freigaben": [
            ("nuernberg", "metadaten", "erteilt"),
            ("nuernberg", "vollstaendig", "verweigert"),
        ],
    },
    {
        "kommune": "nuernberg",
        "titel": "Befragung zur Zufriedenheit mit Online-Diensten",
        "art": "evaluation",
        "projekt": None,
        "datum": dt.date(2026, 2, 28),
        "autoren": "Amt für Digitalisierung Nürnberg",
        "zusammenfassung": "Antworten von 1.200 Nutzerinnen und Nutzern des Bürgerportals.",
        "text": (
            "Die Teilnehmenden haben in die Auswertung durch die Stadt Nürnberg eingewilligt, "
            "nicht in eine Weitergabe: Die Antworten bleiben in Nürnberg (DSGVO-3)."
        ),
        "legal": {
            "personenbezug": "personenbezogen",
            "rechtsgrundlage": "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)",
            "zweck": "Verbesserung der Online-Dienste der Stadt Nürnberg",
            "loeschdatum": dt.date(2027, 2, 28),
            "einwilligung": "ohne_weitergabe",
        },
        "dokumente": [],
        "freigaben": [("muenchen", "vollstaendig", "verweigert")],
    },
    {
        "kommune": "muenchen",
        "titel": "Gutachten Barrierefreiheit des Stadtportals",
        "art": "gutachten",
        "projekt": None,
        "datum": dt.date(2026, 3, 10),
        "autoren": "Prüfbüro Zugang GmbH im Auftrag der Landeshauptstadt München",
        "zusammenfassung": "Prüfung nach BITV 2.0 mit 92 Prüfschritten und Maßnahmenliste.",
        "text": (
            "München hat umfassende Nutzungsrechte erworben, aber nicht das Recht, Dritten "
            "Lizenzen einzuräumen: Eine offene Lizenz ist nicht möglich (LIZENZ-1)."
        ),
        "legal": {
            "einstufung": "offen",
            "nutzungsrechte": "umfassend",
            "lizenz": "CC-BY-4.0",
            "quellenvermerk": "Landeshauptstadt München",
        },
        "dokumente": [],
        "freigaben": [("oeffentlich", "metadaten", "verweigert")],
    },
    {
        "kommune": "augsburg",
        "titel": "Beschlussvorlage Glasfaser für Gewerbegebiete",
        "art": "konzept",
        "projekt": None,
        "datum": dt.date(2026, 4, 20),
        "autoren": "Wirtschaftsförderung Augsburg",
        "zusammenfassung": "Ausbauvarianten, Förderkulisse und Zeitplan für 14 Gewerbegebiete.",
        "text": (
            "Nichtöffentlich vorberaten; der Stadtrat hat die Geheimhaltung aufgehoben "
            "(Art. 52 Abs. 3 GO). Deshalb teilbar (GREMIUM-1)."
        ),
        "legal": {
            "gremienstatus": "nichtoeffentlich",
            "geheimhaltung_aufgehoben_am": dt.date(2026, 5, 12),
            "geheimhaltung_aufgehoben_durch": "Beschluss des Stadtrats vom 12.05.2026, TOP 7",
        },
        "dokumente": [],
        "freigaben": [("verbund", "vollstaendig", "erteilt")],
    },
    {
        "kommune": "muenchen",
        "titel": "Verhandlungsstand Grundstückstausch Rechenzentrum",
        "art": "sonstiges",
        "projekt": None,
        "datum": dt.date(2026, 9, 1),
        "autoren": "Kommunalreferat München",
        "zusammenfassung": "Stand der Verhandlungen über den Standort eines Rechenzentrums.",
        "text": "Nichtöffentlich im Ausschuss behandelt: bleibt in München (GREMIUM-1).",
        "legal": {"gremienstatus": "nichtoeffentlich"},
        "dokumente": [],
        "freigaben": [("verbund", "metadaten", "verweigert")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Leistungsbeschreibung Dokumentenmanagementsystem",
        "art": "konzept",
        "projekt": None,
        "datum": dt.date(2026, 10, 1),
        "autoren": "Zentrale Vergabestelle Nürnberg",
        "zusammenfassung": "Anforderungen an ein DMS für 6.000 Arbeitsplätze (EU-weite Vergabe).",
        "text": (
            "Das Verfahren läuft noch: Bis zum Zuschlag bleibt die Leistungsbeschreibung in "
            "Nürnberg (VERGABE-2, § 97 Abs. 2 GWB)."
        ),
        "legal": {
            "vergabebezug": "eigene_leistungsbeschreibung",
            "schwellenwert": "oberschwellig",
            "vergabestand": "laufend",
        },
        "dokumente": [],
        "freigaben": [("verbund", "vollstaendig", "verweigert")],
    },
    {
        "kommune": "muenchen",
        "titel": "Pilotbericht smarte Straßenbeleuchtung",
        "art": "evaluation",
        "projekt": None,
        "datum": dt.date(2026, 8, 14),
        "autoren": "Baureferat München mit Herstellerangaben",
        "zusammenfassung": "Energieeinsparung und Ausfallraten von 400 vernetzten Leuchten.",
        "text": (
            "Enthält Betriebsgeheimnisse des Herstellers (Geheimhaltungsvereinbarung): ohne "
            "dessen Zustimmung keine Weitergabe (DRITTE-1)."
        ),
        "legal": {"geschaeftsgeheimnisse_dritter": True},
        "dokumente": [],
        "freigaben": [("nuernberg", "vollstaendig", "verweigert")],
    },
    {
        "kommune": "nuernberg",
        "titel": "Auswertung der Online-Terminbuchung im Bürgeramt",
        "art": "evaluation",
        "projekt": None,
        "datum": dt.date(2025, 10, 1),
        "autoren": "Bürgeramt Nürnberg, Sachgebiet Organisation",
        "zusammenfassung": (
            "Wartezeiten, Ausfälle und Buchungswege von 52.000 Terminen, ausgewertet mit "
            "pseudonymisierten Buchungsdaten."
        ),
        "text": (
            "Das Löschdatum der Buchungsdaten ist überschritten: Die Freigabe an München ist "
            "ausgesetzt (LOESCH-1), eine neue Freigabe wird abgelehnt, und das Bürgeramt ist "
            "erinnert, die Auswertung zu löschen oder das Löschdatum begründet zu verlängern."
        ),
        "legal": {
            "personenbezug": "pseudonymisiert",
            "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 Abs. 1 BayDSG",
            "zweck": "Verbesserung der Terminvergabe im Bürgeramt",
            "loeschdatum": dt.timedelta(days=180),
            "einwilligung": "keine",
        },
        "dokumente": [
            (
                "auswertung-terminbuchung.pdf",
                _absaetze(
                    "## Wartezeiten",
                    "Die mittlere Wartezeit auf einen Termin sank von 19 auf 6 Werktage. "
                    "Jeder zehnte Termin verfiel ohne Absage.",
                    "## Buchungswege",
                    "71 Prozent der Termine wurden online gebucht, 29 Prozent telefonisch.",
                ),
            )
        ],
        "freigaben": [("muenchen", "vollstaendig", "erteilt")],
        "freigaben_seit": dt.timedelta(days=-60),
        # The deletion date is corrected to one already past: the Freigabe ends on it and is
        # suspended (LOESCH-1); the reminder goes out when the demo is seeded.
        "danach": {"rechtliches": {"loeschdatum": dt.timedelta(days=-3)}},
    },
]

# Access requests: (result title, requesting user, reason, decision None/True/False).
ZUGANGSANFRAGEN = [
    (
        "Konzept Online-Beteiligungsplattform",
        "muenchen-mitarbeit",
        "Wir bereiten eine eigene Beteiligungsplattform vor und möchten das Rollen- und "
        "Moderationskonzept nachnutzen.",
        None,
    ),
    (
        "Konzept Online-Beteiligungsplattform",
        "augsburg-mitarbeit",
        "Für die Ausschreibung unserer Beteiligungsplattform brauchen wir die Anforderungen.",
        True,
    ),
    (
        "Konzept KI-gestützte Postverteilung",
        "nuernberg-mitarbeit",
        "Unser Posteingangsprojekt startet 2027; wir möchten die Erfahrungen mit der "
        "Konfidenzschwelle übernehmen.",
        None,
    ),
]

# Follows: (user, kind, slug).
ABOS = [
    ("nuernberg-mitarbeit", "thema", "e-akte"),
    ("nuernberg-mitarbeit", "initiative", "ozg-efa"),
    ("augsburg-mitarbeit", "thema", "kuenstliche-intelligenz"),
    ("augsburg-mitarbeit", "kommune", "muenchen"),
    ("muenchen-mitarbeit", "thema", "beteiligung"),
]

# Reuse interest: (project title, user, message, call-off from the framework agreement, the
# estimated saving in euros or None).
NACHNUTZUNGEN = [
    (
        "E-Akte für die Stadtverwaltung",
        "augsburg-herausgabe",
        "Wir möchten Ihre Dienstvereinbarung und den Rollout-Plan als Vorlage nutzen und die "
        "Software aus Ihrem Rahmenvertrag abrufen.",
        True,
        "180000",
    ),
    (
        "Digitaler Bauantrag",
        "muenchen-herausgabe",
        "Interesse an der XBau-Anbindung: Welches Fachverfahren setzen Sie ein?",
        False,
        None,
    ),
]
