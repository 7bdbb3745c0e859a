"""Bad input: nothing unlawful is stored as erteilt on any path; refusals are clear; no change."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kommunen import rules, services, sharing, tasks
from kommunen.models import (
    Benachrichtigung,
    Freigabe,
    Kommune,
    Protokoll,
    Rolle,
    Zugangsanfrage,
)
from kommunen.services import KeineBerechtigung, RegelVerstoss
from projekte.models import ProjektGroupObjectPermission
from tests.factories import projekt_anlegen, uebermittlung

PERSONAL = {
    "personenbezug": "personenbezogen",
    "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO",
    "zweck": "Evaluation der Bürgerbeteiligung",
    "loeschdatum": dt.date(2030, 12, 31),
}


def zustand():
    """Everything a refused step must leave as it was."""
    return (
        list(Freigabe.objects.order_by("pk").values_list("pk", "status", "entschieden_von_id")),
        Protokoll.objects.count(),
        Benachrichtigung.objects.count(),
        Zugangsanfrage.objects.filter(status="offen").count(),
        sorted(ProjektGroupObjectPermission.objects.values_list("pk", flat=True)),
    )


def regel_ids(fehler: ValidationError) -> set[str]:
    ids = set()
    for m in fehler.messages:
        # Every refusal by the rules ends with its rule as a reference, "… (Regel X)".
        treffer = re.search(r"\(Regel ([A-Z0-9-]+)\)$", m)
        assert treffer and treffer.group(1) in rules.REGEL_IDS, m
        ids.add(treffer.group(1))
    return ids


@pytest.fixture
def m(welt):
    class M:
        her = welt.user("muenchen", Rolle.HERAUSGABE)
        admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
        mit = welt.user("muenchen", Rolle.MITARBEIT)

    return M


def beantragen(welt, p, by, **kw):
    werte = {
        "empfaenger_art": "kommune",
        "empfaenger_kommune": welt.augsburg,
        "umfang": "vollstaendig",
        **uebermittlung(p),
    }
    werte.update(kw)
    return services.freigabe_beantragen(objekt=p, by=by, **werte)


# --- the model guard: direct create / save --------------------------------------------------------


def _direkt(welt, p, **kw):
    werte = {
        "objekt": p,
        "eigentuemer": welt.muenchen,
        "empfaenger_art": "kommune",
        "empfaenger_kommune": welt.augsburg,
        "umfang": "vollstaendig",
        "gueltig_bis": timezone.localdate() + dt.timedelta(days=30),
        "beantragt_von": welt.user("muenchen", Rolle.HERAUSGABE),
        "entschieden_von": welt.user("muenchen", Rolle.FREIGABE_ADMIN),
        "entschieden_am": timezone.now(),
        "status": "erteilt",
        **uebermittlung(p),
    }
    werte.update(kw)
    return Freigabe.objects.create(**werte)


@pytest.mark.parametrize(
    ("legal", "felder", "regel"),
    [
        ({"nutzungsrechte": "ungeklaert"}, {}, "RECHTE-1"),
        ({"gremienstatus": "nichtoeffentlich"}, {}, "GREMIUM-1"),
        ({"einstufung": "vs_nfd"}, {}, "VSNFD-1"),
        (PERSONAL, {"empfaenger_art": "verbund", "empfaenger_kommune": None}, "DSGVO-1"),
        ({}, {"gueltig_bis": None}, "FRIST-1"),
        ({}, {"empfaenger_art": "oeffentlich", "empfaenger_kommune": None}, "OEFFENTLICH-1"),
    ],
)
def test_direktes_create_erteilt_wird_abgewiesen(welt, m, legal, felder, regel):
    p = projekt_anlegen(welt.muenchen, m.her, **legal)
    if felder.get("empfaenger_art") == "verbund":
        felder["empfaenger_verbund"] = welt.verbund
    vorher = zustand()
    with pytest.raises(RegelVerstoss) as fehler:
        _direkt(welt, p, **felder)
    assert regel in regel_ids(fehler.value)
    assert zustand() == vorher
    assert not sharing.can(welt.user("augsburg"), "view", p)


def test_direktes_create_vier_augen(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her, **PERSONAL)
    with pytest.raises(RegelVerstoss) as fehler:
        _direkt(welt, p, beantragt_von=m.admin, entschieden_von=m.admin)
    assert regel_ids(fehler.value) == {"VIER-AUGEN"}
    assert not Freigabe.objects.exists()


def test_direktes_create_ohne_entscheidung_oder_fremder_eigentuemer(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    with pytest.raises(ValidationError, match="wer sie wann erteilt"):
        _direkt(welt, p, entschieden_von=None)
    with pytest.raises(ValidationError, match="Nur die Kommune, der das Objekt gehört"):
        _direkt(welt, p, eigentuemer=welt.nuernberg, empfaenger_kommune=welt.augsburg)
    with pytest.raises(ValidationError, match="an sich selbst"):
        _direkt(welt, p, empfaenger_kommune=welt.muenchen)
    assert not Freigabe.objects.exists()
    # The guard lets a lawful row through: it is no blanket ban.
    assert _direkt(welt, p).pk is not None


def test_save_auf_erteilt_wird_abgewiesen(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her, **PERSONAL)
    f = beantragen(welt, p, m.admin)
    f.status = "erteilt"
    f.entschieden_von = m.admin  # the same person that asked
    f.entschieden_am = timezone.now()
    with pytest.raises(RegelVerstoss) as fehler:
        f.save()
    assert regel_ids(fehler.value) == {"VIER-AUGEN"}
    f.refresh_from_db()
    assert f.status == "beantragt"
    # Nor by widening a granted one afterwards.
    g = services.freigabe_erteilen(
        freigabe=beantragen(welt, p, m.her, umfang="metadaten"), by=m.admin
    )
    g.empfaenger_art, g.empfaenger_kommune, g.empfaenger_verbund = "verbund", None, welt.verbund
    with pytest.raises(RegelVerstoss):
        g.save(update_fields=["empfaenger_art", "empfaenger_kommune", "empfaenger_verbund"])
    g.refresh_from_db()
    assert g.empfaenger_art == "kommune"


# --- the services ---------------------------------------------------------------------------------


def test_erteilen_prueft_erneut_nach_aenderung_am_objekt(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    f = beantragen(welt, p, m.her)
    # Changed without the service that would re-check (e.g. a data import).
    type(p).objects.filter(pk=p.pk).update(gremienstatus="nichtoeffentlich")
    vorher = zustand()
    with pytest.raises(RegelVerstoss) as fehler:
        services.freigabe_erteilen(freigabe=f, by=m.admin)
    assert regel_ids(fehler.value) == {"GREMIUM-1"}
    assert zustand() == vorher


def test_zugangsanfrage_genehmigung_muss_regeln_bestehen(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her, einstufung="vs_nfd", vsnfd_ansprechstelle="Amt 12")
    services.freigabe_erteilen(freigabe=beantragen(welt, p, m.her, umfang="metadaten"), by=m.admin)
    leser = welt.user("augsburg")
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=leser, begruendung="Wir planen dasselbe."
    )
    vorher = zustand()
    with pytest.raises(RegelVerstoss) as fehler:
        services.zugangsanfrage_entscheiden(anfrage=anfrage, by=m.admin, genehmigen=True)
    assert regel_ids(fehler.value) == {"VSNFD-1"}
    assert zustand() == vorher
    anfrage.refresh_from_db()
    assert anfrage.status == "offen" and anfrage.freigabe is None


def test_periodische_aufgabe_gewaehrt_nichts_unrechtmaessiges(welt, m, zeitreise):
    """A Freigabe approved in advance whose object became unlawful meanwhile grants nothing."""
    p = projekt_anlegen(welt.muenchen, m.her)
    heute = timezone.localdate()
    services.freigabe_erteilen(
        freigabe=beantragen(welt, p, m.her, gueltig_ab=heute + dt.timedelta(days=1)), by=m.admin
    )
    type(p).objects.filter(pk=p.pk).update(nutzungsrechte="nur_intern")
    zeitreise(dt.timedelta(days=1))
    tasks.freigaben_ablaufen.delay().get()
    tasks.ablauf_erinnern.delay().get()
    assert not sharing.can(welt.user("augsburg"), "view", p)
    p.refresh_from_db()
    assert sharing.sync_permissions(p) == (0, 0)


@pytest.mark.parametrize(
    ("wer", "aktion"),
    [
        ("muenchen-mitarbeit", "beantragen"),
        ("augsburg-freigabe_admin", "beantragen"),
        ("augsburg-mitarbeit-mit-mitarbeitsfreigabe", "beantragen"),
        ("muenchen-herausgabe", "erteilen"),
        ("muenchen-mitarbeit", "erteilen"),
        ("augsburg-freigabe_admin", "erteilen"),
        ("muenchen-herausgabe", "ablehnen"),
        ("augsburg-freigabe_admin", "ablehnen"),
        ("muenchen-herausgabe", "widerrufen"),
        ("nuernberg-freigabe_admin", "widerrufen"),
        ("muenchen-herausgabe", "anfrage"),
        ("augsburg-freigabe_admin", "anfrage"),
    ],
)
def test_ohne_recht_keine_freigabe(welt, m, wer, aktion):
    p = projekt_anlegen(welt.muenchen, m.her)
    # Augsburg co-edits (change) but does not manage sharing (share).
    services.freigabe_erteilen(freigabe=beantragen(welt, p, m.her, umfang="mitarbeit"), by=m.admin)
    offen = beantragen(
        welt,
        p,
        m.her,
        empfaenger_art="verbund",
        empfaenger_kommune=None,
        empfaenger_verbund=welt.verbund,
        umfang="metadaten",
    )
    erteilt = services.freigabe_erteilen(
        freigabe=beantragen(welt, p, m.her, empfaenger_kommune=welt.nuernberg), by=m.admin
    )
    anfrage = services.zugangsanfrage_stellen(
        objekt=p, by=welt.user("nuernberg"), begruendung="Bitte auch Mitarbeit.", umfang="mitarbeit"
    )
    slug, rolle = wer.split("-")[:2]
    user = welt.user(slug, rolle)
    # The Herausgabe manages the object's Freigaben (share) but decides none of them.
    assert sharing.can(user, "share", p) is (wer == "muenchen-herausgabe")
    vorher = zustand()
    aufruf = {
        "beantragen": lambda: beantragen(welt, p, user, empfaenger_kommune=welt.regensburg),
        "erteilen": lambda: services.freigabe_erteilen(freigabe=offen, by=user),
        "ablehnen": lambda: services.freigabe_ablehnen(freigabe=offen, by=user, begruendung="x"),
        "widerrufen": lambda: services.freigabe_widerrufen(freigabe=erteilt, by=user),
        "anfrage": lambda: services.zugangsanfrage_entscheiden(
            anfrage=anfrage, by=user, genehmigen=True
        ),
    }[aktion]
    with pytest.raises(KeineBerechtigung):
        aufruf()
    assert zustand() == vorher


def test_vier_augen_ueber_den_service(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her, **PERSONAL)
    f = beantragen(welt, p, m.admin)
    vorher = zustand()
    with pytest.raises(RegelVerstoss) as fehler:
        services.freigabe_erteilen(freigabe=f, by=m.admin)
    assert regel_ids(fehler.value) == {"VIER-AUGEN"}
    assert "Vier-Augen-Prinzip" in fehler.value.messages[0]
    assert zustand() == vorher
    zweite = services.benutzer_anlegen(
        username="muenchen-admin2", kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN
    )
    assert services.freigabe_erteilen(freigabe=f, by=zweite).status == "erteilt"
    assert sharing.can(welt.user("augsburg"), "download", p)


@pytest.mark.parametrize(
    ("felder", "meldung"),
    [
        (
            {"gueltig_ab": dt.date(2030, 5, 2), "gueltig_bis": dt.date(2030, 5, 1)},
            "„Gültig bis“ darf nicht vor „gültig ab“ liegen.",
        ),
        ({"gueltig_bis": dt.date(2020, 1, 1), "gueltig_ab": dt.date(2019, 1, 1)}, "Vergangenheit"),
        ({"empfaenger_kommune": "muenchen"}, "eine Freigabe an sich selbst gibt es nicht"),
        ({"empfaenger_kommune": "inaktiv"}, "Diese Kommune ist nicht aktiv."),
        ({"empfaenger_kommune": "unbekannt"}, "Diese Kommune ist nicht bekannt."),
        ({"empfaenger_kommune": None}, "Bitte die Empfänger-Kommune wählen."),
        (
            {"empfaenger_art": "oeffentlich", "empfaenger_kommune": "augsburg"},
            "nur als Empfänger-Art",
        ),
        ({"empfaenger_art": "stadtrat"}, "ist keine gültige Option"),
        ({"umfang": "alles"}, "ist keine gültige Option"),
        (
            {"empfaenger_art": "verbund", "empfaenger_kommune": None},
            "Bitte den Empfänger-Verbund wählen.",
        ),
        (
            {"empfaenger_art": "verbund", "empfaenger_kommune": None, "umfang": "mitarbeit"},
            "nur mit namentlich benannten Kommunen",
        ),
        (
            {"empfaenger_art": "oeffentlich", "empfaenger_kommune": None, "umfang": "mitarbeit"},
            "nur mit namentlich benannten Kommunen",
        ),
    ],
)
def test_falsche_angaben_klare_meldung_nichts_geaendert(welt, m, felder, meldung):
    p = projekt_anlegen(welt.muenchen, m.her)
    inaktiv = services.kommune_anlegen(
        name="Altstadt", slug="altstadt", ags="09999000", aktiv=False
    )
    kommunen = {
        "muenchen": welt.muenchen,
        "augsburg": welt.augsburg,
        "inaktiv": inaktiv,
        "unbekannt": Kommune(pk=987654, name="Nirgendwo", slug="nirgendwo", ags="09000000"),
        None: None,
    }
    if "empfaenger_kommune" in felder:
        felder["empfaenger_kommune"] = kommunen[felder["empfaenger_kommune"]]
    vorher = zustand()
    with pytest.raises(ValidationError) as fehler:
        beantragen(welt, p, m.her, **felder)
    assert any(meldung in t for t in fehler.value.messages), fehler.value.messages
    assert zustand() == vorher


def test_ablehnen_braucht_begruendung(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    f = beantragen(welt, p, m.her)
    vorher = zustand()
    with pytest.raises(ValidationError, match="Begründung"):
        services.freigabe_ablehnen(freigabe=f, by=m.admin, begruendung="  ")
    assert zustand() == vorher


def test_inaktive_empfaengerin_beim_erteilen(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    f = beantragen(welt, p, m.her, empfaenger_kommune=welt.regensburg)
    Kommune.objects.filter(pk=welt.regensburg.pk).update(aktiv=False)
    vorher = zustand()
    with pytest.raises(ValidationError, match="nicht \\(mehr\\) aktiv"):
        services.freigabe_erteilen(freigabe=f, by=m.admin)
    assert zustand() == vorher


def test_doppelte_freigabe_und_entschiedene_freigabe(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    f = beantragen(welt, p, m.her)
    with pytest.raises(ValidationError, match="schon Freigabe Nr."):
        beantragen(welt, p, m.her)
    services.freigabe_ablehnen(freigabe=f, by=m.admin, begruendung="Nein.")
    vorher = zustand()
    with pytest.raises(ValidationError, match="bereits abgelehnt"):
        services.freigabe_erteilen(freigabe=f, by=m.admin)
    with pytest.raises(ValidationError, match="kann nicht widerrufen"):
        services.freigabe_widerrufen(freigabe=f, by=m.admin)
    assert zustand() == vorher


def test_sammelaenderungen_erteilen_nichts(welt, m):
    p = projekt_anlegen(welt.muenchen, m.her)
    offen = beantragen(welt, p, m.her, umfang="metadaten")
    type(p).objects.filter(pk=p.pk).update(nutzungsrechte="ungeklaert")
    p.refresh_from_db()
    with pytest.raises(ValidationError, match="nur einzeln erteilt"):
        Freigabe.objects.filter(pk=offen.pk).update(
            status="erteilt", entschieden_von=m.admin, entschieden_am=timezone.now()
        )
    q = projekt_anlegen(welt.muenchen, m.her)
    erteilt = services.freigabe_erteilen(
        freigabe=beantragen(welt, q, m.her, umfang="metadaten"), by=m.admin
    )
    for felder in (
        {"umfang": "vollstaendig"},
        {"gueltig_bis": None},
        {"empfaenger_kommune": welt.nuernberg},
    ):
        with pytest.raises(ValidationError, match="nur einzeln"):
            Freigabe.objects.filter(pk=erteilt.pk).update(**felder)
    # What cannot widen a grant stays possible in bulk.
    assert Freigabe.objects.filter(pk=offen.pk).update(umfang="vollstaendig") == 1
    assert Freigabe.objects.filter(pk=erteilt.pk).update(auflagen="Nur intern nutzen.") == 1
    zeile = Freigabe(
        objekt=p,
        eigentuemer=welt.muenchen,
        empfaenger_art="kommune",
        empfaenger_kommune=welt.nuernberg,
        umfang="metadaten",
        gueltig_bis=timezone.localdate() + dt.timedelta(days=5),
        beantragt_von=m.her,
        entschieden_von=m.admin,
        entschieden_am=timezone.now(),
        status="erteilt",
    )
    with pytest.raises(RegelVerstoss, match="RECHTE-1"):
        Freigabe.objects.bulk_create([zeile])
    offen.refresh_from_db()
    assert offen.status == "beantragt"
    assert Freigabe.objects.filter(status="erteilt").count() == 1
