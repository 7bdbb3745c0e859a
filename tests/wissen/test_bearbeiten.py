"""Creating and editing results (herausgabe): permissions, project link, forged fields."""

import pytest
from django.urls import reverse

from kommunen import sharing
from kommunen.models import Protokoll
from tests.factories import ergebnis_anlegen, projekt_anlegen
from wissen.models import Ergebnis

NEU = reverse("wissen:neu")
SKRIPT = "<script>alert(1)</script>"


def _daten(**extra):
    daten = {
        "titel": "Machbarkeitsstudie digitaler Zwilling",
        "art": "studie",
        "zusammenfassung": "Was ein digitaler Zwilling der Stadt leisten kann.",
        "text": "Ergebnisse in **drei** Szenarien.",
        "datum": "2025-06-30",
        "autoren": "Beratung GmbH",
        "projekt": "",
        "einstufung": "intern",
        "personenbezug": "keiner",
        "nutzungsrechte": "nur_intern",
        "vergabebezug": "keiner",
        "gremienstatus": "nicht_befasst",
        "geheimnisschutz": "keiner",
        "lizenz": "",
    }
    daten.update(extra)
    return daten


def test_anonym_und_ohne_rolle(client, welt):
    e = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="Alt")
    for url in (NEU, reverse("wissen:bearbeiten", args=[e.pk])):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("login"))
    r = client.post(reverse("wissen:bearbeiten", args=[e.pk]), _daten(titel="Neu"))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    e.refresh_from_db()
    assert e.titel == "Alt"
    client.force_login(welt.user("muenchen", "mitarbeit"))
    assert client.post(NEU, _daten()).status_code == 403
    assert Ergebnis.objects.count() == 1


def test_anlegen_mit_eigenem_projekt(client, welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Digitaler Zwilling")
    client.force_login(her)
    r = client.get(NEU)
    assert r.status_code == 200
    assert "Digitaler Zwilling" in r.content.decode()
    r = client.post(NEU, _daten(projekt=projekt.pk, kommune=welt.augsburg.pk))
    assert r.status_code == 302
    e = Ergebnis.objects.get()
    assert (e.kommune, e.erstellt_von, e.projekt) == (welt.muenchen, her, projekt)
    assert e.art == "studie" and e.autoren == "Beratung GmbH"
    assert sharing.can(her, "change", e)
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.OBJEKT_ERSTELLT, object_id=e.pk
    ).exists()


def test_fremdes_projekt_wird_verweigert(client, welt):
    fremd = projekt_anlegen(welt.augsburg, welt.user("augsburg", "herausgabe"))
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(NEU, _daten(projekt=fremd.pk))
    assert r.status_code == 400
    assert "Verknüpfen lassen sich nur Projekte Ihrer eigenen Kommune." in r.content.decode()
    assert not Ergebnis.objects.exists()
    # ... also a project id that does not exist, or is not a number.
    for wert in ("999999", "abc"):
        r = client.post(NEU, _daten(projekt=wert))
        assert r.status_code == 400
    assert not Ergebnis.objects.exists()


def test_service_verweigert_fremdes_projekt(welt):
    from django.core.exceptions import ValidationError

    from wissen import services

    fremd = projekt_anlegen(welt.augsburg, welt.user("augsburg", "herausgabe"))
    with pytest.raises(ValidationError) as info:
        services.ergebnis_anlegen(
            by=welt.user("muenchen", "herausgabe"), titel="X", zusammenfassung="Y", projekt=fremd
        )
    assert "projekt" in info.value.message_dict
    assert not Ergebnis.objects.exists()


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [("muenchen", "mitarbeit"), ("augsburg", "herausgabe"), ("regensburg", "freigabe_admin")],
)
def test_bearbeiten_ohne_recht_404(client, welt, slug, rolle):
    e = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="Alt")
    client.force_login(welt.user(slug, rolle))
    url = reverse("wissen:bearbeiten", args=[e.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _daten(titel="Neu")).status_code == 404
    e.refresh_from_db()
    assert e.titel == "Alt"


def test_bearbeiten_und_skripte_als_text(client, welt):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Alt")
    client.force_login(her)
    url = reverse("wissen:bearbeiten", args=[e.pk])
    r = client.post(url, _daten(titel=SKRIPT, text=SKRIPT, erstellt_von=welt.user("augsburg").pk))
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.titel == SKRIPT and e.erstellt_von == her
    for seite in (e.get_absolute_url(), url):
        html = client.get(seite).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;" in html


def test_vsnfd_mit_dokumenten_wird_verweigert(client, welt):
    from tests.dateien import pdf, upload
    from wissen import services

    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her)
    services.dokument_hochladen(ergebnis=e, datei=upload("a.pdf", pdf("Text")), by=her)
    client.force_login(her)
    r = client.post(
        reverse("wissen:bearbeiten", args=[e.pk]),
        _daten(einstufung="vs_nfd", vsnfd_ansprechstelle="Amt 12"),
    )
    assert r.status_code == 400
    assert "VSNFD-1" in r.content.decode()
    e.refresh_from_db()
    assert e.einstufung == "intern"
