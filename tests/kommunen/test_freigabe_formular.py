"""The Freigabe proposal form: rule check before submission, forged recipients, success."""

import datetime as dt

import pytest
from django.urls import reverse

from kommunen import services
from kommunen.models import (
    Freigabe,
    FreigabeStatus,
    Protokoll,
    standard_gueltig_bis,
)
from tests.factories import ergebnis_anlegen, projekt_anlegen
from tests.formulare import freigabe_daten

PERSONENBEZOGEN = {
    "personenbezug": "personenbezogen",
    "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO",
    "zweck": "Verkehrsplanung",
    "loeschdatum": dt.date(2030, 1, 1),
}


@pytest.fixture
def her(welt):
    return welt.user("muenchen", "herausgabe")


@pytest.fixture
def projekt(welt, her):
    return projekt_anlegen(welt.muenchen, her, titel="E-Akte")


def _url(objekt, name="freigeben"):
    app = "projekte" if objekt._meta.model_name == "projekt" else "wissen"
    return reverse(f"{app}:{name}", args=[objekt.pk])


def test_formular_mit_standardfrist(client, her, projekt):
    client.force_login(her)
    r = client.get(_url(projekt))
    assert r.status_code == 200
    html = r.content.decode()
    assert standard_gueltig_bis(dt.date.today()).isoformat() in html
    assert f'hx-post="{_url(projekt, "freigabe_pruefen")}"' in html
    assert 'hx-trigger="change"' in html
    assert 'name="pruefen"' in html  # the check without JavaScript
    assert 'id="regelpruefung" aria-live="polite"' in html


@pytest.mark.parametrize(
    ("slug", "rolle"),
    [("muenchen", "mitarbeit"), ("augsburg", "herausgabe"), ("regensburg", "freigabe_admin")],
)
def test_ohne_teilrecht_404(client, welt, her, projekt, slug, rolle):
    ergebnis = ergebnis_anlegen(welt.muenchen, her)
    client.force_login(welt.user(slug, rolle))
    data = freigabe_daten(empfaenger_kommune=welt.augsburg.pk)
    for objekt in (projekt, ergebnis):
        assert client.get(_url(objekt)).status_code == 404
        assert client.post(_url(objekt), data).status_code == 404
        assert client.post(_url(objekt, "freigabe_pruefen"), data).status_code == 404
    assert not Freigabe.objects.exists()


def test_anonym_zur_anmeldung(client, welt, her, projekt):
    ergebnis = ergebnis_anlegen(welt.muenchen, her)
    for objekt in (projekt, ergebnis):
        for url in (_url(objekt), _url(objekt, "freigabe_pruefen")):
            r = client.post(url, freigabe_daten())
            assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert not Freigabe.objects.exists()


def test_freigabe_admin_darf_vorschlagen(client, welt, projekt):
    client.force_login(welt.user("muenchen", "freigabe_admin"))
    assert client.get(_url(projekt)).status_code == 200


