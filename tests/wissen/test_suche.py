"""Full-text search: german stemming, document text, ranking, highlights, facets, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommunen import sharing
from kommunen.models import Umfang
from projekte.models import Projekt
from tests.factories import (
    OEFFENTLICH,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    im_suchindex,
    projekt_anlegen,
    viele,
)
from wissen.models import Dokument, Ergebnis

SUCHE = reverse("suche")


def _titel(r):
    return [t.objekt.titel for t in r.context["treffer"]]


@pytest.fixture
def studie(welt):
    """A München study shared fully with Augsburg; a word only in its PDF's text."""
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie zur Verwaltungsmodernisierung")
    d = dokument_anlegen(e, her, name="studie.pdf")
    Dokument.objects.filter(pk=d.pk).update(
        text="Im Anhang steht das seltene Wort Quellwasserschutzgebiete und mehr."
    )
    im_suchindex(e)
    freigeben(welt, e, an=welt.augsburg)
    return e


def test_findet_wort_nur_im_dokumenttext(client, welt, studie):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": "Quellwasserschutzgebiet"})  # singular: german stemming
    assert r.status_code == 200
    assert _titel(r) == ["Studie zur Verwaltungsmodernisierung"]
    assert "<mark>Quellwasserschutzgebiete</mark>" in r.content.decode()


def test_andere_kommune_und_anonym_finden_nichts(client, welt, studie):
    client.force_login(welt.user("nuernberg"))
    r = client.get(SUCHE, {"q": "Quellwasserschutzgebiete"})
    assert r.status_code == 200
    assert _titel(r) == []
    assert r.context["page"].paginator.count == 0
    client.logout()
    r = client.get(SUCHE, {"q": "Quellwasserschutzgebiete"})
    assert r.status_code == 200
    assert _titel(r) == []


def test_anonym_findet_oeffentliches(client, welt):
    p = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", "herausgabe"),
        titel="Offene Haushaltsdaten",
        **OEFFENTLICH,
    )
    im_suchindex(p)
    freigeben(welt, p)
    r = client.get(SUCHE, {"q": "Haushaltsdaten"})
    assert r.status_code == 200
    assert _titel(r) == ["Offene Haushaltsdaten"]


def test_titeltreffer_vor_texttreffer(client, welt):
    her = welt.user("muenchen", "herausgabe")
    im_text = projekt_anlegen(welt.muenchen, her, titel="Schulen am Netz")
    Projekt.objects.filter(pk=im_text.pk).update(beschreibung="Es geht auch um Glasfaser.")
    im_titel = projekt_anlegen(welt.muenchen, her, titel="Glasfaser für alle")
    im_suchindex(im_text), im_suchindex(im_titel)
    client.force_login(welt.user("muenchen"))
    r = client.get(SUCHE, {"q": "Glasfaser"})
    assert _titel(r) == ["Glasfaser für alle", "Schulen am Netz"]
    ränge = [t.rang for t in r.context["treffer"]]
    assert ränge[0] > ränge[1]


def test_websearch_syntax(client, welt):
    her = welt.user("muenchen", "herausgabe")
    a = projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag")
    b = projekt_anlegen(welt.muenchen, her, titel="Digitale Schule")
    im_suchindex(a), im_suchindex(b)
    client.force_login(welt.user("muenchen"))
    assert sorted(_titel(client.get(SUCHE, {"q": "digital"}))) == [
        "Digitale Schule",
        "Digitaler Bauantrag",
    ]
    assert _titel(client.get(SUCHE, {"q": "digital -Schule"})) == ["Digitaler Bauantrag"]
    assert _titel(client.get(SUCHE, {"q": '"digitaler Bauantrag"'})) == ["Digitaler Bauantrag"]
    assert sorted(_titel(client.get(SUCHE, {"q": "Bauantrag or Schule"}))) == [
        "Digitale Schule",
        "Digitaler Bauantrag",
    ]


def test_mit_facetten_kombiniert(client, welt, studie):
    her = welt.user("augsburg", "herausgabe")
    eigen = projekt_anlegen(welt.augsburg, her, titel="Verwaltungsmodernisierung in Augsburg")
    im_suchindex(eigen)
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung"})
    assert len(_titel(r)) == 2
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung", "kommune": welt.muenchen.pk})
    assert _titel(r) == ["Studie zur Verwaltungsmodernisierung"]
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung", "typ": "projekte"})
    assert _titel(r) == ["Verwaltungsmodernisierung in Augsburg"]
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung", "art": "studie"})
    assert _titel(r) == ["Studie zur Verwaltungsmodernisierung"]
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung", "status": "planung"})
    assert _titel(r) == ["Verwaltungsmodernisierung in Augsburg"]
    r = client.get(SUCHE, {"q": "Verwaltungsmodernisierung", "sortierung": "titel"})
    assert _titel(r) == [
        "Studie zur Verwaltungsmodernisierung",
        "Verwaltungsmodernisierung in Augsburg",
    ]


def test_nur_metadaten_findet_keinen_dokumenttext_nicht(client, welt):
    """Metadata-only partners find the object by its text too (it is their metadata view)."""
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Gutachten Brücken")
    im_suchindex(e)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    assert _titel(client.get(SUCHE, {"q": "Brücke"})) == ["Gutachten Brücken"]


