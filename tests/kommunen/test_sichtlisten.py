"""Lists kept per group set (kommunen.sichtlisten): fast, and never older than the rights.

Each test warms the cache with the page first, so that the next request would be served from
it if nothing raised the generation; then it changes the rights and asks again.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common import zwischenspeicher
from kommunen import services, sharing, sichtlisten
from kommunen.models import Rolle
from projekte.models import Projekt, Thema
from tests.factories import (
    BenutzerFactory,
    ergebnis_anlegen,
    freigeben,
    im_suchindex,
    projekt_anlegen,
)
from wissen.models import Ergebnis

LISTE_P = reverse("projekte:liste")
LISTE_E = reverse("wissen:liste")


def _link(obj) -> str:
    return f'href="{obj.get_absolute_url()}"'


def _warm(client, url: str) -> int:
    """Ask twice; return the second request's number of queries (served from the cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx)


def _anzahl(client, url: str) -> tuple[int, str]:
    r = client.get(url)
    assert r.status_code == 200
    return r.context["page"].paginator.count, r.content.decode()


@pytest.fixture
def augsburg(client, welt):
    client.force_login(welt.user("augsburg"))
    return client


@pytest.mark.parametrize("anlegen,url", [(projekt_anlegen, LISTE_P), (ergebnis_anlegen, LISTE_E)])
def test_widerruf_beim_naechsten_aufruf_unsichtbar_bei_warmem_cache(augsburg, welt, anlegen, url):
    obj = anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = freigeben(welt, obj, an=welt.augsburg)
    vorher, text = _anzahl(augsburg, url)
    assert _link(obj) in text
    _warm(augsburg, url)

    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))

    nachher, text = _anzahl(augsburg, url)
    assert _link(obj) not in text
    assert nachher == vorher - 1
    assert augsburg.get(obj.get_absolute_url()).status_code == 404


def test_erteilte_freigabe_beim_naechsten_aufruf_sichtbar(augsburg, welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    vorher, text = _anzahl(augsburg, LISTE_P)
    assert _link(p) not in text
    _warm(augsburg, LISTE_P)
    freigeben(welt, p, an=welt.augsburg)
    nachher, text = _anzahl(augsburg, LISTE_P)
    assert _link(p) in text
    assert nachher == vorher + 1


def test_abgelaufene_freigabe_am_naechsten_tag_unsichtbar_bei_warmem_cache(
    augsburg, welt, zeitreise
):
    """No task runs at midnight here: the date in the key and the rows' dates end it."""
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    heute = timezone.localdate()
    freigeben(welt, p, an=welt.augsburg, gueltig_ab=heute, gueltig_bis=heute)
    vorher, text = _anzahl(augsburg, LISTE_P)
    assert _link(p) in text
    _warm(augsburg, LISTE_P)

    zeitreise(dt.timedelta(days=1))

    nachher, text = _anzahl(augsburg, LISTE_P)
    assert _link(p) not in text
    assert nachher == vorher - 1


def test_ohne_neue_generation_zeigt_die_seite_trotzdem_nichts_widerrufenes(
    augsburg, welt, monkeypatch
):
    """The cache could not be told (Redis gone at the moment of the change): the count may be
    old until the entry ends, but the page's rows are read through visible() again."""
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = freigeben(welt, p, an=welt.augsburg)
    _anzahl(augsburg, LISTE_P)
    monkeypatch.setattr(sharing, "generation_erhoehen", lambda *a, **k: None)

    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))

    _anzahl_alt, text = _anzahl(augsburg, LISTE_P)
    assert _link(p) not in text
    assert p.titel not in text


