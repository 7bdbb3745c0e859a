"""LOESCH-1, the deletion date binds: no Freigabe runs past an object's Löschdatum, access ends
on it at read time, a change shortens the Freigaben, an extension needs a new reason, and the
owner is reminded once per date."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kommunen import services, sharing, tasks
from kommunen.models import (
    Benachrichtigung,
    Freigabe,
    FreigabeStatus,
    Protokoll,
    Rolle,
    Umfang,
)
from kommunen.rules import RegelVerstoss
from projekte import services as projekt_services
from projekte.models import Projekt
from tests.factories import (
    beantragen,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
    uebermittlung,
)
from wissen import services as wissen_services

PERSONAL = {
    "personenbezug": "pseudonymisiert",
    "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG",
    "zweck": "Auswertung der Terminbuchung",
}


def _heute():
    return timezone.localdate()


def _her(welt):
    return welt.user("muenchen", Rolle.HERAUSGABE)


def _admin(welt):
    return welt.user("muenchen", Rolle.FREIGABE_ADMIN)


def _personal(welt, *, tage: int, modell="ergebnis", **felder):
    """A München object with personal data whose Löschdatum is `tage` from today."""
    anlegen = ergebnis_anlegen if modell == "ergebnis" else projekt_anlegen
    return anlegen(
        welt.muenchen,
        _her(welt),
        **PERSONAL,
        loeschdatum=_heute() + dt.timedelta(days=tage),
        **felder,
    )


# --- proposals and grants ---------------------------------------------------------------------


def test_standardfrist_endet_am_loeschdatum(welt):
    e = _personal(welt, tage=100)
    f = freigeben(welt, e, an=welt.augsburg)
    assert f.status == FreigabeStatus.ERTEILT
    assert f.gueltig_bis == e.loeschdatum  # not the usual 24 months


def test_freigabe_ueber_das_loeschdatum_hinaus_verweigert(welt):
    e = _personal(welt, tage=100)
    with pytest.raises(RegelVerstoss) as fehler:
        services.freigabe_beantragen(
            objekt=e,
            by=_her(welt),
            empfaenger_art="kommune",
            empfaenger_kommune=welt.augsburg,
            umfang=Umfang.VOLLSTAENDIG,
            gueltig_bis=e.loeschdatum + dt.timedelta(days=1),
            **uebermittlung(e),
        )
    (meldung,) = fehler.value.messages
    # The sentence comes first, the rule as a reference after it.
    assert not meldung.startswith("LOESCH-1") and meldung.endswith("(Regel LOESCH-1)")
    assert "spätestens auf das Löschdatum" in meldung  # how to fix it
    assert not Freigabe.objects.exists()


def test_nach_dem_loeschdatum_nicht_mehr_teilbar(welt, client):
    e = ergebnis_anlegen(welt.muenchen, _her(welt), loeschdatum=_heute() - dt.timedelta(days=1))
    with pytest.raises(RegelVerstoss) as fehler:
        beantragen(welt, e, an=welt.augsburg)
    assert [v.rule for v in fehler.value.verstoesse] == ["LOESCH-1"]
    assert "überschritten" in fehler.value.messages[0]
    # The proposal page says so, with the rule id and what to do.
    client.force_login(_her(welt))
    r = client.post(
        reverse("wissen:freigeben", args=[e.pk]),
        {
            "empfaenger_art": "kommune",
            "empfaenger_kommune": welt.augsburg.pk,
            "umfang": "vollstaendig",
            "gueltig_ab": _heute().isoformat(),
            "gueltig_bis": "",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "LOESCH-1" in html and "Löschdatum mit Begründung verlängern" in html
    assert not Freigabe.objects.exists()


def test_vorschlagsformular_schlaegt_das_loeschdatum_vor(welt, client):
    e = _personal(welt, tage=90)
    client.force_login(_her(welt))
    html = client.get(reverse("wissen:freigeben", args=[e.pk])).content.decode()
    (vorschlag,) = re.findall(r'<input[^>]*name="gueltig_bis"[^>]*value="([^"]*)"', html)
    assert vorschlag == e.loeschdatum.isoformat()


def test_zugangsanfrage_genehmigt_bis_zum_loeschdatum(welt):
    e = ergebnis_anlegen(welt.muenchen, _her(welt), loeschdatum=_heute() + dt.timedelta(days=50))
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    anfrage = services.zugangsanfrage_stellen(
        objekt=e, by=welt.user("augsburg"), begruendung="Für unsere Planung"
    )
    a = services.zugangsanfrage_entscheiden(anfrage=anfrage, by=_admin(welt), genehmigen=True)
    assert a.freigabe.status == FreigabeStatus.ERTEILT
    assert a.freigabe.gueltig_bis == e.loeschdatum


# --- at read time -----------------------------------------------------------------------------


def test_zugang_endet_am_loeschdatum_ohne_aufgabe(welt, client, zeitreise):
    """The day after the Löschdatum a Freigabe grants nothing, with no task run in between."""
    her = _her(welt)
    e = _personal(welt, tage=0, titel="Auswertung Terminbuchung")
    d = dokument_anlegen(e, her, name="auswertung.pdf", inhalt=b"%PDF-1.4\n% Auswertung\n")
    f = freigeben(welt, e, an=welt.augsburg)
    leser = welt.user("augsburg")
    client.force_login(leser)
    download = reverse("wissen:download", args=[e.pk, d.pk])
    assert client.get(download).status_code == 200
    gruende = sharing.explain(leser, e)
    assert any(e.loeschdatum.strftime("%d.%m.%Y") in g for g in gruende)

    zeitreise(dt.timedelta(days=1))
    f.refresh_from_db()
    assert f.status == FreigabeStatus.ERTEILT  # nothing has tidied up yet
    sharing.forget(leser)
    client.force_login(leser)  # a session of the new day
    for perm in ("view", "download"):
        assert not sharing.can(leser, perm, e)
    assert sharing.explain(leser, e) == []
    assert client.get(download).status_code == 404
    assert client.get(e.get_absolute_url()).status_code == 404
    assert "Auswertung Terminbuchung" not in client.get(reverse("wissen:liste")).content.decode()
    # The owner still sees it, with the notice to delete or extend.
    client.force_login(her)
    html = client.get(e.get_absolute_url()).content.decode()
    assert "ist überschritten" in html and "LOESCH-1" in html


def test_loeschdatum_an_den_diensten_vorbei_gewaehrt_nichts_darueber_hinaus(welt):
    """An object whose Löschdatum moved earlier around the services: the next sync grants the
    Freigabe nothing that would run past the new date (defence in depth, desired_rows)."""
    e = _personal(welt, tage=200)
    f = freigeben(welt, e, an=welt.augsburg)
    leser = welt.user("augsburg")
    assert sharing.can(leser, "view", e)
    neu = _heute() + dt.timedelta(days=10)
    type(e).objects.filter(pk=e.pk).update(loeschdatum=neu)
    e.refresh_from_db()
    assert f.wirksam_bis(e) == neu
    sharing.sync_permissions(e)
    sharing.forget(leser)
    assert not sharing.can(leser, "view", e)
    zeilen = sharing.perm_model(type(e)).objects.filter(content_object_id=e.pk)
    assert all(z.gueltig_bis <= neu or z.gueltig_bis.year == 9999 for z in zeilen)


def test_warum_sehe_ich_das_nennt_das_wirksame_ende(welt):
    e = _personal(welt, tage=30)
    f = freigeben(welt, e, an=welt.augsburg)
    leser = welt.user("augsburg")
    (grund,) = sharing.explain(leser, e)
    assert f"Nr. {f.pk}" in grund
    assert e.loeschdatum.strftime("%d.%m.%Y") in grund
    assert f.ist_aktiv


# --- a change of the Löschdatum ---------------------------------------------------------------


def test_frueheres_loeschdatum_kuerzt_offene_freigaben(welt):
    e = _personal(welt, tage=300)
    erteilt = freigeben(welt, e, an=welt.augsburg)
    beantragt = beantragen(welt, e, an=welt.nuernberg)
    neu = _heute() + dt.timedelta(days=40)
    wissen_services.ergebnis_aendern(ergebnis=e, by=_her(welt), loeschdatum=neu)

    for f in (erteilt, beantragt):
        f.refresh_from_db()
        assert f.gueltig_bis == neu
        zeile = Protokoll.objects.get(
            aktion=Protokoll.Aktion.FREIGABE_GEKUERZT, freigabe_id_ref=f.pk
        )
        assert zeile.details["regeln"] == ["LOESCH-1"]
        assert zeile.details["nachher"] == neu.strftime("%d.%m.%Y")
    assert erteilt.status == FreigabeStatus.ERTEILT  # shortened, still granted
    assert beantragt.status == FreigabeStatus.BEANTRAGT
    # The rows end on the new date.
    zeilen = sharing.perm_model(type(e)).objects.filter(content_object_id=e.pk)
    assert {z.gueltig_bis for z in zeilen if z.gueltig_ab.year > 1} == {neu}
    # The owner's admins are told, once, with both Freigaben.
    (notiz,) = Benachrichtigung.objects.filter(ereignis="freigabe_gekuerzt")
    assert notiz.empfaenger == _admin(welt)
    assert f"Nr. {erteilt.pk}" in notiz.text and f"Nr. {beantragt.pk}" in notiz.text


def test_spaeteres_loeschdatum_kuerzt_nichts(welt):
    e = _personal(welt, tage=100)
    f = freigeben(welt, e, an=welt.augsburg)
    wissen_services.ergebnis_aendern(
        ergebnis=e,
        by=_her(welt),
        loeschdatum=e.loeschdatum + dt.timedelta(days=100),
        loeschdatum_begruendung="Auswertung bis Herbst verlängert, Beschluss vom 3. März",
    )
    f.refresh_from_db()
    assert f.gueltig_bis == e.loeschdatum  # never lengthened by itself
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.FREIGABE_GEKUERZT).exists()


def test_vergangenes_loeschdatum_kuerzt_und_setzt_aus(welt):
    e = ergebnis_anlegen(welt.muenchen, _her(welt))
    f = services.freigabe_beantragen(
        objekt=e,
        by=_her(welt),
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.VOLLSTAENDIG,
        gueltig_ab=_heute() - dt.timedelta(days=30),
    )
    f = services.freigabe_erteilen(freigabe=f, by=_admin(welt))
    gestern = _heute() - dt.timedelta(days=1)
    wissen_services.ergebnis_aendern(ergebnis=e, by=_her(welt), loeschdatum=gestern)
    f.refresh_from_db()
    assert f.gueltig_bis == gestern
    assert f.status == FreigabeStatus.AUSGESETZT
    assert "LOESCH-1" in f.beendet_grund
    assert not sharing.can(welt.user("augsburg"), "view", e)
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.FREIGABE_AUSGESETZT, freigabe_id_ref=f.pk
    ).exists()


def test_freigabe_die_erst_nach_dem_loeschdatum_begaenne_endet(welt):
    e = ergebnis_anlegen(welt.muenchen, _her(welt))
    f = services.freigabe_beantragen(
        objekt=e,
        by=_her(welt),
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.METADATEN,
        gueltig_ab=_heute() + dt.timedelta(days=60),
    )
    services.freigabe_erteilen(freigabe=f, by=_admin(welt))
    wissen_services.ergebnis_aendern(
        ergebnis=e, by=_her(welt), loeschdatum=_heute() + dt.timedelta(days=20)
    )
    f.refresh_from_db()
    assert f.status == FreigabeStatus.WIDERRUFEN
    assert f.beendet_grund.startswith("Die Freigabe begänne erst nach dem Löschdatum")
    assert f.beendet_grund.endswith("(Regel LOESCH-1)")
    assert f.gueltig_bis > f.gueltig_ab  # the database's order of dates still holds


# --- extending the Löschdatum needs a reason --------------------------------------------------


def _verlaengern(welt, objekt, **felder):
    if isinstance(objekt, Projekt):
        return projekt_services.projekt_aendern(projekt=objekt, by=_her(welt), **felder)
    return wissen_services.ergebnis_aendern(ergebnis=objekt, by=_her(welt), **felder)


@pytest.mark.parametrize("modell", ["ergebnis", "projekt"])
def test_dienst_verweigert_verlaengerung_ohne_begruendung(welt, modell):
    o = _personal(welt, tage=60, modell=modell)
    alt = o.loeschdatum
    with pytest.raises(ValidationError) as fehler:
        _verlaengern(welt, o, loeschdatum=alt + dt.timedelta(days=365))
    assert "loeschdatum_begruendung" in fehler.value.message_dict
    assert "LOESCH-1" in fehler.value.message_dict["loeschdatum_begruendung"][0]
    o.refresh_from_db()
    assert o.loeschdatum == alt
    assert not Protokoll.objects.filter(aktion=Protokoll.Aktion.RECHTLICHES_GEAENDERT).exists()


@pytest.mark.parametrize("modell", ["ergebnis", "projekt"])
def test_verlaengerung_mit_neuer_begruendung_wird_protokolliert(welt, modell):
    o = _personal(welt, tage=60, modell=modell)
    neu = o.loeschdatum + dt.timedelta(days=365)
    _verlaengern(
        welt, o, loeschdatum=neu, loeschdatum_begruendung="Zweite Auswertungsrunde bis 2028"
    )
    o.refresh_from_db()
    assert o.loeschdatum == neu
    zeile = Protokoll.objects.get(aktion=Protokoll.Aktion.RECHTLICHES_GEAENDERT)
    assert zeile.details["loeschdatum"][1] == neu.isoformat()
    assert zeile.details["loeschdatum_begruendung"] == ["", "Zweite Auswertungsrunde bis 2028"]
    # The same reason does not carry a second extension.
    with pytest.raises(ValidationError):
        _verlaengern(welt, o, loeschdatum=neu + dt.timedelta(days=30))


@pytest.mark.parametrize(
    ("aenderung", "erlaubt"),
    [
        ({"loeschdatum": "frueher"}, True),
        ({"titel": "Nur der Titel"}, True),
        ({"loeschdatum": "spaeter"}, False),
        ({"loeschdatum": None, "personenbezug": "anonymisiert"}, False),
    ],
)
def test_was_eine_begruendung_braucht(welt, aenderung, erlaubt):
    e = _personal(welt, tage=60)
    felder = dict(aenderung)
    if felder.get("loeschdatum") == "frueher":
        felder["loeschdatum"] = e.loeschdatum - dt.timedelta(days=10)
    elif felder.get("loeschdatum") == "spaeter":
        felder["loeschdatum"] = e.loeschdatum + dt.timedelta(days=10)
    if erlaubt:
        _verlaengern(welt, e, **felder)
    else:
        with pytest.raises(ValidationError):
            _verlaengern(welt, e, **felder)


def test_ohne_personenbezug_braucht_verlaengerung_keine_begruendung(welt):
    e = ergebnis_anlegen(welt.muenchen, _her(welt), loeschdatum=_heute() + dt.timedelta(days=5))
    neu = _heute() + dt.timedelta(days=500)
    wissen_services.ergebnis_aendern(ergebnis=e, by=_her(welt), loeschdatum=neu)
    e.refresh_from_db()
    assert e.loeschdatum == neu


# --- the reminder -----------------------------------------------------------------------------


def _erinnerungen(objekt=None):
    qs = Benachrichtigung.objects.filter(ereignis="loeschdatum_erinnerung")
    return qs.filter(link=objekt.get_absolute_url()) if objekt is not None else qs


def test_erinnerung_einmal_je_loeschdatum(welt):
    bald = _personal(welt, tage=20, modell="projekt")
    vorbei = ergebnis_anlegen(
        welt.muenchen, _her(welt), loeschdatum=_heute() - dt.timedelta(days=2)
    )
    spaeter = _personal(welt, tage=45)
    ohne = ergebnis_anlegen(welt.muenchen, _her(welt))

    assert services.loeschdatum_erinnern() == 2
    assert services.loeschdatum_erinnern() == 0  # run twice: one notice
    # Herausgabe and Freigabe admins of the owner Kommune, nobody else.
    empfaenger = {b.empfaenger.username for b in _erinnerungen(bald)}
    assert empfaenger == {"muenchen-herausgabe", "muenchen-freigabe_admin"}
    (vorbei_notiz, *_rest) = _erinnerungen(vorbei)
    assert vorbei_notiz.betreff.startswith("Löschdatum überschritten")
    assert "löschen" in vorbei_notiz.text and "Begründung" in vorbei_notiz.text
    assert not _erinnerungen(spaeter).exists() and not _erinnerungen(ohne).exists()
    assert Protokoll.objects.filter(aktion=Protokoll.Aktion.LOESCHDATUM_ERINNERT).count() == 2
    bald.refresh_from_db()
    assert bald.loeschdatum_erinnert_fuer == bald.loeschdatum


def test_neues_loeschdatum_erinnert_erneut(welt):
    e = _personal(welt, tage=10)
    assert services.loeschdatum_erinnern() == 1
    wissen_services.ergebnis_aendern(
        ergebnis=e,
        by=_her(welt),
        loeschdatum=e.loeschdatum + dt.timedelta(days=15),
        loeschdatum_begruendung="Widerspruchsverfahren noch offen",
    )
    assert services.loeschdatum_erinnern() == 1  # re-armed by the new date
    assert services.loeschdatum_erinnern() == 0
    assert _erinnerungen(e).count() == 4  # two people, two dates


def test_erinnerung_kommt_mit_der_frist_naeher(welt, zeitreise):
    e = _personal(welt, tage=31)
    assert services.loeschdatum_erinnern() == 0
    zeitreise(dt.timedelta(days=1))
    assert services.loeschdatum_erinnern() == 1
    assert _erinnerungen(e).count() == 2


def test_deaktivierte_kommune_wird_nach_reaktivierung_erinnert(welt):
    e = _personal(welt, tage=3)
    type(welt.muenchen).objects.filter(pk=welt.muenchen.pk).update(aktiv=False)
    assert services.loeschdatum_erinnern() == 0
    type(welt.muenchen).objects.filter(pk=welt.muenchen.pk).update(aktiv=True)
    assert services.loeschdatum_erinnern() == 1
    assert _erinnerungen(e).count() == 2


def test_erinnerungsaufgabe_im_beat_plan_und_in_healthz(welt, client, settings):
    plan = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kommunen.tasks.loeschdatum_erinnern" in plan
    assert tasks.loeschdatum_erinnern.acks_late
    _personal(welt, tage=1)
    assert tasks.loeschdatum_erinnern.delay().get() == 1  # eager, the worker's signal too
    assert tasks.loeschdatum_erinnern.delay().get() == 0
    beat = client.get("/healthz").json()["beat"]
    assert "kommunen.tasks.loeschdatum_erinnern" in beat["zuletzt"]


def test_hinweis_auf_der_detailseite_nur_fuer_die_eigentuemerin(welt, client):
    e = _personal(welt, tage=10)
    freigeben(welt, e, an=welt.augsburg)
    client.force_login(_her(welt))
    html = client.get(e.get_absolute_url()).content.decode()
    assert "Löschdatum am" in html and "LOESCH-1" in html
    client.force_login(welt.user("augsburg"))
    html = client.get(e.get_absolute_url()).content.decode()
    assert "Löschdatum am" not in html


# --- the edit forms -----------------------------------------------------------------------------


def _formular(objekt, **extra):
    """The edit form of a project or result with its stored values, changed by `extra`."""
    daten = {
        "titel": objekt.titel,
        "zusammenfassung": objekt.zusammenfassung,
        "einstufung": objekt.einstufung,
        "personenbezug": objekt.personenbezug,
        "rechtsgrundlage": objekt.rechtsgrundlage,
        "zweck": objekt.zweck,
        "loeschdatum": objekt.loeschdatum.isoformat() if objekt.loeschdatum else "",
        "loeschdatum_begruendung": objekt.loeschdatum_begruendung,
        "einwilligung": objekt.einwilligung,
        "geheimnisschutz": objekt.geheimnisschutz,
        "nutzungsrechte": objekt.nutzungsrechte,
        "vergabebezug": objekt.vergabebezug,
        "gremienstatus": objekt.gremienstatus,
        "lizenz": objekt.lizenz,
    }
    if isinstance(objekt, Projekt):
        daten.update(
            {
                "status": objekt.status,
                "beteiligung-TOTAL_FORMS": "0",
                "beteiligung-INITIAL_FORMS": "0",
                "beteiligung-MIN_NUM_FORMS": "0",
                "beteiligung-MAX_NUM_FORMS": "1000",
            }
        )
        url = reverse("projekte:bearbeiten", args=[objekt.pk])
    else:
        daten.update({"art": objekt.art, "projekt": ""})
        url = reverse("wissen:bearbeiten", args=[objekt.pk])
    daten.update(extra)
    return url, daten


@pytest.mark.parametrize("modell", ["ergebnis", "projekt"])
def test_formular_verweigert_verlaengerung_ohne_neue_begruendung(welt, client, modell):
    o = _personal(welt, tage=60, modell=modell)
    alt = o.loeschdatum
    spaeter = (alt + dt.timedelta(days=365)).isoformat()
    client.force_login(_her(welt))
    url, _daten = _formular(o)
    html = client.get(url).content.decode()
    assert 'name="loeschdatum_begruendung"' in html
    assert "Begründung für ein späteres Löschdatum" in html
    assert "Warum werden die Daten länger gebraucht?" in html  # help text in plain words

    url, daten = _formular(o, loeschdatum=spaeter)
    r = client.post(url, daten)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Sie bewahren personenbezogene Daten länger auf" in html
    assert "Sie wird protokolliert. (Regel LOESCH-1)" in html
    assert "LOESCH-1:" not in html
    assert 'id="id_loeschdatum_begruendung_helptext"' in html
    o.refresh_from_db()
    assert o.loeschdatum == alt

    url, daten = _formular(o, loeschdatum=spaeter, loeschdatum_begruendung="Nachauswertung 2028")
    assert client.post(url, daten).status_code == 302
    o.refresh_from_db()
    assert o.loeschdatum.isoformat() == spaeter
    assert o.loeschdatum_begruendung == "Nachauswertung 2028"
    # The reason is shown with the date on the object's page.
    assert "Nachauswertung 2028" in client.get(o.get_absolute_url()).content.decode()


def test_formular_frueheres_loeschdatum_ohne_begruendung(welt, client):
    e = _personal(welt, tage=60)
    client.force_login(_her(welt))
    frueher = (e.loeschdatum - dt.timedelta(days=30)).isoformat()
    url, daten = _formular(e, loeschdatum=frueher)
    assert client.post(url, daten).status_code == 302
    e.refresh_from_db()
    assert e.loeschdatum.isoformat() == frueher


def test_begruendung_ist_einzeilig(welt, client):
    e = _personal(welt, tage=60)
    client.force_login(_her(welt))
    url, daten = _formular(
        e,
        loeschdatum=(e.loeschdatum + dt.timedelta(days=5)).isoformat(),
        loeschdatum_begruendung="Zeile 1\nZeile 2",
    )
    assert client.post(url, daten).status_code == 400
    e.refresh_from_db()
    assert e.loeschdatum_begruendung == ""
