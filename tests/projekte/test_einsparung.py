"""Money saved: a project's budget, the reusing Kommune's estimate of what it saved, and the
dashboard's reuse figures, counted only over what the viewer may see."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kommunen.models import Rolle, Umfang
from portal import dashboard
from projekte import selectors
from projekte.models import Nachnutzung
from projekte.services import nutzung as services_nutzung
from tests.factories import freigeben, projekt_anlegen, viele

DASHBOARD = reverse("dashboard")


@pytest.fixture
def projekt(welt):
    p = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", Rolle.HERAUSGABE),
        titel="E-Akte",
        budget_eur=Decimal("480000"),
        budget_umfang="Lizenzen und Einführung",
    )
    freigeben(welt, p, an=welt.verbund, umfang=Umfang.METADATEN)
    return p


def _einsparung(p):
    return reverse("projekte:einsparung", args=[p.pk])


def test_nachnutzende_kommune_schaetzt_und_aendert_einsparung(client, welt, projekt):
    augsburg = welt.user("augsburg")
    client.force_login(augsburg)
    r = client.post(
        reverse("projekte:nachnutzung", args=[projekt.pk]),
        {"nachricht": "", "einsparung_eur": "25000"},
    )
    assert r.status_code == 302
    n = Nachnutzung.objects.get()
    assert n.einsparung_eur == Decimal("25000")
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "Einsparung speichern" in text
    # Later the same Kommune corrects it; a colleague of that Kommune may too.
    r = client.post(_einsparung(projekt), {"nachnutzung": n.pk, "einsparung_eur": "30000.50"})
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.einsparung_eur == Decimal("30000.50")
    services_nutzung.einsparung_setzen(
        projekt=projekt,
        nachnutzung_id=n.pk,
        by=welt.user("augsburg", Rolle.HERAUSGABE),
        einsparung_eur=None,
    )
    n.refresh_from_db()
    assert n.einsparung_eur is None


@pytest.mark.parametrize(
    "wert, meldung",
    [
        ("-5", "Die Einsparung kann nicht negativ sein."),
        ("viel", "Bitte geben Sie einen Betrag in Euro an"),
        ("1" * 20, "Der Betrag ist zu groß."),
        ("1.234", "höchstens zwei Nachkommastellen"),
    ],
)
def test_falsche_einsparung_400_und_nichts_aendert_sich(client, welt, projekt, wert, meldung):
    n = services_nutzung.nachnutzung_erklaeren(
        projekt=projekt, by=welt.user("augsburg"), einsparung_eur=Decimal("100")
    )
    client.force_login(welt.user("augsburg"))
    r = client.post(_einsparung(projekt), {"nachnutzung": n.pk, "einsparung_eur": wert})
    assert r.status_code == 400
    assert meldung in r.content.decode()
    n.refresh_from_db()
    assert n.einsparung_eur == Decimal("100")


def test_negative_einsparung_auch_beim_erklaeren_abgelehnt(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    r = client.post(reverse("projekte:nachnutzung", args=[projekt.pk]), {"einsparung_eur": "-1"})
    assert r.status_code == 400
    assert "Die Einsparung kann nicht negativ sein." in r.content.decode()
    assert not Nachnutzung.objects.exists()
    with pytest.raises(ValidationError):
        services_nutzung.nachnutzung_erklaeren(
            projekt=projekt, by=welt.user("augsburg"), einsparung_eur=Decimal("-1")
        )
    assert not Nachnutzung.objects.exists()


@pytest.mark.parametrize(
    "wer, rolle",
    [
        ("nuernberg", Rolle.HERAUSGABE),  # another partner that sees the project
        ("muenchen", Rolle.HERAUSGABE),  # the owner
        ("regensburg", Rolle.HERAUSGABE),  # no Freigabe at all
    ],
)
def test_gefaelschte_einsparung_anderer_kommune_404(client, welt, projekt, wer, rolle):
    n = services_nutzung.nachnutzung_erklaeren(
        projekt=projekt, by=welt.user("augsburg"), einsparung_eur=Decimal("100")
    )
    client.force_login(welt.user(wer, rolle))
    r = client.post(_einsparung(projekt), {"nachnutzung": n.pk, "einsparung_eur": "999999"})
    assert r.status_code == 404
    for unsinn in ("abc", "", "-3"):
        r = client.post(_einsparung(projekt), {"nachnutzung": unsinn, "einsparung_eur": "1"})
        assert r.status_code == 404
    n.refresh_from_db()
    assert n.einsparung_eur == Decimal("100")


def test_erklaerung_eines_anderen_projekts_404(client, welt, projekt):
    """The id of the Kommune's own declaration on another project does not reach it either."""
    anderes = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    freigeben(welt, anderes, an=welt.verbund, umfang=Umfang.METADATEN)
    n = services_nutzung.nachnutzung_erklaeren(projekt=anderes, by=welt.user("augsburg"))
    client.force_login(welt.user("augsburg"))
    r = client.post(_einsparung(projekt), {"nachnutzung": n.pk, "einsparung_eur": "5"})
    assert r.status_code == 404
    n.refresh_from_db()
    assert n.einsparung_eur is None


def test_budget_mit_umfang_auf_der_projektseite(client, welt, projekt):
    client.force_login(welt.user("augsburg"))
    text = client.get(projekt.get_absolute_url()).content.decode()
    assert "480.000,00 €" in text and "Lizenzen und Einführung" in text
    client.force_login(welt.user("regensburg"))
    r = client.get(projekt.get_absolute_url())
    assert r.status_code == 404
    assert "480.000" not in r.content.decode()


