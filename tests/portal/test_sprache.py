"""German text analysis (common/sprache.py): the same stem for what people mean alike."""

import pytest

from common.sprache import analysiert, staemme, stamm

GLEICH = [
    # plural and case forms, including those the Snowball stemmer leaves apart
    ("Geobasisdatum", "Geobasisdaten"),
    ("Betriebshof", "Betriebshöfen"),
    ("Dienstwagens", "Dienstwagen"),
    ("Rechenzentrum", "Rechenzentren"),
    ("Gremium", "Gremien"),
    ("Kriterium", "Kriterien"),
    ("Mechanismus", "Mechanismen"),
    ("Schulträgers", "Schulträger"),
    ("Haltestellen", "Haltestelle"),
    # umlauts and ß, typed or spelled out
    ("Ladesäule", "Ladesaeule"),
    ("Gebäudemodelle", "Gebaeudemodell"),
    ("Bürgerbüro", "Buergerbuero"),
    ("Schließfächer", "Schliessfach"),
    ("Straßenbeleuchtung", "Strassenbeleuchtung"),
    ("Größe", "GROESSE"),
]


@pytest.mark.parametrize(("a", "b"), GLEICH)
def test_gleicher_stamm(a, b):
    assert stamm(a) == stamm(b) != ""


@pytest.mark.parametrize(("a", "b"), [("Wasser", "Wasserstoff"), ("Amt", "Ampel")])
def test_verschiedenes_bleibt_verschieden(a, b):
    assert stamm(a) != stamm(b)


def test_bindestrich_trennt_fuellwoerter_bleiben_im_index():
    assert staemme("Die KI-gestützte Plattform für Verkehrsdaten") == [
        "die",
        "ki",
        "gestutzt",
        "plattform",
        "fur",
        "verkehrsdat",
    ]
    assert analysiert("Einer für Alle") == "ein fur all"
