"""The law at the moment of each read: validity, one open Freigabe per recipient and scope,
Verbund membership, deactivated Kommunen."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kommunen import rules, services, sharing
from kommunen.models import Benachrichtigung, Freigabe, Protokoll, Rolle, Umfang
from projekte.models import Projekt
from tests.factories import (
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
    uebermittlung,
)

A = Protokoll.Aktion


def _beantragen(welt, objekt, **kw):
    her = welt.user(objekt.kommune.slug, Rolle.HERAUSGABE)
    kw.setdefault("empfaenger_art", "kommune")
    if kw["empfaenger_art"] == "kommune":
        kw.setdefault("empfaenger_kommune", welt.augsburg)
    kw.setdefault("umfang", Umfang.VOLLSTAENDIG)
    for name, wert in uebermittlung(objekt).items():
        kw.setdefault(name, wert)
    return services.freigabe_beantragen(objekt=objekt, by=her, **kw)


def _erteilen(welt, f):
    return services.freigabe_erteilen(
        freigabe=f, by=welt.user(f.eigentuemer.slug, Rolle.FREIGABE_ADMIN)
    )


def _personenbezogen(welt, personenbezug: str):
    """A München project with personal data, its legal basis, purpose and deletion date set."""
    return projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", Rolle.HERAUSGABE),
        personenbezug=personenbezug,
        rechtsgrundlage="Art. 6 Abs. 1 lit. e DSGVO",
        zweck="Auswertung",
        loeschdatum=timezone.localdate() + dt.timedelta(days=400),
    )


# --- validity is checked at the moment of each read -------------------------------------------


def test_abgelaufene_freigabe_gewaehrt_ab_mitternacht_nichts_ohne_periodische_aufgabe(
    client, welt, zeitreise
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    e = ergebnis_anlegen(welt.muenchen, her, titel="Studie Ladesäulen")
    d = dokument_anlegen(e, her, name="studie.pdf", inhalt=b"%PDF-1.4\n% Studie\n")
    heute = timezone.localdate()
    f = _erteilen(welt, _beantragen(welt, e, gueltig_bis=heute))
    leser = welt.user("augsburg")
    client.force_login(leser)
    download = reverse("wissen:download", args=[e.pk, d.pk])
    assert client.get(download).status_code == 200
    assert client.get(e.get_absolute_url()).status_code == 200

    zeitreise(dt.timedelta(days=1))  # midnight has passed, no task has run
    f.refresh_from_db()
    assert f.status == "erteilt"  # not yet tidied up
    sharing.forget(leser)
    client.force_login(leser)  # a session of the new day
    for perm in ("view", "download"):
        assert not sharing.can(leser, perm, e)
        assert not sharing.visible(leser, type(e).objects.all(), perm).filter(pk=e.pk).exists()
    assert sharing.explain(leser, e) == []
    assert client.get(download).status_code == 404
    assert client.get(e.get_absolute_url()).status_code == 404
    assert "Studie Ladesäulen" not in client.get(reverse("wissen:liste")).content.decode()
    # The task then only records the end and tells the owner's admins.
    assert services.freigaben_ablaufen() == 1
    f.refresh_from_db()
    assert f.status == "abgelaufen"
    assert Benachrichtigung.objects.filter(
        ereignis="freigabe_abgelaufen", empfaenger=welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    ).exists()


def test_freigabe_gilt_ab_ihrem_ersten_tag(welt, zeitreise):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    morgen = timezone.localdate() + dt.timedelta(days=1)
    _erteilen(welt, _beantragen(welt, p, gueltig_ab=morgen, gueltig_bis=morgen))
    leser = welt.user("augsburg")
    assert not sharing.can(leser, "view", p)
    zeitreise(dt.timedelta(days=1))
    assert sharing.can(leser, "download", p)
    zeitreise(dt.timedelta(days=1))
    assert not sharing.can(leser, "view", p)


# --- one open Freigabe per object, recipient and scope ----------------------------------------


def test_datenbank_verweigert_zweite_offene_freigabe(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = _erteilen(welt, _beantragen(welt, p))
    zweite = Freigabe(
        objekt=p,
        eigentuemer=welt.muenchen,
        empfaenger_art="kommune",
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.VOLLSTAENDIG,
        gueltig_bis=f.gueltig_bis,
        beantragt_von=f.beantragt_von,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        zweite.save()
    # Public recipients (no Kommune, no Verbund) are held by the same constraint.
    o = projekt_anlegen(welt.muenchen, f.beantragt_von, einstufung="offen", lizenz="CC0-1.0")
    _beantragen(welt, o, empfaenger_art="oeffentlich", umfang=Umfang.METADATEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Freigabe.objects.create(
            objekt=o,
            eigentuemer=welt.muenchen,
            empfaenger_art="oeffentlich",
            umfang=Umfang.METADATEN,
            gueltig_bis=f.gueltig_bis,
            beantragt_von=f.beantragt_von,
        )


def test_genehmigung_einer_anfrage_neben_bestehender_freigabe_wird_verweigert(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _erteilen(welt, _beantragen(welt, p, umfang=Umfang.METADATEN))
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("augsburg"), begruendung="Wir planen dasselbe."
    )
    # Meanwhile the owner proposes the same itself.
    _beantragen(welt, p, umfang=Umfang.VOLLSTAENDIG)
    with pytest.raises(ValidationError) as fehler:
        services.zugangsanfrage_entscheiden(
            anfrage=anfrage, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), genehmigen=True
        )
    assert "schon Freigabe Nr." in " ".join(fehler.value.messages)
    anfrage.refresh_from_db()
    assert anfrage.status == "offen" and anfrage.freigabe is None


@pytest.mark.parametrize("was", ["deaktiviert", "umgezogen"])
def test_genehmigung_prueft_ob_die_anfragende_person_noch_dazugehoert(welt, was):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _erteilen(welt, _beantragen(welt, p, umfang=Umfang.METADATEN))
    fragt = welt.user("augsburg")
    anfrage = services.zugangsanfrage_stellen(objekt=p, by=fragt, begruendung="Bitte.")
    if was == "deaktiviert":
        fragt.is_active = False
    else:
        fragt.kommune = welt.nuernberg
    services.benutzer_speichern(user=fragt)
    with pytest.raises(ValidationError) as fehler:
        services.zugangsanfrage_entscheiden(
            anfrage=anfrage, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), genehmigen=True
        )
    assert "nicht mehr aktiv oder gehört nicht mehr" in " ".join(fehler.value.messages)
    assert not Freigabe.objects.filter(object_id=p.pk, umfang=Umfang.VOLLSTAENDIG).exists()


# --- Verbund membership is a grant: checked by the rules, audited, told ------------------------


def test_nur_mitglieder_teilen_mit_dem_verbund_auch_am_formular_vorbei(welt):
    p = projekt_anlegen(welt.regensburg, welt.user("regensburg", Rolle.HERAUSGABE))
    with pytest.raises(rules.RegelVerstoss) as fehler:
        _beantragen(welt, p, empfaenger_art="verbund", empfaenger_verbund=welt.verbund)
    assert [v.rule for v in fehler.value.verstoesse] == ["VERBUND-1"]
    assert fehler.value.messages[0].endswith("(Regel VERBUND-1)")
    assert "VERBUND-1: " not in fehler.value.messages[0]
    assert not Freigabe.objects.filter(object_id=p.pk).exists()


def test_austritt_setzt_eigene_verbundfreigaben_aus_und_wird_protokolliert(welt):
    her = welt.user("augsburg", Rolle.HERAUSGABE)
    eigene = projekt_anlegen(welt.augsburg, her)
    f_eigen = _erteilen(
        welt, _beantragen(welt, eigene, empfaenger_art="verbund", empfaenger_verbund=welt.verbund)
    )
    muenchner = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f_muc = _erteilen(
        welt,
        _beantragen(welt, muenchner, empfaenger_art="verbund", empfaenger_verbund=welt.verbund),
    )
    assert sharing.can(welt.user("nuernberg"), "download", eigene)
    assert sharing.can(welt.user("augsburg"), "download", muenchner)

    services.verbund_mitglieder_setzen(
        verbund=welt.verbund, kommunen=[welt.nuernberg, welt.muenchen, welt.regensburg]
    )

    f_eigen.refresh_from_db()
    f_muc.refresh_from_db()
    assert f_eigen.status == "ausgesetzt" and "VERBUND-1" in f_eigen.beendet_grund
    assert f_muc.status == "erteilt"
    assert not sharing.can(welt.user("nuernberg"), "view", eigene)
    assert not sharing.can(welt.user("augsburg"), "view", muenchner)
    assert sharing.can(welt.user("regensburg"), "download", muenchner)  # joined
    for kommune in (welt.muenchen, welt.augsburg):
        row = Protokoll.objects.get(
            aktion=A.MITGLIEDSCHAFT, kommune=kommune, details__verbund=welt.verbund.name
        )
        assert row.details["beigetreten"] == ["Regensburg"]
        assert row.details["ausgetreten"] == ["Augsburg"]
        admin = welt.user(kommune.slug, Rolle.FREIGABE_ADMIN)
        assert Benachrichtigung.objects.filter(
            ereignis="verbund_mitglieder", empfaenger=admin
        ).exists()
    assert not Protokoll.objects.filter(
        aktion=A.MITGLIEDSCHAFT, kommune=welt.nuernberg, details__verbund=welt.verbund.name
    ).exists()
    # The Verbund no longer counts Augsburg: a re-approval refuses with VERBUND-1.
    with pytest.raises(rules.RegelVerstoss):
        _erteilen(welt, f_eigen)


def test_verbund_im_admin_nur_ueber_den_dienst(admin_client, welt):
    """The operator's admin page changes membership through the audited service."""
    from kommunen.models import Verbund

    v = Verbund.objects.get()
    url = reverse("admin:kommunen_verbund_change", args=[v.pk])
    daten = {
        "name": v.name,
        "slug": v.slug,
        "vereinbarung_titel": v.vereinbarung_titel,
        "vereinbarung_datum": v.vereinbarung_datum.isoformat(),
        "mitglieder": [welt.nuernberg.pk, welt.muenchen.pk],
    }
    r = admin_client.post(url, daten)
    assert r.status_code == 302, r.content.decode()[:2000]
    row = Protokoll.objects.filter(aktion=A.MITGLIEDSCHAFT, kommune__isnull=True).latest("id")
    assert row.details["ausgetreten"] == ["Augsburg"]


