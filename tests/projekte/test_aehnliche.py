"""Similar work elsewhere while a project is being created: partners' visible projects only,
on the htmx fragment and on the plain re-rendered form, and nothing is saved."""

import pytest
from django.urls import reverse

from kommunen.models import Benachrichtigung, Protokoll, Rolle, Umfang
from projekte.models import Projekt, Thema
from projekte.suche import projekt_suchvektor_aktualisieren
from tests.factories import freigeben, im_suchindex, projekt_anlegen, viele
from tests.formulare import projekt_daten

NEU = reverse("projekte:neu")
FRAGMENT = reverse("projekte:aehnliche")


@pytest.fixture
def lage(welt):
    bauen = Thema.objects.create(name="Bauen und Wohnen", slug="bauen")
    her_m = welt.user("muenchen", Rolle.HERAUSGABE)
    geteilt = im_suchindex(
        projekt_anlegen(
            welt.muenchen,
            her_m,
            titel="Digitaler Bauantrag München",
            zusammenfassung="Bauanträge medienbruchfrei online einreichen.",
        )
    )
    geteilt.themen.add(bauen)
    freigeben(welt, geteilt, an=welt.verbund, umfang=Umfang.METADATEN)
    im_suchindex(
        projekt_anlegen(
            welt.muenchen, her_m, titel="Bauantrag intern", zusammenfassung="Nur für München."
        )
    )
    im_suchindex(
        projekt_anlegen(
            welt.augsburg,
            welt.user("augsburg", Rolle.HERAUSGABE),
            titel="Augsburger Bauantrag",
            zusammenfassung="Unser eigener Bauantrag.",
        )
    )
    welt.bauen = bauen
    welt.geteilt = geteilt
    return welt


def _html(client, user, **daten):
    client.force_login(user)
    return client.get(FRAGMENT, daten)


def test_vorschlaege_vom_partner_mit_freigabe(client, lage):
    r = _html(client, lage.user("augsburg", Rolle.HERAUSGABE), titel="Bauantrag digital")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Digitaler Bauantrag München" in html
    assert f"{lage.geteilt.get_absolute_url()}#h-nachnutzung" in html
    # München's unshared project and Augsburg's own are not suggested.
    assert "Bauantrag intern" not in html and "Augsburger Bauantrag" not in html


def test_gemeinsames_thema_allein_genuegt(client, lage):
    r = _html(client, lage.user("augsburg"), titel="Etwas ganz anderes", themen=[lage.bauen.pk])
    assert "Digitaler Bauantrag München" in r.content.decode()
    r = _html(client, lage.user("augsburg"), titel="Etwas ganz anderes", themen=["x", "-1"])
    assert "Digitaler Bauantrag München" not in r.content.decode()


def test_kommune_ohne_freigabe_sieht_nichts(client, lage):
    r = _html(
        client,
        lage.user("regensburg", Rolle.HERAUSGABE),
        titel="Digitaler Bauantrag",
        zusammenfassung="Bauanträge online",
        themen=[lage.bauen.pk],
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Bauantrag München" not in html and "Bauantrag intern" not in html
    assert "Keine ähnlichen Vorhaben" in html


def test_anonym_zur_anmeldung(client, lage):
    r = client.get(FRAGMENT, {"titel": "Bauantrag"})
    assert r.status_code == 302 and "Bauantrag" not in r.content.decode()


def test_ohne_javascript_formular_mit_vorschlaegen_und_nichts_gespeichert(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    vorher = Projekt.objects.count()
    spuren = (Protokoll.objects.count(), Benachrichtigung.objects.count())
    r = client.post(
        NEU, projekt_daten(titel="Bauantrag für alle", themen=[lage.bauen.pk], aktion="aehnliche")
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert Projekt.objects.count() == vorher
    assert (Protokoll.objects.count(), Benachrichtigung.objects.count()) == spuren
    assert "Digitaler Bauantrag München" in html
    # the form comes back as typed, without errors of its own
    assert 'value="Bauantrag für alle"' in html
    assert "Bauanträge online stellen." in html
    assert f'value="{lage.bauen.pk}" id="id_themen_0" checked' in html
    assert "Handwerkskammer" in html
    assert 'aria-invalid="true"' not in html
    # half-filled: still no save and no error
    r = client.post(NEU, {"titel": "Bauantrag", "aktion": "aehnliche"})
    assert r.status_code == 200 and Projekt.objects.count() == vorher
    assert 'aria-invalid="true"' not in r.content.decode()


def test_zu_langer_text_400_und_nichts_gespeichert(client, lage):
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    lang = "Bauantrag " * 300
    r = client.get(FRAGMENT, {"titel": "x", "zusammenfassung": lang})
    assert r.status_code == 400
    assert "zu lang" in r.content.decode()
    vorher = Projekt.objects.count()
    r = client.post(NEU, projekt_daten(zusammenfassung=lang, aktion="aehnliche"))
    assert r.status_code == 400 and "zu lang" in r.content.decode()
    assert Projekt.objects.count() == vorher


def test_skripte_im_text_und_in_titeln_werden_escaped(client, lage):
    p = im_suchindex(
        projekt_anlegen(
            lage.muenchen,
            lage.user("muenchen", Rolle.HERAUSGABE),
            titel="<script>alert(1)</script> Bauantrag",
        )
    )
    freigeben(lage, p, an=lage.verbund, umfang=Umfang.METADATEN)
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    skript = "<script>alert(2)</script> Bauantrag"
    for r in (
        client.get(FRAGMENT, {"titel": skript}),
        client.post(NEU, projekt_daten(titel=skript, aktion="aehnliche")),
    ):
        html = r.content.decode()
        assert r.status_code == 200
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Bauantrag" in html


def test_nur_fuellwoerter_zeigen_nichts(client, lage):
    r = _html(client, lage.user("augsburg"), titel="und der die das")
    assert r.status_code == 200 and "Bauantrag" not in r.content.decode()


def test_bearbeiten_zeigt_keine_vorschlaege(client, lage):
    p = Projekt.objects.get(titel="Augsburger Bauantrag")
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    html = client.get(reverse("projekte:bearbeiten", args=[p.pk])).content.decode()
    assert "Ähnliche Vorhaben prüfen" not in html
    assert "Ähnliche Vorhaben prüfen" in client.get(NEU).content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_abfragen_begrenzt(client, lage, n, django_assert_max_num_queries):
    her = lage.user("muenchen", Rolle.HERAUSGABE)
    for p in viele(
        Projekt, lage.muenchen, her, n, sichtbar_fuer=[lage.augsburg.gruppe_mitglieder_id]
    ):
        p.themen.add(lage.bauen)
        projekt_suchvektor_aktualisieren(p.pk)
    client.force_login(lage.user("augsburg", Rolle.HERAUSGABE))
    daten = {"titel": "Verwaltung Bauantrag", "themen": [lage.bauen.pk]}
    client.get(FRAGMENT, daten)
    with django_assert_max_num_queries(3):
        html = client.get(FRAGMENT, daten).content.decode()
    assert html.count("Nachnutzung anfragen") == min(5, n + 1)