def test_negatives_budget_abgelehnt(welt, projekt):
    projekt.budget_eur = Decimal("-1")
    with pytest.raises(ValidationError) as fehler:
        projekt.full_clean()
    assert "Das Budget kann nicht negativ sein." in str(fehler.value)


# --- the dashboard ----------------------------------------------------------------------------


@pytest.fixture
def nutzungen(welt, projekt):
    """München's E-Akte (Verbund) reused by Augsburg; München's secret project, shared with
    Nürnberg only, reused by Nürnberg."""
    geheim = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", Rolle.HERAUSGABE),
        titel="Bilaterales Geheimprojekt",
        budget_eur=Decimal("7654321"),
    )
    freigeben(welt, geheim, an=welt.nuernberg, umfang=Umfang.METADATEN)
    services_nutzung.nachnutzung_erklaeren(
        projekt=projekt, by=welt.user("augsburg"), einsparung_eur=Decimal("50000")
    )
    services_nutzung.nachnutzung_erklaeren(
        projekt=geheim, by=welt.user("nuernberg"), einsparung_eur=Decimal("70000")
    )
    return welt


def test_zwei_erklaerungen_einer_kommune_zaehlen_einmal(nutzungen):
    """Two users of Augsburg declared reuse of the same project: Augsburg saved once."""
    welt = nutzungen
    projekt = Nachnutzung.objects.get(kommune=welt.augsburg).projekt
    services_nutzung.nachnutzung_erklaeren(
        projekt=projekt,
        by=welt.user("augsburg", Rolle.HERAUSGABE),
        einsparung_eur=Decimal("60000"),
    )
    augsburg = _bilanz(welt.user("augsburg"))["Augsburg"]
    assert augsburg["nachgenutzt"] == 1
    assert augsburg["eingespart"] == Decimal("60000")


def _bilanz(user):
    return {z["kommune"]: z for z in selectors.nachnutzung_bilanz(user=user)}


def test_dashboard_zaehlt_nur_was_der_nutzer_sieht(client, nutzungen):
    welt = nutzungen
    augsburg = _bilanz(welt.user("augsburg"))
    assert augsburg["München"]["genutzt_von_anderen"] == 1
    assert augsburg["Augsburg"]["nachgenutzt"] == 1
    assert augsburg["Augsburg"]["eingespart"] == Decimal("50000")
    assert "Nürnberg" not in augsburg  # its reuse concerns a project Augsburg cannot see
    nuernberg = _bilanz(welt.user("nuernberg"))
    assert nuernberg["München"]["genutzt_von_anderen"] == 2
    assert nuernberg["Nürnberg"]["eingespart"] == Decimal("70000")
    assert nuernberg["Augsburg"]["eingespart"] == Decimal("50000")

    client.force_login(welt.user("augsburg"))
    html = client.get(DASHBOARD).content.decode()
    assert "50.000 €" in html and "70.000" not in html and "120.000" not in html
    assert "Bilaterales Geheimprojekt" not in html and "7.654.321" not in html
    assert "E-Akte" not in html  # the dashboard names no project
    assert html.count('id="genutzt-titel"') == 1 and 'id="gespart-beschreibung"' in html
    assert '<th scope="col">Geschätzte Einsparung</th>' in html
    client.force_login(welt.user("nuernberg"))
    html = client.get(DASHBOARD).content.decode()
    assert "120.000 €" in html


def test_kommune_ohne_freigabe_sieht_nichts_fremdes(client, nutzungen):
    welt = nutzungen
    assert selectors.nachnutzung_bilanz(user=welt.user("regensburg")) == []
    client.force_login(welt.user("regensburg"))
    html = client.get(DASHBOARD).content.decode()
    for geheim in ("E-Akte", "Bilaterales Geheimprojekt", "480.000", "7.654.321", "50.000"):
        assert geheim not in html
    assert "hat noch keine Kommune ein Projekt einer anderen nachgenutzt" in html


def test_balken_mit_eurobetrag():
    svg = dashboard.balken_waagerecht([("A", Decimal("1500")), ("B", 0)], format=dashboard.euro)
    assert svg["balken"][0].beschriftung == "1.500 €"
    assert svg["balken"][1].breite == 0


@pytest.mark.parametrize("n", [3, 30])
def test_dashboard_abfragen_begrenzt(client, welt, n, django_assert_max_num_queries):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekte = viele(
        type(projekt_anlegen(welt.muenchen, her)),
        welt.muenchen,
        her,
        n,
        sichtbar_fuer=[welt.augsburg.gruppe_mitglieder_id, welt.nuernberg.gruppe_mitglieder_id],
    )
    for i, p in enumerate(projekte):
        for slug in ("augsburg", "nuernberg"):
            Nachnutzung.objects.create(
                projekt=p,
                benutzer=welt.user(slug),
                kommune=welt.user(slug).kommune,
                einsparung_eur=Decimal(1000 + i),
            )
    client.force_login(welt.user("augsburg"))
    client.get(DASHBOARD)
    with django_assert_max_num_queries(8):
        html = client.get(DASHBOARD).content.decode()
    zeilen = _bilanz(welt.user("augsburg"))
    assert zeilen["München"]["genutzt_von_anderen"] == n
    assert zeilen["Nürnberg"]["nachgenutzt"] == n
    assert "Nachnutzung je Kommune" in html
