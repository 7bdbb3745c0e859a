"""The decision page: the law it shows (metadata, every rule with its outcome), the other
Freigaben reaching the same recipients, new documents, and the confirmation of granting and
revoking that names who gains or loses access."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kommunen import rules, selectors, services, sharing
from kommunen.models import Freigabe, FreigabeStatus, Protokoll, Rolle, Umfang
from tests.factories import (
    beantragen,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
)
from tests.formulare import entscheiden_url, freigabe_daten

ADMIN = Rolle.FREIGABE_ADMIN


def _detail(f):
    return reverse("kommunen:freigabe_detail", args=[f.pk])


@pytest.fixture
def her(welt):
    return welt.user("muenchen", Rolle.HERAUSGABE)


@pytest.fixture
def admin(welt):
    return welt.user("muenchen", ADMIN)


@pytest.fixture
def antrag(welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, titel="Digitaler Bauantrag")
    return beantragen(welt, projekt, an=welt.augsburg)


# --- selectors ------------------------------------------------------------------------------


def test_jede_regel_hat_eine_anwendbarkeit():
    assert set(rules.ANWENDBAR) == set(rules.REGEL_IDS)


def test_alle_regeln_mit_ergebnis_und_grundlage(welt, admin, antrag):
    ergebnisse = selectors.regeln_fuer(antrag, by=admin)
    assert [e.regel.id for e in ergebnisse] == list(rules.REGEL_IDS)
    nach_id = {e.regel.id: e for e in ergebnisse}
    # Not personal, no licence, to one Kommune: the data-protection rules do not apply ...
    assert nach_id["DSGVO-1"].ergebnis == rules.NICHT_ANWENDBAR
    assert nach_id["OEFFENTLICH-1"].ergebnis == rules.NICHT_ANWENDBAR
    assert nach_id["VERBUND-1"].ergebnis == rules.NICHT_ANWENDBAR
    # ... the time limit and the document review do, and hold.
    assert nach_id["FRIST-1"].ergebnis == rules.ERFUELLT
    assert nach_id["VERSION-1"].ergebnis == rules.ERFUELLT
    assert all(e.regel.grundlage for e in ergebnisse)
    assert not any(e.verletzt for e in ergebnisse)


def test_verletzte_regel_mit_meldung_wie_check(welt, admin, antrag):
    type(antrag.objekt).objects.filter(pk=antrag.object_id).update(nutzungsrechte="ungeklaert")
    antrag.refresh_from_db()
    ergebnisse = {e.regel.id: e for e in selectors.regeln_fuer(antrag, by=admin)}
    assert ergebnisse["RECHTE-1"].ergebnis == rules.VERLETZT
    # The same violations as the services' check, no rule logic of its own.
    verstoesse = [v for e in ergebnisse.values() for v in e.verstoesse]
    assert verstoesse == selectors.pruefen_fuer(antrag, by=admin)


def test_verletzt_heisst_immer_anwendbar(welt, her):
    """Walk the table with objects that break many rules: a rule never fails where its
    applicability says it does not concern the Freigabe."""
    for felder in (
        {"personenbezug": "besondere_kategorien", "einstufung": "vs_nfd"},
        {"nutzungsrechte": "nur_intern", "gremienstatus": "nichtoeffentlich"},
        {"vergabebezug": "bieterunterlagen", "vergabestand": "laufend", "lizenz": "CC-BY-4.0"},
        {"geheimnisschutz": "", "geschaeftsgeheimnisse_dritter": True},
    ):
        objekt = projekt_anlegen(welt.muenchen, her, **felder)
        for art, an in (("kommune", welt.augsburg), ("oeffentlich", None)):
            f = Freigabe(
                objekt=objekt,
                eigentuemer=welt.muenchen,
                empfaenger_art=art,
                empfaenger_kommune=an,
                umfang=Umfang.MITARBEIT,
                gueltig_ab=dt.date.today(),
                gueltig_bis=None,
                weitergabe_erlaubt=True,
                beantragt_von=her,
            )
            for e in rules.alle_pruefen(f, objekt, f.umstaende(objekt)):
                if e.verletzt:
                    assert rules.ANWENDBAR[e.regel.id](objekt, f, f.umstaende(objekt)), e


def test_andere_freigaben_an_denselben_empfaenger(welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, titel="Bürgerportal")
    verbund = freigeben(welt, projekt, an=welt.verbund, umfang=Umfang.METADATEN)
    oeffentlich_nicht = freigeben(welt, projekt, an=welt.nuernberg, umfang=Umfang.METADATEN)
    antrag = beantragen(welt, projekt, an=welt.augsburg)
    zugang = selectors.zugang(antrag)
    assert [e.kommune for e in zugang.kommunen] == [welt.augsburg]
    assert zugang.kommunen[0].benutzer == 3
    # The Verbund reaches Augsburg; the Freigabe to Nürnberg does not.
    assert zugang.andere == [verbund]
    assert zugang.kommunen[0].weiter_durch == [verbund]
    assert oeffentlich_nicht not in zugang.andere
    # From the Verbund's side: Augsburg and Nürnberg (never the owner), Nürnberg also
    # reached by its own Freigabe.
    zugang = selectors.zugang(verbund)
    assert [e.kommune for e in zugang.kommunen] == [welt.augsburg, welt.nuernberg]
    assert [e.kommune for e in zugang.ohne_anderen_zugang] == [welt.augsburg]
    assert zugang.mit_anderem_zugang[0].weiter_durch == [oeffentlich_nicht]


def test_neue_dokumente_seit_der_letzten_entscheidung(welt, her, admin):
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie E-Akte")
    alt = dokument_anlegen(ergebnis, her, name="alt.pdf", inhalt=b"%PDF-1.4 alt")
    f = freigeben(welt, ergebnis, an=welt.augsburg)
    assert selectors.neue_dokumente(f) is None
    type(f).objects.filter(pk=f.pk).update(entschieden_am=timezone.now() - dt.timedelta(hours=1))
    type(alt).objects.filter(pk=alt.pk).update(
        hochgeladen_am=timezone.now() - dt.timedelta(hours=2)
    )
    neu = dokument_anlegen(ergebnis, her, name="neu.pdf", inhalt=b"%PDF-1.4 neu")
    services.dokumente_geaendert(objekt=ergebnis, by=her)
    f.refresh_from_db()
    assert f.dokumente_zurueckgehalten
    assert selectors.neue_dokumente(f) == [neu]


# --- the page ----------------------------------------------------------------------------------


def test_seite_zeigt_recht_regeln_und_andere_freigaben(client, welt, admin, her):
    projekt = projekt_anlegen(welt.muenchen, her, titel="Open Data", lizenz="CC-BY-4.0")
    verbund = freigeben(welt, projekt, an=welt.verbund, umfang=Umfang.METADATEN)
    antrag = beantragen(welt, projekt, an=welt.augsburg)
    client.force_login(admin)
    html = client.get(_detail(antrag)).content.decode()
    for text in ("Einstufung", "intern", "Nutzungsrechte", "Lizenz", "Löschdatum"):
        assert text in html
    assert "nicht angegeben" in html  # the Löschdatum of this object
    for regel_id in rules.REGEL_IDS:
        assert f'id="regel-{regel_id}"' in html
    assert "nicht anwendbar" in html and "erfüllt" in html
    assert "§§ 31, 35 UrhG" in html  # LIZENZ-1's legal ground
    assert f'href="{_detail(verbund)}"' in html
    assert f'action="{_detail(antrag)}"' in html  # the form posts to the page itself


def test_erteilen_mit_bestaetigung(client, welt, admin, antrag):
    client.force_login(admin)
    url = _detail(antrag)
    antwort = client.post(url, {"aktion": "erteilen", "stand": "beantragt|0||"})
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert "Erteilen bestätigen" in html
    assert "Augsburg – 3 Benutzer/innen" in html
    assert 'name="bestaetigt"' in html
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT
    assert not sharing.can(welt.user("augsburg"), "view", antrag.objekt)

    daten = {"aktion": "erteilen", "stand": "beantragt|0||", "bestaetigt": "1"}
    antwort = client.post(url, daten)
    assert antwort.status_code == 302 and antwort.url == url
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.ERTEILT
    # A double submit decides nothing twice.
    antwort = client.post(url, daten, follow=True)
    assert "wurde inzwischen entschieden" in antwort.content.decode()
    assert (
        Protokoll.objects.filter(
            freigabe_id_ref=antrag.pk, aktion=Protokoll.Aktion.FREIGABE_ERTEILT
        ).count()
        == 1
    )


def test_widerruf_nennt_wer_zugang_verliert_und_wer_ihn_behaelt(client, welt, admin, her):
    projekt = projekt_anlegen(welt.muenchen, her, titel="Bürgerportal")
    freigeben(welt, projekt, an=welt.augsburg, umfang=Umfang.METADATEN)
    verbund = freigeben(welt, projekt, an=welt.verbund)
    client.force_login(admin)
    url = _detail(verbund)
    antwort = client.post(url, {"aktion": "widerrufen", "begruendung": "Projekt beendet"})
    html = antwort.content.decode()
    assert antwort.status_code == 200 and "Widerruf bestätigen" in html
    verliert = html.split('class="zugang-verliert"')[1].split("</ul>")[0]
    behaelt = html.split('class="zugang-behaelt"')[1].split("</ul>")[0]
    assert "Nürnberg – 3 Benutzer/innen" in verliert and "Augsburg" not in verliert
    assert "Augsburg" in behaelt and "nur Metadaten" in behaelt
    verbund.refresh_from_db()
    assert verbund.status == FreigabeStatus.ERTEILT
    stand = selectors.entscheidung_stand(verbund)
    antwort = client.post(
        url,
        {
            "aktion": "widerrufen",
            "begruendung": "Projekt beendet",
            "bestaetigt": "1",
            "stand": stand,
        },
    )
    assert antwort.status_code == 302
    verbund.refresh_from_db()
    assert verbund.status == FreigabeStatus.WIDERRUFEN
    assert sharing.can(welt.user("augsburg"), "view", projekt)
    assert not sharing.can(welt.user("nuernberg"), "view", projekt)


def test_aus_dem_eingang_erst_bestaetigen(client, welt, admin, antrag):
    client.force_login(admin)
    antwort = client.post(entscheiden_url(antrag), {"aktion": "erteilen"})
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert "Erteilen bestätigen" in html
    assert f'action="{_detail(antrag)}"' in html and 'name="zurueck" value="eingang"' in html
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT
    antwort = client.post(
        _detail(antrag), {"aktion": "erteilen", "bestaetigt": "1", "zurueck": "eingang"}
    )
    assert antwort.status_code == 302 and antwort.url == reverse("kommunen:eingang")


def test_gescheiterte_entscheidung_bleibt_auf_der_seite(client, welt, admin, antrag):
    services.freigabe_erteilen(freigabe=antrag, by=admin)
    client.force_login(admin)
    antwort = client.post(_detail(antrag), {"aktion": "widerrufen", "begruendung": ""})
    assert antwort.status_code == 400
    html = antwort.content.decode()
    oben = html.split('id="fehler-zusammenfassung"')[1].split("</div>")[0]
    assert f'href="#begruendung-f{antrag.pk}"' in oben
    assert "Bitte einen Grund für den Widerruf angeben." in oben
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.ERTEILT


def test_regelverstoss_oben_mit_was_tun(client, welt, admin, antrag):
    type(antrag.objekt).objects.filter(pk=antrag.object_id).update(nutzungsrechte="ungeklaert")
    client.force_login(admin)
    html = client.get(_detail(antrag)).content.decode()
    assert f'aria-describedby="erteilen-hinweis-f{antrag.pk}"' in html
    antwort = client.post(_detail(antrag), {"aktion": "erteilen", "bestaetigt": "1"})
    assert antwort.status_code == 400
    oben = antwort.content.decode().split('id="fehler-zusammenfassung"')[1].split("</div>")[0]
    assert 'href="#regel-RECHTE-1"' in oben
    assert "Was tun:" in oben and "Nutzungsrechte beim Urheber" in oben
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT


def test_andere_stadt_404_auf_seite_und_bestaetigung(client, welt, antrag):
    client.force_login(welt.user("augsburg", ADMIN))
    url = _detail(antrag)
    for antwort in (
        client.get(url),
        client.post(url, {"aktion": "erteilen"}),
        client.post(url, {"aktion": "erteilen", "bestaetigt": "1"}),
        client.post(entscheiden_url(antrag), {"aktion": "erteilen"}),
    ):
        assert antwort.status_code == 404
        assert "Digitaler Bauantrag" not in antwort.content.decode()
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT


def test_vorschlag_mit_verstoss_nennt_ihn_oben_mit_was_tun(client, welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, nutzungsrechte="ungeklaert")
    client.force_login(her)
    url = reverse("projekte:freigeben", args=[projekt.pk])
    daten = freigabe_daten(empfaenger_kommune=welt.augsburg.pk, beantragen="1")
    antwort = client.post(url, daten)
    assert antwort.status_code == 400
    html = antwort.content.decode()
    oben = html.split('id="fehler-zusammenfassung"')[1].split("</div>")[0]
    assert 'href="#regelpruefung"' in oben and "RECHTE-1" in oben and "Was tun:" in oben
    assert 'aria-describedby="beantragen-hinweis"' in html


# --- the inbox posts to itself ----------------------------------------------------------------

EINGANG = reverse("kommunen:eingang")


def test_eingang_formulare_posten_an_den_eingang(client, welt, admin, antrag):
    client.force_login(admin)
    html = client.get(EINGANG).content.decode()
    assert f'action="{EINGANG}"' in html and f'name="freigabe" value="{antrag.pk}"' in html
    # A failed decision shows the inbox again at its own address, the summary at the top.
    antwort = client.post(EINGANG, {"freigabe": antrag.pk, "aktion": "ablehnen"})
    assert antwort.status_code == 400
    assert antwort.request["PATH_INFO"] == EINGANG
    oben = antwort.content.decode().split('id="fehler-zusammenfassung"')[1].split("</div>")[0]
    assert f'href="#begruendung-f{antrag.pk}"' in oben
    # Granting asks for the confirmation first, which leads back to the inbox.
    antwort = client.post(EINGANG, {"freigabe": antrag.pk, "aktion": "erteilen"})
    assert antwort.status_code == 200 and "Erteilen bestätigen" in antwort.content.decode()
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT
    antwort = client.post(
        _detail(antrag), {"aktion": "erteilen", "bestaetigt": "1", "zurueck": "eingang"}
    )
    assert antwort.status_code == 302 and antwort.url == EINGANG
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.ERTEILT


def test_eingang_fremde_oder_kaputte_freigabe_404(client, welt, antrag):
    client.force_login(welt.user("augsburg", ADMIN))
    for pk in (antrag.pk, "x", "", 999999):
        antwort = client.post(EINGANG, {"freigabe": pk, "aktion": "erteilen", "bestaetigt": "1"})
        assert antwort.status_code == 404
        assert "Digitaler Bauantrag" not in antwort.content.decode()
    antrag.refresh_from_db()
    assert antrag.status == FreigabeStatus.BEANTRAGT


@pytest.mark.parametrize("weitere", [1, 6])
def test_seite_mit_fester_zahl_von_abfragen(
    client, welt, admin, her, django_assert_max_num_queries, weitere
):
    """The page reads a bounded number of queries whatever the object's other Freigaben."""
    projekt = projekt_anlegen(welt.muenchen, her, titel="Bürgerportal")
    freigeben(welt, projekt, an=welt.verbund, umfang=Umfang.METADATEN)
    for i in range(weitere):
        stadt = services.kommune_anlegen(name=f"Stadt {i}", slug=f"stadt-{i}", ags=f"0918{i:04d}")
        freigeben(welt, projekt, an=stadt, umfang=Umfang.METADATEN)
    antrag = beantragen(welt, projekt, an=welt.augsburg)
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        assert client.get(_detail(antrag)).status_code == 200
