"""Lifecycle of shared objects: VERSION-1, legal changes, text edits, access requests, reminders."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kommunen import rules, services, sharing
from kommunen.models import Benachrichtigung, Freigabe, Protokoll, Rolle, Zugangsanfrage
from kommunen.services import KeineBerechtigung
from tests.factories import ergebnis_anlegen, projekt_anlegen

A = Protokoll.Aktion


@pytest.fixture
def m(welt):
    class M:
        her = welt.user("muenchen", Rolle.HERAUSGABE)
        admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
        admin2 = services.benutzer_anlegen(
            username="muenchen-admin2", kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN
        )

    return M


def teilen(welt, m, objekt, **kw):
    werte = {
        "empfaenger_art": "kommune",
        "empfaenger_kommune": welt.augsburg,
        "umfang": "vollstaendig",
    }
    werte.update(kw)
    f = services.freigabe_beantragen(objekt=objekt, by=m.her, **werte)
    return services.freigabe_erteilen(freigabe=f, by=m.admin)


def meldungen(ereignis, *users):
    return sorted(
        Benachrichtigung.objects.filter(ereignis=ereignis, empfaenger__in=users).values_list(
            "empfaenger_id", flat=True
        )
    )


def admins(m):
    return sorted([m.admin.pk, m.admin2.pk])


# --- VERSION-1 ---------------------------------------------------------------------------------


def test_version1_haelt_dokumente_zurueck_und_wiederfreigabe_gibt_sie_frei(welt, m):
    e = ergebnis_anlegen(welt.muenchen, m.her)
    voll = teilen(welt, m, e)
    meta = teilen(welt, m, e, empfaenger_kommune=welt.nuernberg, umfang="metadaten")
    augsburg = welt.user("augsburg")
    assert sharing.can(augsburg, "download", e)

    betroffen = services.dokumente_geaendert(objekt=e, by=m.her)
    assert [f.pk for f in betroffen] == [voll.pk]
    assert sharing.can(augsburg, "view", e)
    assert not sharing.can(augsburg, "download", e)
    assert sharing.can(welt.user("nuernberg"), "view", e)  # metadata Freigabe untouched
    assert sharing.can(welt.user("muenchen"), "download", e)  # the owner keeps everything
    voll.refresh_from_db()
    meta.refresh_from_db()
    assert voll.status == "erteilt" and voll.dokumente_zurueckgehalten
    assert not meta.dokumente_zurueckgehalten
    assert {v.rule for v in rules.check(voll, e)} == {"VERSION-1"}
    assert (
        Protokoll.objects.filter(aktion=A.FREIGABE_ZUR_PRUEFUNG, freigabe_id_ref=voll.pk).count()
        == 1
    )
    assert meldungen("freigabe_zur_pruefung", m.admin, m.admin2) == admins(m)
    # A second change before the review withholds nothing more and notifies nobody again.
    assert services.dokumente_geaendert(objekt=e, by=m.her) == []
    assert meldungen("freigabe_zur_pruefung", m.admin, m.admin2) == admins(m)

    services.freigabe_erteilen(freigabe=voll, by=m.admin)
    assert sharing.can(augsburg, "download", e)
    voll.refresh_from_db()
    assert not voll.dokumente_zurueckgehalten
    assert rules.check(voll, e) == []


def test_version1_nur_bei_geteilten_dokumenten(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    assert services.dokumente_geaendert(objekt=p, by=m.her) == []
    teilen(welt, m, p, umfang="metadaten")
    assert services.dokumente_geaendert(objekt=p, by=m.her) == []
    assert not Protokoll.objects.filter(aktion=A.FREIGABE_ZUR_PRUEFUNG).exists()


# --- legal metadata changed ------------------------------------------------------------------


def test_rechtliche_aenderung_setzt_aus_und_benachrichtigt(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    an_augsburg = teilen(welt, m, p)
    an_verbund = teilen(
        welt,
        m,
        p,
        empfaenger_art="verbund",
        empfaenger_kommune=None,
        empfaenger_verbund=welt.verbund,
        umfang="metadaten",
    )
    vorher = p.legal_snapshot()
    p.nutzungsrechte = "weitergabe_oeffentliche_stellen"  # still fine for public bodies
    p.save()
    assert services.rechtliches_geaendert(objekt=p, by=m.her, vorher=vorher) == []
    assert sharing.can(welt.user("augsburg"), "download", p)

    vorher = p.legal_snapshot()
    p.gremienstatus = "nichtoeffentlich"
    p.save()
    ausgesetzt = services.rechtliches_geaendert(objekt=p, by=m.her, vorher=vorher)
    assert {f.pk for f in ausgesetzt} == {an_augsburg.pk, an_verbund.pk}
    for f in (an_augsburg, an_verbund):
        f.refresh_from_db()
        assert f.status == "ausgesetzt" and f.beendet_grund.endswith("(Regel GREMIUM-1)")
        assert "GREMIUM-1:" not in f.beendet_grund
    assert not sharing.can(welt.user("augsburg"), "view", p)
    assert not sharing.can(welt.user("nuernberg"), "view", p)
    assert meldungen("freigabe_ausgesetzt", m.admin, m.admin2) == admins(m)
    eintrag = Protokoll.objects.get(
        aktion=A.RECHTLICHES_GEAENDERT, details__has_key="gremienstatus"
    )
    assert eintrag.details["gremienstatus"] == ["nicht_befasst", "nichtoeffentlich"]
    assert Protokoll.objects.filter(aktion=A.FREIGABE_AUSGESETZT).count() == 2

    # While the object is still unlawful to share, re-approval is refused with the rule id.
    with pytest.raises(services.RegelVerstoss, match="GREMIUM-1"):
        services.freigabe_erteilen(freigabe=an_augsburg, by=m.admin)
    vorher = p.legal_snapshot()
    p.gremienstatus = "oeffentlich_behandelt"
    p.save()
    services.rechtliches_geaendert(objekt=p, by=m.her, vorher=vorher)
    services.freigabe_erteilen(freigabe=an_augsburg, by=m.admin)
    assert sharing.can(welt.user("augsburg"), "download", p)
    assert not sharing.can(welt.user("nuernberg"), "view", p)  # the Verbund one stays suspended


def test_unveraenderte_rechtliche_angaben_schreiben_nichts(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    teilen(welt, m, p)
    zahl = Protokoll.objects.count()
    assert services.rechtliches_geaendert(objekt=p, by=m.her, vorher=p.legal_snapshot()) == []
    assert Protokoll.objects.count() == zahl


def test_beschreibung_bearbeitet_protokolliert_ohne_aussetzen(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    f = teilen(welt, m, p)
    p.zusammenfassung = "Neue Zusammenfassung"
    p.save()
    services.beschreibung_geaendert(objekt=p, by=m.her, felder=["zusammenfassung"])
    f.refresh_from_db()
    assert f.status == "erteilt" and not f.dokumente_zurueckgehalten
    assert sharing.can(welt.user("augsburg"), "download", p)
    eintrag = Protokoll.objects.get(aktion=A.OBJEKT_BEARBEITET, object_id=p.pk)
    assert eintrag.details == {"felder": ["zusammenfassung"]} and eintrag.akteur == m.her
    assert meldungen("objekt_bearbeitet", m.admin, m.admin2) == admins(m)
    # Edited by an admin: the other admins are told, not the editor.
    services.beschreibung_geaendert(objekt=p, by=m.admin, felder=["titel"])
    assert meldungen("objekt_bearbeitet", m.admin) == [m.admin.pk]


# --- Zugangsanfrage ----------------------------------------------------------------------------


def test_zugangsanfrage_genehmigt_erzeugt_gepruefte_freigabe(welt, m):
    e = ergebnis_anlegen(welt.muenchen, m.her)
    teilen(
        welt,
        m,
        e,
        empfaenger_art="verbund",
        empfaenger_kommune=None,
        empfaenger_verbund=welt.verbund,
        umfang="metadaten",
    )
    leser = welt.user("nuernberg")
    assert not sharing.can(leser, "download", e)
    anfrage = services.zugangsanfrage_stellen(objekt=e, by=leser, begruendung="Für unser Projekt.")
    assert meldungen("anfrage_gestellt", m.admin, m.admin2) == admins(m)
    with pytest.raises(ValidationError, match="schon eine offene Anfrage"):
        services.zugangsanfrage_stellen(objekt=e, by=leser, begruendung="Nochmal.")

    bis = timezone.localdate() + dt.timedelta(days=90)
    a = services.zugangsanfrage_entscheiden(
        anfrage=anfrage, by=m.admin, genehmigen=True, gueltig_bis=bis
    )
    assert a.status == "genehmigt"
    f = a.freigabe
    assert (f.status, f.empfaenger_kommune, f.umfang, f.gueltig_bis) == (
        "erteilt",
        welt.nuernberg,
        "vollstaendig",
        bis,
    )
    assert f.beantragt_von == leser and f.entschieden_von == m.admin
    assert rules.sperrende(rules.check(f)) == []
    assert sharing.can(leser, "download", e)
    assert Protokoll.objects.filter(aktion=A.ANFRAGE_GENEHMIGT, freigabe_id_ref=f.pk).exists()
    assert meldungen("anfrage_entschieden", leser) == [leser.pk]
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.zugangsanfrage_entscheiden(
            anfrage=anfrage, by=m.admin, genehmigen=False, begruendung="x"
        )


def test_zugangsanfrage_ablehnen_braucht_begruendung(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    teilen(welt, m, p, umfang="metadaten")
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("augsburg"), begruendung="Bitte."
    )
    with pytest.raises(ValidationError, match="Begründung"):
        services.zugangsanfrage_entscheiden(anfrage=anfrage, by=m.admin, genehmigen=False)
    anfrage.refresh_from_db()
    assert anfrage.status == "offen"
    a = services.zugangsanfrage_entscheiden(
        anfrage=anfrage, by=m.admin, genehmigen=False, begruendung="Noch im Entwurf."
    )
    assert a.status == "abgelehnt" and a.freigabe is None
    assert a.entscheidung_begruendung == "Noch im Entwurf."
    assert not sharing.can(welt.user("augsburg"), "download", p)
    assert Freigabe.objects.filter(umfang="vollstaendig").count() == 0


@pytest.mark.parametrize(
    ("wer", "fehler"),
    [
        ("regensburg", KeineBerechtigung),  # sees nothing: may not even ask
        ("muenchen", ValidationError),  # own Kommune
    ],
)
def test_zugangsanfrage_nur_wer_die_metadaten_sieht(welt, m, wer, fehler):
    p = projekt_anlegen(welt.muenchen, m.her)
    teilen(welt, m, p, umfang="metadaten")
    with pytest.raises(fehler):
        services.zugangsanfrage_stellen(objekt=p, by=welt.user(wer), begruendung="Bitte.")
    assert not Zugangsanfrage.objects.exists()


def test_zugangsanfrage_ohne_begruendung_oder_mit_falschem_umfang(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    teilen(welt, m, p, umfang="metadaten")
    leser = welt.user("augsburg")
    with pytest.raises(ValidationError, match="begründen"):
        services.zugangsanfrage_stellen(objekt=p, by=leser, begruendung=" ")
    with pytest.raises(ValidationError, match="vollständig"):
        services.zugangsanfrage_stellen(objekt=p, by=leser, begruendung="x", umfang="metadaten")
    assert not Zugangsanfrage.objects.exists()


# --- reminders ---------------------------------------------------------------------------------


def test_erinnerung_14_tage_vorher_genau_einmal(welt, m):
    heute = timezone.localdate()
    p = projekt_anlegen(welt.muenchen, m.her)
    in14 = teilen(welt, m, p, gueltig_bis=heute + dt.timedelta(days=14))
    in15 = teilen(
        welt, m, p, empfaenger_kommune=welt.nuernberg, gueltig_bis=heute + dt.timedelta(days=15)
    )
    assert services.ablauf_erinnern() == 1
    assert services.ablauf_erinnern() == 0
    in14.refresh_from_db()
    in15.refresh_from_db()
    assert in14.erinnert_am is not None and in15.erinnert_am is None
    assert meldungen("ablauf_erinnerung", m.admin, m.admin2) == admins(m)
    text = Benachrichtigung.objects.filter(ereignis="ablauf_erinnerung").first().betreff
    assert (heute + dt.timedelta(days=14)).strftime("%d.%m.%Y") in text
    # The next day the other one is due, once.
    assert services.ablauf_erinnern(heute=heute + dt.timedelta(days=1)) == 1
    assert services.ablauf_erinnern(heute=heute + dt.timedelta(days=1)) == 0
    assert Protokoll.objects.filter(aktion=A.FREIGABE_ERINNERT).count() == 2


def test_keine_erinnerung_fuer_beendete_freigaben(welt, m):
    heute = timezone.localdate()
    p = projekt_anlegen(welt.muenchen, m.her)
    f = teilen(welt, m, p, gueltig_bis=heute + dt.timedelta(days=3))
    services.freigabe_widerrufen(freigabe=f, by=m.admin)
    assert services.ablauf_erinnern() == 0


def test_ablaufen_ist_idempotent(welt, m):
    heute = timezone.localdate()
    p = projekt_anlegen(welt.muenchen, m.her)
    f = teilen(welt, m, p, gueltig_bis=heute)
    morgen = heute + dt.timedelta(days=1)
    assert services.freigaben_ablaufen(heute=heute) == 0
    assert services.freigaben_ablaufen(heute=morgen) == 1
    assert services.freigaben_ablaufen(heute=morgen) == 0
    f.refresh_from_db()
    assert f.status == "abgelaufen"
    assert Protokoll.objects.filter(aktion=A.FREIGABE_ABGELAUFEN, freigabe_id_ref=f.pk).count() == 1
    with pytest.raises(ValidationError, match="kann nicht widerrufen"):
        services.freigabe_widerrufen(freigabe=f, by=m.admin)