def test_xss_in_titel_und_text_escaped(client, welt):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(welt.muenchen, her, titel="<script>alert(1)</script> Ampel")
    Projekt.objects.filter(pk=p.pk).update(
        zusammenfassung='Ampel <img src=x onerror="alert(2)"> </mark><b>fett</b>'
    )
    im_suchindex(p)
    client.force_login(welt.user("muenchen"))
    r = client.get(SUCHE, {"q": "Ampel"})
    text = r.content.decode().split("<main", 1)[1]
    assert _titel(r) == [p.titel]
    assert "<script>alert" not in text
    assert "<img" not in text and "<b>fett" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Ampel</mark>" in text
    # a forged closing tag never becomes markup: only our own, balanced <mark> tags
    assert text.count("<mark>") == text.count("</mark>") == 2


@pytest.mark.parametrize(
    ("q", "status"),
    [
        ("!!!", 400),
        ("'\"", 400),
        ('"unbalanciert', 200),
        ("(((", 400),
        ("a & | ! <->", 400),
        ("-", 400),
        ("der die das", 200),  # filler words only: searched as the phrase they form
        ("\u202e\u200b", 400),
    ],
)
def test_kaputte_anfragen_ohne_fehler(client, welt, studie, q, status):
    """Nothing to search for is a clear German message and 400, never a 500."""
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": q})
    assert r.status_code == status
    assert _titel(r) == []
    if status == 400:
        assert "Bitte geben Sie" in r.content.decode()


def test_zu_lange_anfrage(client, welt, studie):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": "Quellwasserschutzgebiete " * 400})
    assert r.status_code == 400
    assert "Die Suchanfrage ist zu lang" in r.content.decode()
    assert r.context["treffer"] == []


def test_nullzeichen(client, welt, studie):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": "Quell\x00wasser"})
    assert r.status_code == 400
    assert "unzulässige Zeichen" in r.content.decode()


def test_ungueltige_facette_und_seite(client, welt, studie):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": "Quellwasserschutzgebiete", "kommune": "x", "seite": "99"})
    assert r.status_code == 200
    assert _titel(r) == ["Studie zur Verwaltungsmodernisierung"]
    assert "wurde ignoriert" in r.content.decode()


def test_leere_anfrage_zeigt_formular(client, welt):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE)
    assert r.status_code == 200
    assert 'role="search"' in r.content.decode()


def _zaehlen(client, params):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(SUCHE, params)
    assert r.status_code == 200
    return len(ctx), r


def test_abfragen_konstant_3_und_300(client, welt, django_assert_max_num_queries):
    her = welt.user("muenchen", "herausgabe")
    augsburg = [welt.augsburg.gruppe_mitglieder_id]
    client.force_login(welt.user("augsburg"))
    viele(Projekt, welt.muenchen, her, 3, sichtbar_fuer=augsburg)
    viele(Ergebnis, welt.muenchen, her, 3, sichtbar_fuer=augsburg)
    for modell in (Projekt, Ergebnis):
        for pk in modell.objects.values_list("pk", flat=True):
            im_suchindex(modell.objects.get(pk=pk))
    params = {"q": "Verwaltung", "kommune": welt.muenchen.pk}
    client.get(SUCHE, params)  # warm the per-process caches (content types, permission ids)
    # The first request after a change computes the years per group set (kommunen.sichtlisten),
    # the second reads them from the cache: neither count may grow with the hits.
    sharing.generation_erhoehen()
    kalt3 = _zaehlen(client, params)[0]
    n3, r3 = _zaehlen(client, params)
    viele(Projekt, welt.muenchen, her, 297, sichtbar_fuer=augsburg)
    viele(Ergebnis, welt.muenchen, her, 297, sichtbar_fuer=augsburg)
    from django.contrib.postgres.search import SearchVector

    for modell in (Projekt, Ergebnis):
        modell.objects.filter(suchvektor__isnull=True).update(
            suchvektor=SearchVector("titel", "zusammenfassung", config="german")
        )
    kalt300 = _zaehlen(client, params)[0]
    with django_assert_max_num_queries(n3):
        r300 = client.get(SUCHE, params)
    assert kalt300 == kalt3
    assert r3.context["page"].paginator.count == 6
    assert r300.context["page"].paginator.count == 600
    assert len(r300.context["treffer"]) == 20
    assert n3 <= 7
    print(f"Abfragen Suche: {n3} (6 und 600 Treffer)")


def test_einfache_hervorhebung_escaped():
    """The SQLite fallback's highlighting escapes everything but its own <mark> tags."""
    from common.suche import Anfrage

    anfrage = Anfrage.aus("akte <b>")
    html = anfrage.markiert_einfach('E-Akte <script>alert("akte")</script>')
    assert html == (
        "E-<mark>Akte</mark> &lt;script&gt;alert(&quot;<mark>akte</mark>&quot;)&lt;/script&gt;"
    )
    assert anfrage.markiert(f"x {anfrage.start}<i>{anfrage.stopp}") == "x <mark>&lt;i&gt;</mark>"


def test_anfrage_selbst_wird_escaped(client, welt):
    client.force_login(welt.user("augsburg"))
    r = client.get(SUCHE, {"q": '"><script>alert(1)</script>'})
    assert r.status_code == 200
    text = r.content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