def test_regeln_pruefen_ohne_javascript(client, welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, **PERSONENBEZOGEN)
    client.force_login(her)
    r = client.post(
        _url(projekt),
        freigabe_daten(empfaenger_art="verbund", empfaenger_verbund=welt.verbund.pk, pruefen="1"),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "(Regel DSGVO-1)" in html
    assert "namentlich benannte Kommunen" in html
    assert not Freigabe.objects.exists()


def test_regelpruefung_fragment_fuer_htmx(client, welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, **PERSONENBEZOGEN)
    client.force_login(her)
    url = _url(projekt, "freigabe_pruefen")
    r = client.post(
        url, freigabe_daten(empfaenger_art="verbund", empfaenger_verbund=welt.verbund.pk)
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html  # a fragment
    assert "(Regel DSGVO-1)" in html
    # The same object to a named Kommune passes.
    r = client.post(
        url,
        freigabe_daten(
            empfaenger_kommune=welt.augsburg.pk,
            uebermittlungsgrundlage="aufgabe",
            empfaenger_zweck="Verkehrsplanung",
        ),
    )
    assert "keine Verstöße" in r.content.decode()
    # Before a recipient and scope are chosen: a hint, no verdict.
    r = client.post(url, {"empfaenger_art": "", "umfang": ""})
    assert "Wählen Sie Empfänger und Umfang" in r.content.decode()
    assert not Freigabe.objects.exists()


def test_oeffentlich_mit_intern_zeigt_oeffentlich_1(client, her, projekt):
    client.force_login(her)
    r = client.post(_url(projekt, "freigabe_pruefen"), freigabe_daten(empfaenger_art="oeffentlich"))
    html = r.content.decode()
    assert "(Regel OEFFENTLICH-1)" in html
    assert "Einstufung „offen“" in html


def test_vsnfd_zeigt_mehrere_regeln(client, welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, einstufung="vs_nfd")
    client.force_login(her)
    r = client.post(
        _url(projekt, "freigabe_pruefen"),
        freigabe_daten(empfaenger_kommune=welt.augsburg.pk, weitergabe_erlaubt="on"),
    )
    html = r.content.decode()
    assert html.count("(Regel VSNFD-1)") == 2  # scope and onward sharing


def test_absenden_mit_verstoss_400_nichts_gespeichert(client, welt, her):
    projekt = projekt_anlegen(welt.muenchen, her, **PERSONENBEZOGEN)
    client.force_login(her)
    r = client.post(
        _url(projekt), freigabe_daten(empfaenger_art="verbund", empfaenger_verbund=welt.verbund.pk)
    )
    assert r.status_code == 400
    assert "(Regel DSGVO-1)" in r.content.decode()
    assert not Freigabe.objects.exists()
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.FREIGABE_BEANTRAGT).exists()


def _gefaelschte_empfaenger(welt):
    inaktiv = services.kommune_anlegen(name="Alt", slug="alt", ags="09999999", aktiv=False)
    fremder_verbund = services.verbund_anlegen(
        name="Anderer Verbund",
        slug="anderer",
        vereinbarung_titel="Vereinbarung",
        vereinbarung_datum=dt.date(2024, 1, 1),
        mitglieder=[welt.regensburg],
    )
    return [
        ({"empfaenger_kommune": "999999"}, "Diese Kommune kann nicht Empfängerin sein"),
        ({"empfaenger_kommune": "abc"}, "Diese Kommune kann nicht Empfängerin sein"),
        ({"empfaenger_kommune": str(inaktiv.pk)}, "Diese Kommune kann nicht Empfängerin sein"),
        (
            {"empfaenger_kommune": str(welt.muenchen.pk)},
            "Diese Kommune kann nicht Empfängerin sein",
        ),
        (
            {"empfaenger_art": "verbund", "empfaenger_verbund": str(fremder_verbund.pk)},
            "Dieser Verbund kann nicht Empfänger sein",
        ),
        ({"empfaenger_art": "kommune"}, "Bitte die Empfänger-Kommune wählen."),
        ({"empfaenger_art": "alle"}, "keine gültige Auswahl"),
        ({"umfang": "alles"}, "keine gültige Auswahl"),
        (
            {"empfaenger_kommune": "", "gueltig_bis": "2000-01-01"},
            "„Gültig bis“ darf nicht vor „gültig ab“ liegen.",
        ),
    ]


def test_gefaelschte_empfaenger_400(client, welt, her, projekt):
    client.force_login(her)
    for extra, meldung in _gefaelschte_empfaenger(welt):
        r = client.post(_url(projekt), freigabe_daten(**extra))
        assert r.status_code == 400, extra
        assert meldung in r.content.decode(), extra
    assert not Freigabe.objects.exists()


def test_erfolgreicher_antrag(client, welt, her, projekt):
    client.force_login(her)
    r = client.post(
        _url(projekt), freigabe_daten(empfaenger_kommune=welt.augsburg.pk, beantragen="1")
    )
    assert r.status_code == 302
    assert r.url == projekt.get_absolute_url()
    f = Freigabe.objects.get()
    assert f.objekt == projekt
    assert (f.status, f.beantragt_von, f.empfaenger_kommune) == (
        FreigabeStatus.BEANTRAGT,
        her,
        welt.augsburg,
    )
    assert f.eigentuemer == welt.muenchen
    assert f.auflagen == "Nur für die eigene Planung."
    assert f.gueltig_bis == standard_gueltig_bis(dt.date.today())
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.FREIGABE_BEANTRAGT, freigabe_id_ref=f.pk
    ).exists()
    # The same proposal again is refused with the existing number.
    r = client.post(_url(projekt), freigabe_daten(empfaenger_kommune=welt.augsburg.pk))
    assert r.status_code == 400
    assert f"Freigabe Nr. {f.pk}" in r.content.decode()
    assert Freigabe.objects.count() == 1


def test_leeres_enddatum_wird_zur_standardfrist(client, welt, her, projekt):
    client.force_login(her)
    r = client.post(
        _url(projekt),
        freigabe_daten(
            empfaenger_art="verbund", empfaenger_verbund=welt.verbund.pk, gueltig_bis=""
        ),
    )
    assert r.status_code == 302
    assert Freigabe.objects.get().gueltig_bis == standard_gueltig_bis(dt.date.today())


def test_ergebnis_freigeben(client, welt, her):
    e = ergebnis_anlegen(welt.muenchen, her, nutzungsrechte="nur_intern")
    client.force_login(her)
    r = client.post(_url(e), freigabe_daten(empfaenger_kommune=welt.augsburg.pk))
    assert r.status_code == 400
    assert "(Regel RECHTE-1)" in r.content.decode()
    e2 = ergebnis_anlegen(welt.muenchen, her)
    r = client.post(
        _url(e2), freigabe_daten(empfaenger_kommune=welt.nuernberg.pk, umfang="metadaten")
    )
    assert r.status_code == 302
    assert Freigabe.objects.get().objekt == e2