def test_zweite_anfrage_kommt_aus_dem_cache(augsburg, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    for i in range(3):
        freigeben(welt, projekt_anlegen(welt.muenchen, her, titel=f"Projekt {i}"), an=welt.augsburg)
    with CaptureQueriesContext(connection) as kalt:
        augsburg.get(LISTE_P)
    with CaptureQueriesContext(connection) as warm:
        r = augsburg.get(LISTE_P)
    assert r.context["page"].paginator.count == 3
    # Counting, the years and the page's place are read from the cache, not the database.
    assert len(warm) <= len(kalt) - 2
    sql = " ".join(q["sql"] for q in warm.captured_queries)
    assert "DISTINCT" not in sql
    assert "projekte_projekt" in sql  # the page's rows, through visible()


def test_gleiche_gruppen_teilen_den_eintrag_andere_nicht(welt):
    a1 = welt.user("augsburg")
    a2 = BenutzerFactory(kommune=welt.augsburg, rolle=Rolle.MITARBEIT, username="augsburg-zwei")
    n = welt.user("nuernberg")
    schluessel = [sharing.gruppensatz_schluessel(u, "projekte", "{}") for u in (a1, a2, n)]
    assert schluessel[0] == schluessel[1]
    assert schluessel[0] != schluessel[2]


def _stand(user):
    return sharing.generation(sharing.group_ids(user))


def test_jede_aenderung_der_rechte_hebt_die_generation(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    augsburg, muenchen = welt.user("augsburg"), welt.user("muenchen")
    stand = _stand(muenchen)
    p = projekt_anlegen(welt.muenchen, her)
    assert _stand(muenchen) != stand
    stand = _stand(augsburg)
    f = freigeben(welt, p, an=welt.augsburg)
    assert _stand(augsburg) != stand
    # A shareable object's fields (the lists filter and sort by them) and its Themen.
    stand = _stand(augsburg)
    Projekt.objects.get(pk=p.pk).save()
    assert _stand(augsburg) != stand
    stand = _stand(augsburg)
    p.themen.add(Thema.objects.create(name="Klimaanpassung", slug="klimaanpassung"))
    assert _stand(augsburg) != stand
    stand = _stand(augsburg)
    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert _stand(augsburg) != stand
    # A Kommune: everyone's.
    stand = _stand(augsburg)
    welt.nuernberg.save()
    assert _stand(augsburg) != stand


def test_was_eine_gruppe_nicht_sieht_laesst_ihre_generation_stehen(welt):
    """Changes elsewhere keep Augsburg's entries: an object only München sees, and a Freigabe
    to Nürnberg, raise the numbers of those groups, not Augsburg's."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    augsburg, nuernberg = welt.user("augsburg"), welt.user("nuernberg")
    vorher = _stand(augsburg)
    p = projekt_anlegen(welt.muenchen, her)
    Projekt.objects.get(pk=p.pk).save()
    stand_n = _stand(nuernberg)
    freigeben(welt, p, an=welt.nuernberg)
    assert _stand(nuernberg) != stand_n
    assert _stand(augsburg) == vorher


def test_generation_neu_nach_verlust_des_caches(welt):
    augsburg = welt.user("augsburg")
    erste = _stand(augsburg)
    zwischenspeicher.loeschen(sharing.GENERATION_SCHLUESSEL)
    zweite = _stand(augsburg)
    assert zweite is not None and zweite[0] != erste[0] and zweite[1:] == erste[1:]
    # A group's number lost alone: that group's sets get new keys, too.
    zwischenspeicher.loeschen(f"{sharing.GENERATION_SCHLUESSEL}:{sharing.group_ids(augsburg)[-1]}")
    dritte = _stand(augsburg)
    assert dritte != zweite and dritte[:-1] == zweite[:-1]
    sharing.generation_erhoehen()
    assert _stand(augsburg)[0] != dritte[0] and _stand(augsburg)[1:] == dritte[1:]


def test_ohne_cache_rechnet_die_liste_aus_der_datenbank(augsburg, welt, monkeypatch):
    """Redis down: no key, every request computes; the page is right, only slower."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    freigeben(welt, p, an=welt.augsburg)
    monkeypatch.setattr(zwischenspeicher, "lesen_viele", lambda schluessel: None)
    assert sharing.gruppensatz_schluessel(welt.user("augsburg"), "x") is None
    anzahl, text = _anzahl(augsburg, LISTE_P)
    assert anzahl == 1 and _link(p) in text


def test_liste_einer_anderen_kommune_ohne_freigabe_leer_auch_aus_dem_cache(client, welt):
    """The cache is shared by the group set: Regensburg gets no entry of Augsburg's."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    e = ergebnis_anlegen(welt.muenchen, her)
    freigeben(welt, p, an=welt.augsburg)
    freigeben(welt, e, an=welt.augsburg)
    client.force_login(welt.user("augsburg"))
    for url in (LISTE_P, LISTE_E):
        client.get(url)
    client.force_login(welt.user("nuernberg"))
    for url, obj in ((LISTE_P, p), (LISTE_E, e)):
        anzahl, text = _anzahl(client, url)
        assert anzahl == 0
        assert _link(obj) not in text


def test_seiten_aus_der_id_liste(augsburg, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    objekte = [projekt_anlegen(welt.muenchen, her, titel=f"Seite {i:02}") for i in range(25)]
    for p in objekte:
        freigeben(welt, p, an=welt.augsburg, umfang="metadaten")
    liste = sichtlisten.SichtbareListe(
        welt.user("augsburg"),
        sharing.visible(welt.user("augsburg"), Projekt.objects.order_by("-erstellt_am", "-pk")),
        art="test",
        filter={},
    )
    assert len(liste) == 25
    assert [p.pk for p in liste[20:25]] == [p.pk for p in reversed(objekte[:5])]
    assert liste[0].pk == objekte[-1].pk
    assert liste[30:40] == []


def test_ergebnis_ohne_projekt_zaehlt_nicht_fuer_andere_modelle(augsburg, welt):
    """Projects and results have keys of their own: the same group set, two lists."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    freigeben(welt, projekt_anlegen(welt.muenchen, her), an=welt.augsburg)
    assert _anzahl(augsburg, LISTE_P)[0] == 1
    assert _anzahl(augsburg, LISTE_E)[0] == 0
    assert Ergebnis.objects.count() == 0


# --- the search's counts, kept the same way (wissen.suche.zaehlen) ----------------------------

SUCHE = reverse("suche")


def _suche(client, q: str) -> tuple[int, set[str]]:
    r = client.get(SUCHE, {"q": q})
    assert r.status_code == 200
    return r.context["page"].paginator.count, {t.objekt.titel for t in r.context["treffer"]}


def test_suche_zaehlt_aus_dem_cache_und_widerruf_wirkt_beim_naechsten_aufruf(augsburg, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = im_suchindex(projekt_anlegen(welt.muenchen, her, titel="Hochwasserschutz am Lech"))
    f = freigeben(welt, p, an=welt.augsburg)
    assert _suche(augsburg, "Hochwasserschutz") == (1, {"Hochwasserschutz am Lech"})
    with CaptureQueriesContext(connection) as ctx:
        assert _suche(augsburg, "Hochwasserschutz") == (1, {"Hochwasserschutz am Lech"})
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT count(*)")]

    services.freigabe_widerrufen(freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    assert _suche(augsburg, "Hochwasserschutz") == (0, set())


def test_suche_zaehlt_neu_nach_einer_aenderung_des_suchindex(augsburg, welt):
    """A search index written by the update alone (no model signal, as the text extraction
    does) raises the generation: the next count includes the new words."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = im_suchindex(projekt_anlegen(welt.muenchen, her, titel="Radwegenetz"))
    freigeben(welt, p, an=welt.augsburg)
    assert _suche(augsburg, "Schulwegsicherheit")[0] == 0
    Projekt.objects.filter(pk=p.pk).update(beschreibung="Schulwegsicherheit an Kreuzungen.")
    im_suchindex(Projekt.objects.get(pk=p.pk))
    assert _suche(augsburg, "Schulwegsicherheit") == (1, {"Radwegenetz"})


def test_suche_einer_anderen_kommune_ohne_freigabe_zaehlt_nichts_auch_aus_dem_cache(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    im_suchindex(projekt_anlegen(welt.muenchen, her, titel="Hochwasserschutz an der Isar"))
    client.force_login(welt.user("muenchen"))
    assert _suche(client, "Hochwasserschutz")[0] == 1
    for slug in ("augsburg", "nuernberg"):
        client.force_login(welt.user(slug))
        assert _suche(client, "Hochwasserschutz") == (0, set())
        assert _suche(client, "Hochwasserschutz") == (0, set())