# --- a deactivated Kommune loses all visibility at once ---------------------------------------


def test_deaktivierte_kommune_sieht_nichts_und_nach_reaktivierung_wieder(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    freigeben(welt, p, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    o = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", Rolle.HERAUSGABE),
        einstufung="offen",
        lizenz="CC0-1.0",
    )
    freigeben(welt, o, umfang=Umfang.METADATEN)  # public
    eigenes = projekt_anlegen(welt.augsburg, welt.user("augsburg", Rolle.HERAUSGABE))
    leser = welt.user("augsburg")
    alle = Projekt.objects.filter(pk__in=[p.pk, o.pk, eigenes.pk])
    assert set(sharing.visible(leser, alle)) == {p, o, eigenes}

    welt.augsburg.aktiv = False
    welt.augsburg.save()
    sharing.forget(leser)
    assert not sharing.visible(leser, alle).exists()
    assert not sharing.can(leser, "view", eigenes)

    welt.augsburg.aktiv = True
    welt.augsburg.save()
    sharing.forget(leser)
    assert set(sharing.visible(leser, alle)) == {p, o, eigenes}


def test_abgleich_nach_update_gibt_alten_zeilen_ihre_fristen(welt, zeitreise):
    """Rows written before they carried dates (the migration gives them none) get their
    Freigabe's dates from the command; running it twice changes nothing."""
    from io import StringIO

    from django.core.management import call_command

    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    heute = timezone.localdate()
    _erteilen(welt, _beantragen(welt, p, gueltig_bis=heute))
    zeilen = sharing.perm_model(Projekt).objects.filter(
        content_object=p, group=welt.augsburg.gruppe_mitglieder
    )
    assert zeilen.count() == 2
    zeilen.update(gueltig_bis=dt.date(9999, 12, 31))  # as the migration left them
    zeitreise(dt.timedelta(days=1))
    assert sharing.can(welt.user("augsburg"), "view", p)  # the old row still grants

    ausgabe = StringIO()
    call_command("berechtigungen_abgleichen", stdout=ausgabe)
    assert "Projekte: 1 geprüft, 1 angepasst." in ausgabe.getvalue()
    assert not sharing.can(welt.user("augsburg"), "view", p)
    ausgabe = StringIO()
    call_command("berechtigungen_abgleichen", stdout=ausgabe)
    assert "Projekte: 1 geprüft, 0 angepasst." in ausgabe.getvalue()


def test_mitgliedschaft_nicht_am_dienst_vorbei(welt):
    for aendern in (
        lambda: welt.verbund.mitglieder.add(welt.regensburg),
        lambda: welt.verbund.mitglieder.remove(welt.augsburg),
        lambda: welt.regensburg.verbuende.add(welt.verbund),
        lambda: welt.verbund.mitglieder.clear(),
    ):
        with pytest.raises(ValidationError), transaction.atomic():
            aendern()
    assert set(welt.verbund.mitglieder.all()) == {welt.nuernberg, welt.augsburg, welt.muenchen}


def test_weitergabe_an_dritte_bei_personenbezug_verweigert(welt):
    p = _personenbezogen(welt, "pseudonymisiert")
    with pytest.raises(rules.RegelVerstoss) as fehler:
        _beantragen(welt, p, weitergabe_erlaubt=True)
    assert [v.rule for v in fehler.value.verstoesse] == ["WEITERGABE-1"]
    assert "Bitte ohne Weitergabe freigeben" in fehler.value.messages[0]
    assert _beantragen(welt, p).weitergabe_erlaubt is False  # without it: proposed


def test_mitarbeit_an_personendaten_braucht_art26_vereinbarung(welt):
    p = _personenbezogen(welt, "personenbezogen")
    with pytest.raises(rules.RegelVerstoss) as fehler:
        _beantragen(welt, p, umfang=Umfang.MITARBEIT)
    assert [v.rule for v in fehler.value.verstoesse] == ["GEMEINSAM-1"]
    f = _erteilen(
        welt, _beantragen(welt, p, umfang=Umfang.MITARBEIT, art26_vereinbarung="Az. 12-345/2026")
    )
    assert f.status == "erteilt" and f.art26_vereinbarung == "Az. 12-345/2026"
    assert sharing.can(welt.user("augsburg", Rolle.HERAUSGABE), "change", p)
    # Emptying the reference on the granted row around the services is refused.
    with pytest.raises(ValidationError), transaction.atomic():
        Freigabe.objects.filter(pk=f.pk).update(art26_vereinbarung="")


def test_zugangsanfrage_auf_personendaten_braucht_zwei_admins_der_eigentuemerin(welt):
    """VIER-AUGEN: the requester from elsewhere is no second pair of eyes of München."""
    p = _personenbezogen(welt, "pseudonymisiert")
    _erteilen(welt, _beantragen(welt, p, umfang=Umfang.METADATEN))
    fragt = welt.user("augsburg")
    anfrage = services.zugangsanfrage_stellen(objekt=p, by=fragt, begruendung="Für den Abgleich.")
    admin1 = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    admin2 = services.benutzer_anlegen(
        username="muenchen-admin2", kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN
    )
    services.zugangsanfrage_entscheiden(
        anfrage=anfrage, by=admin1, genehmigen=True, **uebermittlung(p)
    )
    anfrage.refresh_from_db()
    f = anfrage.freigabe
    assert anfrage.status == "genehmigt"
    assert f.status == "beantragt" and f.beantragt_von == admin1
    assert not sharing.can(fragt, "download", p)
    assert Benachrichtigung.objects.filter(
        empfaenger=admin2, ereignis="freigabe_beantragt"
    ).exists()
    # The same admin cannot grant what she proposed; a second one can.
    with pytest.raises(rules.RegelVerstoss) as fehler:
        services.freigabe_erteilen(freigabe=f, by=admin1)
    assert [v.rule for v in fehler.value.verstoesse] == ["VIER-AUGEN"]
    services.freigabe_erteilen(freigabe=f, by=admin2)
    sharing.forget(fragt)
    assert sharing.can(fragt, "download", p)


def test_zugangsanfrage_ohne_personendaten_bleibt_ein_schritt(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _erteilen(welt, _beantragen(welt, p, umfang=Umfang.METADATEN))
    fragt = welt.user("augsburg")
    anfrage = services.zugangsanfrage_stellen(objekt=p, by=fragt, begruendung="Bitte.")
    services.zugangsanfrage_entscheiden(
        anfrage=anfrage, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), genehmigen=True
    )
    anfrage.refresh_from_db()
    assert anfrage.freigabe.status == "erteilt"
    assert sharing.can(fragt, "download", p)


def test_eingang_sagt_dass_eine_zweite_admin_entscheidet(client, welt):
    p = _personenbezogen(welt, "personenbezogen")
    _erteilen(welt, _beantragen(welt, p, umfang=Umfang.METADATEN))
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("augsburg"), begruendung="Bitte."
    )
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    r = client.post(
        reverse("kommunen:anfrage_entscheiden", args=[anfrage.pk]),
        {"aktion": "genehmigen", **uebermittlung(p)},
        follow=True,
    )
    html = r.content.decode()
    assert "wartet auf eine zweite Freigabe-Admin (VIER-AUGEN)" in html, html[:3000]
