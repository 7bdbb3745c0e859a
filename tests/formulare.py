"""What the forms under test receive: complete valid POST data, and the URLs they are sent to."""

import datetime as dt

from django.urls import reverse

from kommunen.models import standard_gueltig_bis


def projekt_daten(**extra):
    """The new-project form with one Beteiligung, filled in completely."""
    daten = {
        "titel": "Digitaler Bauantrag",
        "zusammenfassung": "Bauanträge online stellen.",
        "beschreibung": "## Ziel\n\nMedienbruchfreie Bauanträge.",
        "status": "umsetzung",
        "laufzeit_von": "2025-01-01",
        "laufzeit_bis": "2026-12-31",
        "budget_eur": "250000",
        "kontakt": "Referat für Digitalisierung",
        "einstufung": "intern",
        "personenbezug": "keiner",
        "nutzungsrechte": "eigene",
        "vergabebezug": "keiner",
        "gremienstatus": "nicht_befasst",
        "geheimnisschutz": "keiner",
        "lizenz": "",
        "beteiligung-TOTAL_FORMS": "2",
        "beteiligung-INITIAL_FORMS": "0",
        "beteiligung-MIN_NUM_FORMS": "0",
        "beteiligung-MAX_NUM_FORMS": "1000",
        "beteiligung-0-akteur": "Handwerkskammer",
        "beteiligung-0-art": "konsultation",
        "beteiligung-0-beschreibung": "Workshops",
    }
    daten.update(extra)
    return daten


def freigabe_daten(**extra):
    """The Freigabe proposal form: to a Kommune (given as `empfaenger_kommune`), from today."""
    heute = dt.date.today()
    daten = {
        "empfaenger_art": "kommune",
        "empfaenger_kommune": "",
        "empfaenger_verbund": "",
        "umfang": "vollstaendig",
        "rechtsgrundlage": "Kooperationsvereinbarung vom 16. Juli",
        "auflagen": "Nur für die eigene Planung.",
        "gueltig_ab": heute.isoformat(),
        "gueltig_bis": standard_gueltig_bis(heute).isoformat(),
    }
    daten.update(extra)
    return daten


def entscheiden_url(freigabe):
    """Where a sharing admin grants, refuses or revokes a Freigabe."""
    return reverse("kommunen:freigabe_entscheiden", args=[freigabe.pk])
