"""Rahmenvertrag: only the Kommunen a project's framework agreement names may call off from it
(§ 21 Abs. 2 VgV; § 15 UVgO). The owner records them, the reuse form says so, the service
refuses everyone else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kommunen import services
from kommunen.models import Benachrichtigung, Protokoll, Umfang
from projekte import services as projekt_services
from projekte.models import Nachnutzung, Projekt
from projekte.services import nutzung as services_nutzung
from tests.factories import freigeben, projekt_anlegen
from tests.formulare import projekt_daten

RAHMENVERTRAG = "Rahmenvertrag E-Akte, Vergabe-Nr. 2024-017"
NEU = reverse("projekte:neu")
CHECKBOX = 'name="rahmenvertrag_abrufen"'
NICHT_MOEGLICH = "ist für Ihre Kommune nicht möglich"
NENNT_SIE = "nennt Ihre Kommune als abrufberechtigt"


def _nachnutzung_url(p):
    return reverse("projekte:nachnutzung", args=[p.pk])


def _bearbeiten_url(p):
    return reverse("projekte:bearbeiten", args=[p.pk])


def _bearbeiten_daten(projekt, **extra):
    daten = projekt_daten(titel=projekt.titel, zusammenfassung=projekt.zusammenfassung)
    for feld in ("akteur", "art", "beschreibung"):
        daten.pop(f"beteiligung-0-{feld}")
    daten.update(extra)
    return daten


@pytest.fixture
def projekt(welt):
    """München's project with a framework agreement naming Augsburg (not Nürnberg), shared
    with the Verbund (Nürnberg, Augsburg, München)."""
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"), titel="E-Akte")
    p = projekt_services.projekt_aendern(
        projekt=p,
        by=welt.user("muenchen", "herausgabe"),
        rahmenvertrag=RAHMENVERTRAG,
        rahmenvertrag_kommunen=[welt.augsburg],
    )
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    return p


# --- recording the agreement (owner only) ---------------------------------------------------


def test_anlegen_mit_rahmenvertrag_ueber_das_formular(client, welt):
    client.force_login(welt.user("muenchen", "herausgabe"))
    html = client.get(NEU).content.decode()
    assert "<legend>Rahmenvertrag</legend>" in html
    assert "§ 21 Abs. 2 VgV" in html and "§ 15 UVgO" in html
    assert 'aria-describedby="id_rahmenvertrag_kommunen_helptext"' in html
    # Active Kommunen other than the owner are offered as checkboxes.
    assert f'name="rahmenvertrag_kommunen" value="{welt.augsburg.pk}"' in html
    assert f'name="rahmenvertrag_kommunen" value="{welt.muenchen.pk}"' not in html
    r = client.post(
        NEU,
        projekt_daten(
            rahmenvertrag=RAHMENVERTRAG,
            rahmenvertrag_kommunen=[welt.augsburg.pk, welt.regensburg.pk],
        ),
    )
    assert r.status_code == 302
    p = Projekt.objects.get()
    assert p.rahmenvertrag == RAHMENVERTRAG
    assert set(p.rahmenvertrag_kommunen.all()) == {welt.augsburg, welt.regensburg}


def test_kommunen_ohne_rahmenvertrag_sind_ein_fehler(client, welt):
    client.force_login(welt.user("muenchen", "herausgabe"))
    r = client.post(NEU, projekt_daten(rahmenvertrag="", rahmenvertrag_kommunen=[welt.augsburg.pk]))
    assert r.status_code == 400
    html = r.content.decode()
    assert "Abrufberechtigte Kommunen gibt es nur mit einem Rahmenvertrag" in html
    assert 'id="id_rahmenvertrag_error"' in html
    assert not Projekt.objects.exists()
    # The service refuses it as well, whoever calls it.
    with pytest.raises(ValidationError, match="nur mit einem Rahmenvertrag"):
        projekt_services.projekt_anlegen(
            by=welt.user("muenchen", "herausgabe"),
            titel="X",
            zusammenfassung="Y",
            rahmenvertrag_kommunen=[welt.augsburg],
        )
    assert not Projekt.objects.exists()


def test_rahmenvertrag_leeren_ohne_kommunen_abzuwaehlen_verweigert(welt, projekt):
    with pytest.raises(ValidationError, match="nur mit einem Rahmenvertrag"):
        projekt_services.projekt_aendern(
            projekt=projekt, by=welt.user("muenchen", "herausgabe"), rahmenvertrag=""
        )
    projekt.refresh_from_db()
    assert projekt.rahmenvertrag == RAHMENVERTRAG
    # Both at once is fine: the project no longer has an agreement.
    projekt_services.projekt_aendern(
        projekt=projekt,
        by=welt.user("muenchen", "herausgabe"),
        rahmenvertrag="",
        rahmenvertrag_kommunen=[],
    )
    projekt.refresh_from_db()
    assert projekt.rahmenvertrag == "" and not projekt.rahmenvertrag_kommunen.exists()


def test_leerzeichen_sind_kein_rahmenvertrag(welt):
    her = welt.user("muenchen", "herausgabe")
    with pytest.raises(ValidationError, match="nur mit einem Rahmenvertrag"):
        projekt_services.projekt_anlegen(
            by=her,
            titel="X",
            zusammenfassung="Y",
            rahmenvertrag="   ",
            rahmenvertrag_kommunen=[welt.augsburg],
        )
    p = projekt_services.projekt_anlegen(
        by=her, titel="X", zusammenfassung="Y", rahmenvertrag="  RV 1  "
    )
    assert p.rahmenvertrag == "RV 1"
    p = projekt_services.projekt_aendern(projekt=p, by=her, rahmenvertrag="   ")
    p.refresh_from_db()
    assert p.rahmenvertrag == ""


def test_aenderung_wird_protokolliert(welt, projekt):
    projekt_services.projekt_aendern(
        projekt=projekt,
        by=welt.user("muenchen", "herausgabe"),
        rahmenvertrag=RAHMENVERTRAG + " (2. Los)",
        rahmenvertrag_kommunen=[welt.augsburg, welt.nuernberg],
    )
    eintrag = Protokoll.objects.filter(aktion=Protokoll.Aktion.OBJEKT_BEARBEITET).latest("pk")
    assert {"Rahmenvertrag", "Abrufberechtigte Kommunen"} <= set(eintrag.details["felder"])
    assert set(projekt.rahmenvertrag_kommunen.all()) == {welt.augsburg, welt.nuernberg}


def test_unbekannte_kommune_verweigert(welt, projekt):
    with pytest.raises(ValidationError, match="gibt es nicht"):
        projekt_services.projekt_aendern(
            projekt=projekt,
            by=welt.user("muenchen", "herausgabe"),
            rahmenvertrag_kommunen=[999999],
        )
    assert list(projekt.rahmenvertrag_kommunen.all()) == [welt.augsburg]


def test_mitarbeit_partner_aendert_den_rahmenvertrag_nicht(client, welt, projekt):
    freigeben(welt, projekt, an=welt.augsburg, umfang=Umfang.MITARBEIT)
    partner = welt.user("augsburg", "herausgabe")
    client.force_login(partner)
    url = _bearbeiten_url(projekt)
    html = client.get(url).content.decode()
    assert 'name="rahmenvertrag"' not in html
    assert 'name="rahmenvertrag_kommunen"' not in html
    # Forged fields are not part of the partner's form: the description changes, nothing else.
    r = client.post(
        url,
        _bearbeiten_daten(
            projekt,
            titel="E-Akte gemeinsam",
            rahmenvertrag="Gefälscht",
            rahmenvertrag_kommunen=[welt.augsburg.pk, welt.nuernberg.pk],
        ),
    )
    assert r.status_code == 302
    projekt.refresh_from_db()
    assert projekt.titel == "E-Akte gemeinsam"
    assert projekt.rahmenvertrag == RAHMENVERTRAG
    assert list(projekt.rahmenvertrag_kommunen.all()) == [welt.augsburg]
    # The service refuses them from the partner, whichever of the two is changed.
    for felder in (
        {"rahmenvertrag": "Gefälscht"},
        {"rahmenvertrag_kommunen": [welt.augsburg, welt.nuernberg]},
        {"rahmenvertrag_kommunen": []},
    ):
        with pytest.raises(services.KeineBerechtigung, match="nur die Kommune"):
            projekt_services.projekt_aendern(projekt=projekt, by=partner, **felder)
    projekt.refresh_from_db()
    assert projekt.rahmenvertrag == RAHMENVERTRAG
    assert list(projekt.rahmenvertrag_kommunen.all()) == [welt.augsburg]


# --- the project page ------------------------------------------------------------------------


def test_detailseite_zeigt_rahmenvertrag_und_kommunen(client, welt, projekt):
    for slug in ("muenchen", "nuernberg", "augsburg"):
        client.force_login(welt.user(slug))
        html = client.get(projekt.get_absolute_url()).content.decode()
        assert RAHMENVERTRAG in html
        assert "Neben München abrufberechtigt: Augsburg." in html


def test_ohne_freigabe_sieht_man_nichts_und_erklaert_nichts(client, welt, projekt):
    # Even a Kommune the agreement names sees nothing of the project without a Freigabe.
    projekt_services.projekt_aendern(
        projekt=projekt,
        by=welt.user("muenchen", "herausgabe"),
        rahmenvertrag_kommunen=[welt.augsburg, welt.regensburg],
    )
    client.force_login(welt.user("regensburg"))
    assert client.get(projekt.get_absolute_url()).status_code == 404
    r = client.post(_nachnutzung_url(projekt), {"nachricht": "x", "rahmenvertrag_abrufen": "on"})
    assert r.status_code == 404
    assert RAHMENVERTRAG not in r.content.decode()
    with pytest.raises(services.KeineBerechtigung):
        services_nutzung.nachnutzung_erklaeren(
            projekt=projekt, by=welt.user("regensburg"), rahmenvertrag_abrufen=True
        )
    assert not Nachnutzung.objects.exists()


# --- the reuse form: three cases --------------------------------------------------------------


def test_formular_genannte_kommune_kann_abrufen(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert CHECKBOX in html and "Aus dem Rahmenvertrag abrufen" in html
    assert NENNT_SIE in html
    assert NICHT_MOEGLICH not in html


def test_formular_nicht_genannte_kommune_erfaehrt_warum_nicht(client, welt, projekt):
    client.force_login(welt.user("nuernberg"))
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert CHECKBOX not in html
    assert NICHT_MOEGLICH in html
    assert "§ 21 Abs. 2 VgV" in html and "§ 15 UVgO" in html
    assert "für eine eigene Ausschreibung nachnutzen" in html
    assert "Interesse an Nachnutzung bekunden" in html  # reuse itself stays possible


def test_formular_ohne_rahmenvertrag_nichts_zusaetzliches(client, welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    html = client.get(p.get_absolute_url()).content.decode()
    assert "Interesse an Nachnutzung bekunden" in html
    assert CHECKBOX not in html and NICHT_MOEGLICH not in html and NENNT_SIE not in html
    assert "Rahmenvertrag" not in html


# --- declaring a call-off --------------------------------------------------------------------


def test_genannte_kommune_meldet_abruf_an(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    r = client.post(
        _nachnutzung_url(projekt), {"nachricht": "Wir rufen ab.", "rahmenvertrag_abrufen": "on"}
    )
    assert r.status_code == 302
    n = Nachnutzung.objects.get()
    assert n.rahmenvertrag_abrufen and n.kommune == welt.augsburg
    hinweis = Benachrichtigung.objects.get(
        ereignis="nachnutzung", empfaenger=welt.user("muenchen", "herausgabe")
    )
    assert f"Abruf aus Ihrem Rahmenvertrag „{RAHMENVERTRAG}“" in hinweis.text
    assert "Wir rufen ab." in hinweis.text
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert "dass Sie aus dem Rahmenvertrag abrufen möchten" in html
    # The owner's list says who wants to call off.
    client.force_login(welt.user("muenchen"))
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert '<th scope="col">Abruf aus dem Rahmenvertrag</th>' in html
    assert '<td data-label="Abruf aus dem Rahmenvertrag">gewünscht</td>' in html


def test_genannte_kommune_ohne_abruf(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    assert client.post(_nachnutzung_url(projekt), {"nachricht": "nur Konzept"}).status_code == 302
    assert not Nachnutzung.objects.get().rahmenvertrag_abrufen
    hinweis = Benachrichtigung.objects.filter(ereignis="nachnutzung").first()
    assert "Rahmenvertrag" not in hinweis.text
    client.force_login(welt.user("muenchen"))
    html = client.get(projekt.get_absolute_url()).content.decode()
    assert '<td data-label="Abruf aus dem Rahmenvertrag">nein</td>' in html


def test_nicht_genannte_kommune_gefaelschter_abruf_400(client, welt, projekt):
    client.force_login(welt.user("nuernberg"))
    r = client.post(_nachnutzung_url(projekt), {"nachricht": "x", "rahmenvertrag_abrufen": "on"})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'class="fehler-box" role="alert"' in html
    assert NICHT_MOEGLICH in html and "§ 21 Abs. 2 VgV" in html
    assert not Nachnutzung.objects.exists()
    assert not Benachrichtigung.objects.filter(ereignis="nachnutzung").exists()
    # Without the forged field the same user declares plain reuse.
    assert client.post(_nachnutzung_url(projekt), {"nachricht": "x"}).status_code == 302
    assert not Nachnutzung.objects.get().rahmenvertrag_abrufen


def test_ohne_rahmenvertrag_gefaelschter_abruf_400(client, welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    client.force_login(welt.user("augsburg"))
    r = client.post(_nachnutzung_url(p), {"nachricht": "x", "rahmenvertrag_abrufen": "on"})
    assert r.status_code == 400
    assert "keinen Rahmenvertrag" in r.content.decode()
    assert not Nachnutzung.objects.exists()


def test_service_verweigert_nicht_genannte_kommune(welt, projekt):
    with pytest.raises(ValidationError) as fehler:
        services_nutzung.nachnutzung_erklaeren(
            projekt=projekt, by=welt.user("nuernberg"), rahmenvertrag_abrufen=True
        )
    (meldung,) = fehler.value.messages
    assert NICHT_MOEGLICH in meldung and RAHMENVERTRAG in meldung
    assert "§ 21 Abs. 2 VgV" in meldung and "§ 15 UVgO" in meldung
    assert "eigene Ausschreibung" in meldung
    assert not Nachnutzung.objects.exists()
    assert not Benachrichtigung.objects.filter(ereignis="nachnutzung").exists()
    n = services_nutzung.nachnutzung_erklaeren(
        projekt=projekt, by=welt.user("augsburg"), rahmenvertrag_abrufen=True
    )
    assert n.rahmenvertrag_abrufen


def test_service_liest_den_gespeicherten_vertrag(welt, projekt):
    """A stale copy of the project (loaded before the owner removed Augsburg) does not help."""
    veraltet = Projekt.objects.get(pk=projekt.pk)
    projekt_services.projekt_aendern(
        projekt=projekt, by=welt.user("muenchen", "herausgabe"), rahmenvertrag_kommunen=[]
    )
    with pytest.raises(ValidationError, match="nicht möglich"):
        services_nutzung.nachnutzung_erklaeren(
            projekt=veraltet, by=welt.user("augsburg"), rahmenvertrag_abrufen=True
        )
    assert not Nachnutzung.objects.exists()
