"""sharing.py: one-statement lists, constant query counts, revocation, Verbund changes, explain."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kommunen import services, sharing, tasks
from kommunen.models import Benutzer, Freigabe, Protokoll, Rolle
from projekte.models import Projekt, ProjektGroupObjectPermission
from tests.factories import ergebnis_anlegen, projekt_anlegen
from wissen.models import Ergebnis


def _teilen(welt, objekt, art="kommune", umfang="vollstaendig", **kw):
    her = welt.user(objekt.kommune.slug, Rolle.HERAUSGABE)
    admin = welt.user(objekt.kommune.slug, Rolle.FREIGABE_ADMIN)
    f = services.freigabe_beantragen(
        objekt=objekt,
        by=her,
        empfaenger_art=art,
        empfaenger_kommune=kw.pop("an", welt.augsburg) if art == "kommune" else None,
        empfaenger_verbund=welt.verbund if art == "verbund" else None,
        umfang=umfang,
        **kw,
    )
    return services.freigabe_erteilen(freigabe=f, by=admin)


def _frisch(user):
    """The user as the next request loads it (group ids read anew)."""
    return Benutzer.objects.get(pk=user.pk)


def _oberste_ebene(sql: str) -> str:
    tiefe, aussen = 0, []
    for zeichen in sql:
        if zeichen == "(":
            tiefe += 1
        elif zeichen == ")":
            tiefe -= 1
        elif tiefe == 0:
            aussen.append(zeichen)
    return "".join(aussen)


# --- one SQL statement, constant in the amount of data ----------------------------------------


def test_visible_gleich_viele_abfragen_bei_3_und_300(welt, django_assert_num_queries):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    leser = welt.user("muenchen")
    sharing.visible(leser, Projekt.objects.all()).exists()  # warm the per-process id caches
    anzahl = {}
    for ziel in (3, 300):
        while Projekt.objects.count() < ziel:
            projekt_anlegen(welt.muenchen, her)
        user = _frisch(leser)
        with CaptureQueriesContext(connection) as erste:
            assert len(list(sharing.visible(user, Projekt.objects.all(), "view"))) == ziel
        with django_assert_num_queries(1):  # group ids are read once per user object
            assert len(list(sharing.visible(user, Projekt.objects.all(), "download"))) == ziel
        anzahl[ziel] = len(erste)
    assert anzahl[3] == anzahl[300] == 2


def test_visible_ist_eine_anweisung_mit_exists(welt):
    user = welt.user("augsburg")
    qs = sharing.visible(user, Projekt.objects.filter(titel__icontains="x"), "download")
    sql = str(qs.query)
    assert _oberste_ebene(sql).count("SELECT") == 1
    assert "EXISTS" in sql
    # The user's groups are inlined as ids, not joined: the query stays on the index.
    assert "benutzer_groups" not in sql
    for model in (Projekt, Ergebnis):
        sql = str(sharing.visible(user, model.objects.all(), "view").query)
        # group rows: one correlated EXISTS; the user's own exceptions: one uncorrelated IN
        assert sql.count("EXISTS") == 1 and _oberste_ebene(sql).count("SELECT") == 1
        assert "objectpermission" in sql.split("EXISTS")[1].lower()


def test_anonym_nur_eine_exists_bedingung(welt):
    from django.contrib.auth.models import AnonymousUser

    sql = str(sharing.visible(AnonymousUser(), Projekt.objects.all()).query)
    assert sql.count("EXISTS") == 1


def test_inaktiver_benutzer_sieht_nichts(welt):
    user = welt.user("muenchen")
    p = projekt_anlegen(welt.muenchen, user)
    assert sharing.can(user, "view", p)
    user.is_active = False
    assert not sharing.can(user, "view", p)
    assert not sharing.visible(user, Projekt.objects.all()).exists()


# --- revocation and expiry: the very next check says no ----------------------------------------


def test_widerruf_wirkt_bei_der_naechsten_pruefung(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = _teilen(welt, p)
    leser = welt.user("augsburg")
    assert sharing.can(leser, "download", p)
    assert list(sharing.visible(leser, Projekt.objects.all())) == [p]
    services.freigabe_widerrufen(
        freigabe=f, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), grund="Ende"
    )
    # The same user object (the same request): no cache keeps the right alive.
    assert not sharing.can(leser, "view", p)
    assert not sharing.can(leser, "download", p)
    assert list(sharing.visible(leser, Projekt.objects.all())) == []
    assert Protokoll.objects.filter(
        aktion=Protokoll.Aktion.FREIGABE_WIDERRUFEN, freigabe_id_ref=f.pk
    ).exists()


def test_ablauf_durch_die_periodische_aufgabe(welt):
    e = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    heute = timezone.localdate()
    f = _teilen(welt, e, gueltig_bis=heute)
    leser = welt.user("augsburg")
    assert sharing.can(leser, "view", e)
    assert tasks.freigaben_ablaufen.delay().get() == 0  # valid through today
    # A day later (the row says so): the end date lies in the past.
    Freigabe.objects.filter(pk=f.pk).update(
        gueltig_ab=heute - dt.timedelta(days=30), gueltig_bis=heute - dt.timedelta(days=1)
    )
    assert tasks.freigaben_ablaufen.delay().get() == 1
    assert not sharing.can(leser, "view", e)
    assert not sharing.visible(leser, Ergebnis.objects.all()).exists()
    f.refresh_from_db()
    assert f.status == "abgelaufen" and "FRIST-1" in f.beendet_grund
    assert tasks.freigaben_ablaufen.delay().get() == 0  # idempotent


def test_freigabe_mit_spaeterem_beginn_wird_am_ersten_tag_wirksam(welt, zeitreise):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    heute = timezone.localdate()
    f = _teilen(welt, p, gueltig_ab=heute + dt.timedelta(days=1))
    leser = welt.user("augsburg")
    assert not sharing.can(leser, "view", p)
    assert f not in sharing.active_freigaben(p)
    # The next day, with no task run in between: valid from the first minute.
    zeitreise(dt.timedelta(days=1))
    assert sharing.can(leser, "download", p)
    assert sharing.sync_permissions(p) == (0, 0)  # nothing left to do


# --- Verbund membership moves users, not object rows --------------------------------------------


def test_verbund_beitritt_und_austritt_ohne_neue_objektzeilen(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _teilen(welt, p, art="verbund", umfang="metadaten")
    regensburg = welt.user("regensburg")
    assert not sharing.can(regensburg, "view", p)
    zeilen = ProjektGroupObjectPermission.objects.count()
    alle = [welt.nuernberg, welt.augsburg, welt.muenchen]

    services.verbund_mitglieder_setzen(verbund=welt.verbund, kommunen=[*alle, welt.regensburg])
    assert sharing.can(_frisch(regensburg), "view", p)
    assert not sharing.can(_frisch(regensburg), "download", p)
    assert ProjektGroupObjectPermission.objects.count() == zeilen

    services.verbund_mitglieder_setzen(verbund=welt.verbund, kommunen=alle)
    assert not sharing.can(_frisch(regensburg), "view", p)
    assert not sharing.visible(_frisch(regensburg), Projekt.objects.all()).exists()
    assert sharing.can(_frisch(welt.user("nuernberg")), "view", p)
    assert ProjektGroupObjectPermission.objects.count() == zeilen


def test_neue_benutzerin_einer_verbundkommune_sieht_verbundfreigaben(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _teilen(welt, p, art="verbund", umfang="metadaten")
    neu = services.benutzer_anlegen(username="nbg-neu", kommune=welt.nuernberg, rolle="mitarbeit")
    assert sharing.can(neu, "view", p)
    # Moving to a Kommune outside the Verbund takes the right away.
    neu.kommune = welt.regensburg
    services.benutzer_speichern(user=neu)
    assert not sharing.can(_frisch(neu), "view", p)


# --- two Freigaben, one right; idempotent sync -------------------------------------------------


def test_zwei_freigaben_gleiches_recht_widerruf_einer_behaelt_es(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    an_augsburg = _teilen(welt, p, umfang="metadaten")
    an_verbund = _teilen(welt, p, art="verbund", umfang="vollstaendig")
    leser = welt.user("augsburg")
    assert sharing.can(leser, "download", p)
    services.freigabe_widerrufen(freigabe=an_verbund, by=admin)
    assert sharing.can(leser, "view", p)  # still granted by the Freigabe to Augsburg
    assert not sharing.can(leser, "download", p)
    services.freigabe_widerrufen(freigabe=an_augsburg, by=admin)
    assert not sharing.can(leser, "view", p)


def test_zwei_freigaben_an_dieselbe_kommune(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    meta = _teilen(welt, p, umfang="metadaten")
    voll = _teilen(welt, p, umfang="vollstaendig")
    services.freigabe_widerrufen(freigabe=voll, by=admin)
    leser = welt.user("augsburg")
    assert sharing.can(leser, "view", p) and not sharing.can(leser, "download", p)
    services.freigabe_widerrufen(freigabe=meta, by=admin)
    assert not sharing.can(leser, "view", p)


def test_sync_zweimal_aendert_nichts(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _teilen(welt, p, umfang="mitarbeit")
    _teilen(welt, p, art="verbund", umfang="metadaten")
    vorher = set(ProjektGroupObjectPermission.objects.values_list("group_id", "permission_id"))
    assert sharing.sync_permissions(p) == (0, 0)
    assert sharing.sync_permissions(p) == (0, 0)
    nachher = set(ProjektGroupObjectPermission.objects.values_list("group_id", "permission_id"))
    assert vorher == nachher
    # A stray row (written around sharing.py) is removed, a missing one restored.
    ProjektGroupObjectPermission.objects.create(
        group=welt.regensburg.gruppe_mitglieder,
        permission_id=sharing._perm_ids(Projekt)["view"],
        content_object=p,
    )
    ProjektGroupObjectPermission.objects.filter(group=welt.augsburg.gruppe_mitglieder).delete()
    # Augsburg's staff: view and download; `change` of the Mitarbeit is its Herausgabe's row.
    assert sharing.sync_permissions(p) == (2, 1)
    assert sharing.sync_permissions(p) == (0, 0)


def test_eine_freigabe_kostet_eine_zeile_je_recht(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    vorher = ProjektGroupObjectPermission.objects.filter(content_object=p).count()
    _teilen(welt, p, art="verbund", umfang="vollstaendig")
    assert ProjektGroupObjectPermission.objects.filter(content_object=p).count() == vorher + 2


# --- explain and the one 404 -------------------------------------------------------------------


def test_explain(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, einstufung="offen", lizenz="CC0-1.0")
    assert sharing.explain(welt.user("muenchen"), p) == ["Das Objekt gehört Ihrer Kommune."]
    assert sharing.explain(welt.user("augsburg"), p) == []
    an_augsburg = _teilen(welt, p, umfang="vollstaendig")
    an_verbund = _teilen(welt, p, art="verbund", umfang="metadaten")
    oeffentlich = _teilen(welt, p, art="oeffentlich", umfang="metadaten")
    bis = an_augsburg.gueltig_bis.strftime("%d.%m.%Y")

    gruende = sharing.explain(welt.user("augsburg"), p)
    assert (
        f"Freigabe Nr. {an_augsburg.pk} an Ihre Kommune (vollständig (mit Dokumenten)), "
        f"gültig bis {bis}." in gruende
    )
    assert any(f"Freigabe Nr. {an_verbund.pk} über den Verbund „Kooperations" in g for g in gruende)

    nuernberg = sharing.explain(welt.user("nuernberg"), p)
    assert not any(f"Nr. {an_augsburg.pk} " in g for g in nuernberg)
    assert any(f"Nr. {an_verbund.pk} über den Verbund" in g for g in nuernberg)

    from django.contrib.auth.models import AnonymousUser

    assert sharing.explain(AnonymousUser(), p) == [
        f"Freigabe Nr. {oeffentlich.pk}: öffentlich zugänglich (nur Metadaten)."
    ]
    regensburg = sharing.explain(welt.user("regensburg"), p)
    assert regensburg == [f"Freigabe Nr. {oeffentlich.pk}: öffentlich zugänglich (nur Metadaten)."]


def test_explain_nennt_keine_freigabe_die_nichts_gewaehrt(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = _teilen(welt, p, art="verbund", umfang="metadaten")
    assert any(f"Nr. {f.pk} " in g for g in sharing.explain(welt.user("muenchen"), p))
    # Changed around the services: the Freigabe still reads erteilt but grants nothing.
    Projekt.objects.filter(pk=p.pk).update(gremienstatus="nichtoeffentlich")
    p.refresh_from_db()
    sharing.sync_permissions(p)
    assert not sharing.can(welt.user("augsburg"), "view", p)
    assert sharing.explain(welt.user("muenchen"), p) == ["Das Objekt gehört Ihrer Kommune."]


def test_keine_rechte_je_person_an_den_regeln_vorbei():
    """Rights are held by groups and derived from Freigaben: no per-user grant exists."""
    assert not hasattr(sharing, "grant_user") and not hasattr(sharing, "revoke_user")
    for model in (Projekt, Ergebnis):
        perm_model = sharing.perm_model(model)
        assert {f.name for f in perm_model._meta.fields} >= {"group", "gueltig_ab", "gueltig_bis"}
        assert not any(
            rel.field.name == "content_object"
            and "user" in {f.name for f in rel.related_model._meta.fields}
            for rel in model._meta.related_objects
        )


@pytest.mark.parametrize("wert", ["abc", -1, 10**20, "", None, "1.5", "fremd", "fehlt"])
def test_get_visible_or_404_immer_dasselbe_404(welt, wert):
    eigen = projekt_anlegen(welt.augsburg, welt.user("augsburg", Rolle.HERAUSGABE))
    fremd = projekt_anlegen(welt.regensburg, welt.user("regensburg", Rolle.HERAUSGABE))
    user = welt.user("augsburg")
    assert sharing.get_visible_or_404(user, Projekt.objects.all(), pk=eigen.pk) == eigen
    with pytest.raises(Http404) as referenz:
        sharing.get_visible_or_404(user, Projekt.objects.all(), pk=fremd.pk + 1000)
    wert = {"fremd": fremd.pk, "fehlt": fremd.pk + 999}.get(wert, wert)
    with pytest.raises(Http404) as fehler:
        sharing.get_visible_or_404(user, Projekt.objects.all(), pk=wert)
    assert str(fehler.value) == str(referenz.value) == "Nicht gefunden."


def test_nur_sharing_schreibt_objektberechtigungen():
    """No module but sharing.py writes the guardian tables (the one place of DESIGN.md)."""
    from pathlib import Path

    wurzel = Path(__file__).resolve().parents[2]
    verdaechtig = []
    dateien = [
        d
        for app in ("kommunen", "projekte", "wissen", "portal", "common")
        for d in (wurzel / app).rglob("*.py")
        if "migrations" not in d.parts
    ]
    assert len(dateien) > 40  # the packages by topic are all read
    for datei in dateien:
        if datei.name == "sharing.py":
            continue
        text = datei.read_text(encoding="utf-8")
        for muster in ("ObjectPermission.objects", "assign_perm(", "remove_perm("):
            if muster in text:
                verdaechtig.append(f"{datei.name}: {muster}")
    assert verdaechtig == []


def test_ansichten_lesen_objekte_nur_ueber_sharing():
    """No view module loads an object around kommunen.sharing (CONVENTIONS: the guard's guard)."""
    import re
    from pathlib import Path

    wurzel = Path(__file__).resolve().parents[2]
    ansichten = [
        d
        for app in ("kommunen", "projekte", "wissen", "portal")
        for d in (*(wurzel / app / "views").rglob("*.py"), wurzel / app / "dashboard.py")
        if d.exists()
    ]
    assert len(ansichten) >= 15
    verboten = re.compile(r"\.objects\.get\(|get_object_or_404\(|guardian|get_objects_for_user")
    funde = [
        f"{d.relative_to(wurzel)}:{nr}"
        for d in ansichten
        for nr, zeile in enumerate(d.read_text(encoding="utf-8").splitlines(), 1)
        if verboten.search(zeile)
    ]
    assert funde == []


# --- the stored group lists (sharing.vorfilter) --------------------------------------------------


def _listen(objekt):
    frisch = type(objekt).objects.get(pk=objekt.pk)
    return set(frisch.gruppen_sehen), set(frisch.gruppen_laden)


def test_gruppenlisten_folgen_den_zeilen(welt):
    e = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    m = welt.muenchen
    assert _listen(e) == ({m.gruppe_mitglieder_id}, {m.gruppe_mitglieder_id})
    voll = _teilen(welt, e, umfang="vollstaendig")
    _teilen(welt, e, art="verbund", umfang="metadaten")
    sehen, laden = _listen(e)
    assert sehen == {
        m.gruppe_mitglieder_id,
        welt.augsburg.gruppe_mitglieder_id,
        welt.verbund.gruppe_id,
    }
    # Metadata only: the Verbund may see the result but not download its documents.
    assert laden == {m.gruppe_mitglieder_id, welt.augsburg.gruppe_mitglieder_id}
    services.freigabe_widerrufen(
        freigabe=voll, by=welt.user("muenchen", Rolle.FREIGABE_ADMIN), grund="Test"
    )
    assert _listen(e) == (
        {m.gruppe_mitglieder_id, welt.verbund.gruppe_id},
        {m.gruppe_mitglieder_id},
    )


def test_gruppenlisten_neu_berechnet_wie_sync(welt):
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _teilen(welt, p, umfang="vollstaendig")
    soll = _listen(p)
    Projekt.objects.filter(pk=p.pk).update(gruppen_sehen=[], gruppen_laden=[])
    sharing.gruppenlisten_neu(Projekt)
    assert _listen(p) == soll


def test_vorfilter_entscheidet_nie_allein(welt):
    """A Freigabe that starts tomorrow puts Augsburg's group in the list today; visible()
    still hides the object, and so does a search with the pre-filter."""
    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    _teilen(welt, p, gueltig_ab=timezone.localdate() + dt.timedelta(days=1))
    assert welt.augsburg.gruppe_mitglieder_id in _listen(p)[0]
    augsburg = _frisch(welt.user("augsburg"))
    vorgefiltert = Projekt.objects.filter(sharing.vorfilter(augsburg))
    assert list(vorgefiltert) == [p]
    assert not sharing.visible(augsburg, vorgefiltert).exists()
    # A Kommune without any row on it is not even a candidate.
    regensburg = _frisch(welt.user("regensburg"))
    assert not Projekt.objects.filter(sharing.vorfilter(regensburg), pk=p.pk).exists()
