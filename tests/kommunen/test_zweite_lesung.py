"""The second reading of the law through the services and pages: the transfer basis of
personal data (DSGVO-3), the decider's reason for a new purpose, secrecy regimes (GEHEIM-1),
Art. 10 data, council secrecy lifted, tenders, third parties' secrets, and the fields on the
object's form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kommunen import services, sharing
from kommunen.models import Freigabe, FreigabeStatus, Protokoll, Umfang, Zugangsanfrage
from kommunen.rules import RegelVerstoss
from projekte.models import Projekt
from tests.factories import beantragen, freigeben, projekt_anlegen

pytestmark = pytest.mark.django_db

PERSONAL = {
    "personenbezug": "personenbezogen",
    "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG",
    "zweck": "Evaluation der Verkehrszählung",
    "loeschdatum": dt.date(2030, 1, 1),
}


def _personal(welt, **felder):
    her = welt.user("muenchen", "herausgabe")
    return projekt_anlegen(welt.muenchen, her, **{**PERSONAL, **felder})


def _vorschlag(welt, objekt, umfang=Umfang.VOLLSTAENDIG, **kw):
    return services.freigabe_beantragen(
        objekt=objekt,
        by=welt.user("muenchen", "herausgabe"),
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang=umfang,
        **kw,
    )


def test_personendaten_ohne_uebermittlungsgrundlage_werden_nicht_beantragt(welt):
    p = _personal(welt)
    with pytest.raises(RegelVerstoss) as fehler:
        _vorschlag(welt, p, rechtsgrundlage="Kooperationsvereinbarung")
    assert any(m.endswith("(Regel DSGVO-3)") for m in fehler.value.messages)
    assert not Freigabe.objects.filter(object_id=p.pk).exists()


def test_anderer_zweck_bestaetigt_die_entscheidende_mit_begruendung(welt, client):
    p = _personal(welt)
    f = _vorschlag(
        welt,
        p,
        uebermittlungsgrundlage="aufgabe",
        empfaenger_zweck="Planung des Radverkehrs",
    )
    assert f.status == FreigabeStatus.BEANTRAGT
    admin = welt.user("muenchen", "freigabe_admin")
    client.force_login(admin)
    url = f"/freigaben/{f.pk}/entscheiden/"

    # The inbox offers the field and names both purposes.
    seite = client.get("/freigaben/eingang/").content.decode()
    assert 'name="zweckvereinbarkeit"' in seite
    assert "Planung des Radverkehrs" in seite

    antwort = client.post(url, {"aktion": "erteilen"})
    assert antwort.status_code == 400
    assert "DSGVO-3" in antwort.content.decode()
    f.refresh_from_db()
    assert f.status == FreigabeStatus.BEANTRAGT
    assert not sharing.can(welt.user("augsburg"), "view", p)

    grund = "Beide dienen der Verkehrsplanung; die Daten bleiben pseudonym."
    antwort = client.post(url, {"aktion": "erteilen", "zweckvereinbarkeit": grund})
    # The grant is confirmed on a second step, which carries the reason along.
    assert antwort.status_code == 200
    assert "Erteilen bestätigen" in antwort.content.decode()
    f.refresh_from_db()
    assert f.status == FreigabeStatus.BEANTRAGT
    antwort = client.post(
        f"/freigaben/{f.pk}/",
        {"aktion": "erteilen", "zweckvereinbarkeit": grund, "bestaetigt": "1"},
    )
    assert antwort.status_code == 302
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT
    assert f.zweckvereinbarkeit == grund
    eintrag = Protokoll.objects.get(freigabe_id_ref=f.pk, aktion="freigabe_erteilt")
    assert eintrag.details["zweckvereinbarkeit"] == grund
    assert sharing.can(welt.user("augsburg"), "download", p)


def test_einwilligung_ohne_weitergabe_bleibt_in_der_kommune(welt):
    p = _personal(welt, einwilligung="ohne_weitergabe")
    with pytest.raises(RegelVerstoss, match="DSGVO-3"):
        _vorschlag(welt, p, uebermittlungsgrundlage="aufgabe", empfaenger_zweck=PERSONAL["zweck"])


def test_zugangsanfrage_auf_personendaten_braucht_grundlage_und_zweck(welt):
    p = _personal(welt)
    freigeben(welt, p, an=welt.augsburg, umfang=Umfang.METADATEN)
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("augsburg"), begruendung="Für unsere Verkehrsplanung"
    )
    admin = welt.user("muenchen", "freigabe_admin")
    with pytest.raises(RegelVerstoss, match="DSGVO-3"):
        services.zugangsanfrage_entscheiden(anfrage=anfrage, by=admin, genehmigen=True)
    anfrage.refresh_from_db()
    assert anfrage.status == Zugangsanfrage.Status.OFFEN
    services.zugangsanfrage_entscheiden(
        anfrage=anfrage,
        by=admin,
        genehmigen=True,
        uebermittlungsgrundlage="amtshilfe",
        empfaenger_zweck=PERSONAL["zweck"],
    )
    anfrage.refresh_from_db()
    # VIER-AUGEN: a second admin grants it; the transfer basis travels with the proposal.
    assert anfrage.freigabe.status == FreigabeStatus.BEANTRAGT
    assert anfrage.freigabe.uebermittlungsgrundlage == "amtshilfe"


def test_vorschlagsformular_fragt_nur_bei_personendaten_nach_der_uebermittlung(welt, client):
    client.force_login(welt.user("muenchen", "herausgabe"))
    personal = _personal(welt)
    sachlich = projekt_anlegen(welt.muenchen, welt.user("muenchen", "herausgabe"))
    seite = client.get(f"/projekte/{personal.pk}/freigeben/").content.decode()
    assert 'name="uebermittlungsgrundlage"' in seite
    assert "Art. 5 Abs. 1 BayDSG" in seite
    seite = client.get(f"/projekte/{sachlich.pk}/freigeben/").content.decode()
    assert 'name="uebermittlungsgrundlage"' not in seite


def test_sozialgeheimnis_teilt_nur_die_beschreibung(welt, client):
    p = projekt_anlegen(
        welt.muenchen, welt.user("muenchen", "herausgabe"), geheimnisschutz="sozialgeheimnis"
    )
    with pytest.raises(RegelVerstoss, match="GEHEIM-1"):
        beantragen(welt, p, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    freigeben(welt, p, an=welt.augsburg, umfang=Umfang.METADATEN)
    augsburg = welt.user("augsburg")
    assert sharing.can(augsburg, "view", p)
    assert not sharing.can(augsburg, "download", p)
    # Another Kommune without a Freigabe sees nothing of it.
    regensburg = welt.user("regensburg")
    assert not sharing.visible(regensburg, Projekt.objects.filter(pk=p.pk)).exists()
    client.force_login(regensburg)
    assert client.get(f"/projekte/{p.pk}/").status_code == 404
    client.force_login(augsburg)
    seite = client.get(f"/projekte/{p.pk}/").content.decode()
    assert "Sozialgeheimnis" in seite


def test_straftaten_verlassen_die_kommune_nie(welt):
    p = _personal(welt, personenbezug="straftaten")
    with pytest.raises(RegelVerstoss, match="STRAFTATEN-1"):
        _vorschlag(
            welt,
            p,
            umfang=Umfang.METADATEN,
            uebermittlungsgrundlage="aufgabe",
            empfaenger_zweck=PERSONAL["zweck"],
        )
    assert not Freigabe.objects.filter(object_id=p.pk).exists()


def test_aufgehobene_geheimhaltung_gibt_gremienunterlagen_frei(welt):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(welt.muenchen, her, gremienstatus="nichtoeffentlich")
    with pytest.raises(RegelVerstoss, match="GREMIUM-1"):
        beantragen(welt, p, an=welt.augsburg)
    from projekte.services import projekt_aendern

    heute = dt.date.today()
    projekt_aendern(
        projekt=p,
        by=her,
        geheimhaltung_aufgehoben_am=heute,
        geheimhaltung_aufgehoben_durch="Beschluss des Stadtrats, TOP 7",
    )
    p.refresh_from_db()
    f = freigeben(welt, p, an=welt.augsburg)
    assert f.status == FreigabeStatus.ERTEILT


def test_laufende_vergabe_wartet_auf_den_zuschlag(welt):
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(
        welt.muenchen,
        her,
        vergabebezug="eigene_leistungsbeschreibung",
        schwellenwert="unterschwellig",
        vergabestand="laufend",
    )
    with pytest.raises(RegelVerstoss, match="VERGABE-2"):
        beantragen(welt, p, an=welt.augsburg)
    from projekte.services import projekt_aendern

    projekt_aendern(projekt=p, by=her, vergabestand="zuschlag")
    p.refresh_from_db()
    assert freigeben(welt, p, an=welt.augsburg).status == FreigabeStatus.ERTEILT


def test_geaenderte_angaben_setzen_bestehende_freigaben_aus(welt):
    """Stating later that a tender is still running suspends what was shared (re-check)."""
    her = welt.user("muenchen", "herausgabe")
    p = projekt_anlegen(
        welt.muenchen,
        her,
        vergabebezug="eigene_leistungsbeschreibung",
        schwellenwert="oberschwellig",
        vergabestand="zuschlag",
    )
    f = freigeben(welt, p, an=welt.augsburg)
    from projekte.services import projekt_aendern

    projekt_aendern(projekt=p, by=her, geschaeftsgeheimnisse_dritter=True)
    f.refresh_from_db()
    assert f.status == FreigabeStatus.AUSGESETZT
    assert "DRITTE-1" in f.beendet_grund
    assert not sharing.can(welt.user("augsburg"), "view", p)


@pytest.mark.parametrize(
    ("felder", "feld"),
    [
        ({**PERSONAL}, "einwilligung"),
        (
            {**PERSONAL, "personenbezug": "besondere_kategorien", "einwilligung": "keine"},
            "art9_ausnahme",
        ),
        ({"vergabebezug": "eigene_leistungsbeschreibung"}, "vergabestand"),
        ({"geheimnisschutz": ""}, "geheimnisschutz"),
        ({"unterlizenz_erlaubt": True, "nutzungsrechte": "eigene"}, "unterlizenz_erlaubt"),
        (
            {
                "gremienstatus": "nichtoeffentlich",
                "geheimhaltung_aufgehoben_am": dt.date.today() + dt.timedelta(days=3),
                "geheimhaltung_aufgehoben_durch": "Beschluss",
            },
            "geheimhaltung_aufgehoben_am",
        ),
        (
            {"gremienstatus": "nichtoeffentlich", "geheimhaltung_aufgehoben_am": dt.date.today()},
            "geheimhaltung_aufgehoben_durch",
        ),
        ({"zustimmung_dritter": "Firma X"}, "zustimmung_dritter"),
    ],
)
def test_objekt_verlangt_die_neuen_angaben(welt, felder, feld):
    from projekte.services import projekt_anlegen as anlegen

    her = welt.user("muenchen", "herausgabe")
    with pytest.raises(ValidationError) as fehler:
        anlegen(by=her, titel="Neu", zusammenfassung="z", **{"nutzungsrechte": "eigene", **felder})
    assert feld in fehler.value.message_dict
    assert not Projekt.objects.filter(titel="Neu").exists()


def test_formular_erklaert_die_neuen_felder(welt, client):
    client.force_login(welt.user("muenchen", "herausgabe"))
    seite = client.get("/projekte/neu/").content.decode()
    for name in (
        "einwilligung",
        "art9_ausnahme",
        "geheimnisschutz",
        "unterlizenz_erlaubt",
        "schwellenwert",
        "vergabestand",
        "geschaeftsgeheimnisse_dritter",
        "zustimmung_dritter",
        "geheimhaltung_aufgehoben_am",
        "geheimhaltung_aufgehoben_durch",
    ):
        assert f'name="{name}"' in seite, name
        assert f'id="id_{name}_helptext"' in seite, name


def test_widerruf_einer_offenen_lizenz_wirkt_nur_kuenftig(welt, client):
    from tests.factories import OEFFENTLICH

    p = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", "herausgabe"),
        **{**OEFFENTLICH, "nutzungsrechte": "eigene"},
    )
    f = freigeben(welt, p, an=None, umfang=Umfang.VOLLSTAENDIG)
    client.force_login(welt.user("muenchen", "freigabe_admin"))
    seite = client.get(f"/freigaben/{f.pk}/").content.decode()
    assert "beendet nur den künftigen Zugang" in seite
    client.force_login(welt.user("muenchen", "herausgabe"))
    seite = client.get(f"/projekte/{p.pk}/freigeben/").content.decode()
    assert "beendet ein späterer Widerruf nur den künftigen Zugang" in seite
