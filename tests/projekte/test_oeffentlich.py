"""The page of a publicly shared object: what a visitor needs to re-use it, nothing internal."""

import pytest
from django.urls import reverse

from kommunen.models import Kommune, Umfang
from kommunen.vokabular import LIZENZ_URLS, Lizenz
from projekte.models import Projekt
from tests.factories import (
    OEFFENTLICH,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
)

CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"
QUELLE = "Stadt München, Referat für Digitalisierung"


@pytest.fixture
def oeffentlich(welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Offene Geodaten", **OEFFENTLICH)
    Projekt.objects.filter(pk=projekt.pk).update(kontakt="Geodatenstelle, geo@muenchen.example")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie Stadtbäume", **OEFFENTLICH)
    dokument_anlegen(ergebnis, her, name="stadtbaeume.pdf")
    return {
        "projekt": projekt,
        "ergebnis": ergebnis,
        "f_projekt": freigeben(welt, projekt),
        "f_ergebnis": freigeben(welt, ergebnis),
    }


def _interne_merkmale(f) -> list[str]:
    """What the internal parts of the page print: the Freigabe table, its reasons, its dates,
    the staff's legal fields and the document processing."""
    return [
        f"Freigabe Nr. {f.pk}",
        f'<td data-label="Nr.">{f.pk}</td>',
        "gültig bis",
        f.gueltig_bis.strftime("%d.%m.%Y"),
        "Aktive Freigaben dieses Objekts",
        "Freigaben, über die Sie das sehen",
        "Weitergabe an Dritte",
        "nicht erlaubt",
        "Nutzungsrechte",
        "Einstufung",
        "Personenbezug",
        "Amts- und Berufsgeheimnisse",
        "Texterkennung für die Suche",
        "dok-fortschritt",
        "Volltext",
    ]


def test_oeffentliches_projekt_fuer_besucher(client, oeffentlich):
    f = oeffentlich["f_projekt"]
    r = client.get(oeffentlich["projekt"].get_absolute_url())
    assert r.status_code == 200
    text = r.content.decode()
    assert f'<a href="{CC_BY_URL}" rel="license">Creative Commons Namensnennung 4.0</a>' in text
    assert f"Quelle: {QUELLE}, Offene Geodaten, Creative Commons Namensnennung 4.0" in text
    assert "<dt>Herausgeberin</dt>\n    <dd>München</dd>" in text
    assert '<a href="mailto:geo@muenchen.example">geo@muenchen.example</a>' in text
    assert "München hat das für die Öffentlichkeit freigegeben." in text
    for merkmal in _interne_merkmale(f):
        assert merkmal not in text, merkmal


def test_oeffentliches_ergebnis_fuer_besucher(client, welt, oeffentlich):
    Kommune.objects.filter(pk=welt.muenchen.pk).update(kontakt="Bürgerbüro, 089 233-0")
    ergebnis, f = oeffentlich["ergebnis"], oeffentlich["f_ergebnis"]
    r = client.get(ergebnis.get_absolute_url())
    assert r.status_code == 200
    text = r.content.decode()
    assert "stadtbaeume.pdf" in text
    assert f'href="{CC_BY_URL}" rel="license"' in text
    assert f"Quelle: {QUELLE}, Studie Stadtbäume, Creative Commons Namensnennung 4.0" in text
    assert "<dd>München</dd>" in text
    # Without its own contact (a result has none) the Kommune's public contact stands there.
    assert "Bürgerbüro, 089 233-0" in text
    for merkmal in _interne_merkmale(f):
        assert merkmal not in text, merkmal
    # The document's processing is not public either, also not through the polled fragment.
    dok = ergebnis.dokumente.get()
    status_url = reverse("wissen:dokument_status", args=[ergebnis.pk, dok.pk])
    r = client.get(status_url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_ohne_kontaktangabe_nennt_die_seite_die_kommune(client, oeffentlich):
    r = client.get(oeffentlich["ergebnis"].get_absolute_url())
    assert "Fragen beantwortet die Verwaltung von München." in r.content.decode()


def test_andere_kommune_nur_ueber_die_oeffentlichkeit_sieht_die_besucheransicht(
    client, welt, oeffentlich
):
    client.force_login(welt.user("nuernberg"))
    r = client.get(oeffentlich["ergebnis"].get_absolute_url())
    assert r.status_code == 200
    text = r.content.decode()
    assert "Quelle: " in text and "Texterkennung für die Suche" not in text
    assert f"Freigabe Nr. {oeffentlich['f_ergebnis'].pk}" not in text
    dok = oeffentlich["ergebnis"].dokumente.get()
    status_url = reverse("wissen:dokument_status", args=[oeffentlich["ergebnis"].pk, dok.pk])
    assert client.get(status_url).status_code == 404


def test_partner_mit_eigener_freigabe_sieht_ihre_angaben(client, welt, oeffentlich):
    ergebnis = oeffentlich["ergebnis"]
    f = freigeben(welt, ergebnis, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    client.force_login(welt.user("augsburg"))
    text = client.get(ergebnis.get_absolute_url()).content.decode()
    assert f"Freigabe Nr. {f.pk} an Ihre Kommune" in text
    assert "Freigaben, über die Sie das sehen" in text


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
def test_eigentuemerin_sieht_die_internen_angaben(client, welt, oeffentlich, art):
    objekt, f = oeffentlich[art], oeffentlich[f"f_{art}"]
    client.force_login(welt.user("muenchen"))
    text = client.get(objekt.get_absolute_url()).content.decode()
    assert "Aktive Freigaben dieses Objekts" in text
    assert f'<td data-label="Nr.">{f.pk}</td>' in text
    assert f.gueltig_bis.strftime("%d.%m.%Y") in text
    assert "Nutzungsrechte" in text and "Einstufung" in text
    assert "Das Objekt gehört Ihrer Kommune." in text
    # An open licence lets anyone pass the content on: the table must not forbid it.
    assert "erlaubt nach der Lizenz (Creative Commons Namensnennung 4.0)" in text
    assert "nicht erlaubt" not in text
    if art == "ergebnis":
        assert "Texterkennung für die Suche" in text
        dok = objekt.dokumente.get()
        status_url = reverse("wissen:dokument_status", args=[objekt.pk, dok.pk])
        assert client.get(status_url).status_code == 200


def test_ohne_lizenz_bleibt_weitergabe_verboten(client, welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="Intern")
    freigeben(welt, p, an=welt.augsburg)
    client.force_login(welt.user("augsburg"))
    text = client.get(p.get_absolute_url()).content.decode()
    assert "nicht erlaubt" in text and "erlaubt nach der Lizenz" not in text
    assert "Quelle: " not in text


@pytest.mark.parametrize("slug", ["augsburg", "nuernberg", "regensburg"])
def test_nicht_oeffentliches_objekt_bleibt_verborgen(client, welt, slug):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(welt.muenchen, her, titel="Nur für München", **OEFFENTLICH)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Nur für München auch", **OEFFENTLICH)
    for objekt in (p, e):
        r = client.get(objekt.get_absolute_url())
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    client.force_login(welt.user(slug))
    for objekt in (p, e):
        r = client.get(objekt.get_absolute_url())
        assert r.status_code == 404
        assert "Nur für München" not in r.content.decode()


def test_jede_lizenz_hat_ihren_text():
    assert set(LIZENZ_URLS) == {lizenz for lizenz in Lizenz if lizenz}
    assert all(url.startswith("https://") for url in LIZENZ_URLS.values())
