"""Similar work elsewhere while a result is being created: partners' visible results and
projects (by text, or by a Thema of the result's project), never the documents' text, and
nothing is saved."""

import pytest
from django.urls import reverse

from kommunen.models import Rolle, Umfang
from projekte.models import Thema
from tests.factories import (
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    im_suchindex,
    projekt_anlegen,
    viele,
)
from wissen.models import Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren

NEU = reverse("wissen:neu")
FRAGMENT = reverse("wissen:aehnliche")


def _daten(**extra):
    daten = {
        "titel": "Machbarkeitsstudie Zwilling",
        "art": "studie",
        "zusammenfassung": "Was ein Stadtmodell leisten kann.",
        "text": "",
        "datum": "",
        "autoren": "",
        "projekt": "",
        "einstufung": "intern",
        "personenbezug": "keiner",
        "nutzungsrechte": "eigene",
        "vergabebezug": "keiner",
        "gremienstatus": "nicht_befasst",
        "geheimnisschutz": "keiner",
        "lizenz": "",
        "aktion": "aehnliche",
    }
    daten.update(extra)
    return daten


@pytest.fixture
def lage(welt):
    her_m = welt.user("muenchen", Rolle.HERAUSGABE)
    geodaten = Thema.objects.create(name="Geodaten", slug="geodaten")
    zwilling = projekt_anlegen(welt.muenchen, her_m, titel="Urbane Datenplattform")
    zwilling.themen.add(geodaten)
    im_suchindex(zwilling)
    freigeben(welt, zwilling, an=welt.verbund, umfang=Umfang.METADATEN)
    studie = im_suchindex(
        ergebnis_anlegen(
            welt.muenchen,
            her_m,
            titel="Studie Digitaler Zwilling München",
            zusammenfassung="Kosten und Nutzen eines Zwillings.",
        )
    )
    freigeben(welt, studie, an=welt.verbund, umfang=Umfang.METADATEN)
    # A result whose documents mention the word: found only by those who may download them,
    # and never by the suggestions, which compare metadata alone.
    vertraulich = ergebnis_anlegen(welt.muenchen, her_m, titel="Gutachten Verkehr")
    dokument_anlegen(vertraulich, her_m, text="Quantenzwillingsrechner")
    im_suchindex(vertraulich)
    freigeben(welt, vertraulich, an=welt.verbund, umfang=Umfang.METADATEN)
    im_suchindex(ergebnis_anlegen(welt.muenchen, her_m, titel="Zwilling intern"))
    her_a = welt.user("augsburg", Rolle.HERAUSGABE)
    eigenes = projekt_anlegen(welt.augsburg, her_a, titel="Augsburger Stadtmodell")
    eigenes.themen.add(geodaten)
    welt.eigenes = eigenes
    welt.studie = studie
    return welt


def test_vorschlaege_vom_partner_mit_freigabe(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    r = client.get(FRAGMENT, {"titel": "Zwilling"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Studie Digitaler Zwilling München" in html
    assert lage.studie.get_absolute_url() in html
    assert "Zwilling intern" not in html
    # By the Thema of the chosen project: München's project on the same Thema.
    r = client.get(FRAGMENT, {"titel": "Neues", "projekt": lage.eigenes.pk})
    html = r.content.decode()
    assert "Urbane Datenplattform" in html and "Nachnutzung anfragen" in html
    assert "Augsburger Stadtmodell" not in html  # the user's own Kommune's


def test_dokumenttext_wird_nicht_verglichen(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    html = client.get(FRAGMENT, {"titel": "Quantenzwillingsrechner"}).content.decode()
    assert "Gutachten Verkehr" not in html


def test_fremdes_projekt_bringt_keine_themen(client, lage):
    """A forged project id of another Kommune's project the user cannot see adds nothing."""
    fremd = projekt_anlegen(lage.regensburg, lage.user("regensburg", Rolle.HERAUSGABE))
    fremd.themen.add(Thema.objects.get(slug="geodaten"))
    client.force_login(lage.user("regensburg", Rolle.HERAUSGABE))
    r = client.get(FRAGMENT, {"titel": "Zwilling", "projekt": lage.eigenes.pk})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Urbane Datenplattform" not in html and "Zwilling München" not in html
    assert "Augsburger Stadtmodell" not in html


def test_kommune_ohne_freigabe_sieht_nichts(client, lage):
    client.force_login(lage.user("regensburg", Rolle.HERAUSGABE))
    for daten in ({"titel": "Digitaler Zwilling"}, {"titel": "x", "projekt": "abc"}):
        html = client.get(FRAGMENT, daten).content.decode()
        assert "München" not in html and "Datenplattform" not in html


def test_ohne_javascript_nichts_gespeichert(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    vorher = Ergebnis.objects.count()
    r = client.post(NEU, _daten(projekt=lage.eigenes.pk))
    html = r.content.decode()
    assert r.status_code == 200
    assert Ergebnis.objects.count() == vorher
    assert "Studie Digitaler Zwilling München" in html and "Urbane Datenplattform" in html
    assert 'value="Machbarkeitsstudie Zwilling"' in html
    assert f'<option value="{lage.eigenes.pk}" selected>' in html
    assert 'aria-invalid="true"' not in html


def test_zu_lang_und_skripte(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    r = client.get(FRAGMENT, {"titel": "Zwilling", "zusammenfassung": "Zwilling " * 400})
    assert r.status_code == 400 and "zu lang" in r.content.decode()
    vorher = Ergebnis.objects.count()
    r = client.post(NEU, _daten(zusammenfassung="a" * 3000))
    assert r.status_code == 400 and Ergebnis.objects.count() == vorher
    r = client.post(NEU, _daten(titel="<script>alert(1)</script> Zwilling"))
    html = r.content.decode()
    assert r.status_code == 200 and "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Zwilling" in html


@pytest.mark.parametrize("n", [3, 30])
def test_abfragen_begrenzt(client, lage, n, django_assert_max_num_queries):
    her = lage.user("muenchen", Rolle.HERAUSGABE)
    for e in viele(
        Ergebnis, lage.muenchen, her, n, sichtbar_fuer=[lage.augsburg.gruppe_mitglieder_id]
    ):
        ergebnis_suchvektor_aktualisieren(e.pk)
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    daten = {"titel": "Verwaltung Zwilling", "projekt": lage.eigenes.pk}
    client.get(FRAGMENT, daten)
    with django_assert_max_num_queries(5):
        html = client.get(FRAGMENT, daten).content.decode()
    assert "Ergebnis Masse" in html
