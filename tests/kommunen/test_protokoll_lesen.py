"""Read events in the Protokoll: views of detail pages by staff of other Kommunen (at most one
row per reader, object and day), their pseudonymisation after the retention period by the one
database function the append-only trigger admits, the daily task, and reads recorded per
Kommune instead of per person."""

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kommunen import services, tasks
from kommunen.models import Aufgabenlauf, Protokoll, Rolle, Umfang
from tests.factories import (
    OEFFENTLICH,
    dokument_anlegen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
)

A = Protokoll.Aktion
ROOT = Path(__file__).resolve().parents[2]
PROTOKOLL = reverse("kommunen:protokoll")
EXPORT = reverse("kommunen:protokoll_export")


@pytest.fixture
def geteilt(welt):
    """A München project and result, both shared with Augsburg."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Projekt Radverkehr")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie Radverkehr")
    freigeben(welt, projekt, an=welt.augsburg, umfang=Umfang.METADATEN)
    freigeben(welt, ergebnis, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    return {"projekt": projekt, "ergebnis": ergebnis}


def _detail(objekt) -> str:
    return objekt.get_absolute_url()


def _ansichten(**filter_):
    return Protokoll.objects.filter(aktion=A.ANSICHT, **filter_)


# --- views are read events ----------------------------------------------------------------------


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
def test_ansicht_durch_andere_kommune_einmal_am_tag(client, welt, geteilt, zeitreise, art):
    objekt = geteilt[art]
    leser = welt.user("augsburg")
    client.force_login(leser)
    for _ in range(3):
        assert client.get(_detail(objekt)).status_code == 200
    (row,) = _ansichten()
    assert row.kommune == welt.muenchen  # in the owner's Protokoll
    assert row.akteur == leser and row.akteur_name == leser.username
    assert row.akteur_kommune == welt.augsburg
    assert (row.object_id, row.objekt_titel) == (objekt.pk, objekt.titel)
    assert row.content_type.model_class() is type(objekt)

    # A colleague on the same day is a reader of their own.
    client.force_login(welt.user("augsburg", Rolle.HERAUSGABE))
    assert client.get(_detail(objekt)).status_code == 200
    assert _ansichten().count() == 2

    # The next day counts again.
    zeitreise(dt.timedelta(days=1))
    client.force_login(leser)
    client.get(_detail(objekt))
    client.get(_detail(objekt))
    assert _ansichten(akteur=leser).count() == 2


@pytest.mark.parametrize("rolle", [Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN])
def test_eigene_kommune_wird_nicht_protokolliert(client, welt, geteilt, rolle):
    client.force_login(welt.user("muenchen", rolle))
    for objekt in geteilt.values():
        assert client.get(_detail(objekt)).status_code == 200
    assert not _ansichten().exists()


def test_anonym_wird_nicht_protokolliert(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, **OEFFENTLICH)
    ergebnis = ergebnis_anlegen(welt.muenchen, her, **OEFFENTLICH)
    freigeben(welt, projekt)
    freigeben(welt, ergebnis)
    for objekt in (projekt, ergebnis):
        assert client.get(_detail(objekt)).status_code == 200
    assert not _ansichten().exists()


def test_ohne_recht_keine_seite_und_kein_eintrag(client, welt, geteilt):
    client.force_login(welt.user("regensburg"))
    for objekt in geteilt.values():
        assert client.get(_detail(objekt)).status_code == 404
    assert not _ansichten().exists()


def test_ansicht_durch_benutzer_ohne_kommune_nicht(welt, geteilt):
    from kommunen.models import Benutzer

    betrieb = Benutzer(username="betrieb", is_staff=True)
    assert services.ansicht_protokollieren(user=betrieb, objekt=geteilt["projekt"]) is None
    assert not _ansichten().exists()


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
def test_erster_aufruf_des_tages_kostet_genau_eine_abfrage_mehr(client, welt, geteilt, art):
    """A reload reads whether today's row exists (one query, counted in the detail pages'
    budgets in tests/projekte/test_detail.py, or the cache once the row is committed); the
    first view of the day also writes it."""
    url = _detail(geteilt[art])
    client.force_login(welt.user("augsburg"))
    client.get(reverse("projekte:liste"))  # session and caches (Abos) warm, as for the reload
    erster = _abfragen(client, url)
    neu_laden = _abfragen(client, url)
    assert erster == neu_laden + 1
    assert _ansichten().count() == 1


def test_ansicht_im_protokoll_der_eigentuemerin_nicht_der_lesenden(client, welt, geteilt):
    client.force_login(welt.user("augsburg"))
    client.get(_detail(geteilt["projekt"]))
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    html = client.get(PROTOKOLL, {"aktion": "ansicht"}).content.decode()
    assert "Detailseite angesehen" in html and "augsburg-mitarbeit (Augsburg)" in html
    # Augsburg's admins do not see München's log, not even the reads of their own staff.
    client.force_login(welt.user("augsburg", Rolle.FREIGABE_ADMIN))
    html = client.get(PROTOKOLL, {"aktion": "ansicht"}).content.decode()
    assert "Projekt Radverkehr" not in html and "Keine Einträge für diese Auswahl." in html
    body = b"".join(client.get(EXPORT).streaming_content).decode()
    assert "Projekt Radverkehr" not in body


# --- pseudonymisation after the retention period ----------------------------------------------


@pytest.fixture
def alt_und_neu(welt, geteilt, zeitreise):
    """Rows of 25 months ago (two reads, one decision, one anonymous download) and a recent read,
    written by the services as the portal writes them."""
    leser = welt.user("augsburg")
    admin = welt.user("muenchen", Rolle.FREIGABE_ADMIN)
    projekt, ergebnis = geteilt["projekt"], geteilt["ergebnis"]
    zeitreise(-dt.timedelta(days=31 * 25))
    alt = {
        "ansicht": services.ansicht_protokollieren(user=leser, objekt=projekt),
        "download": services.protokollieren(
            aktion=A.DOWNLOAD, akteur=leser, objekt=ergebnis, details={"datei": "a.pdf"}
        ),
        "entscheidung": services.protokollieren(
            aktion=A.FREIGABE_ERTEILT, akteur=admin, objekt=projekt, details={"umfang": "x"}
        ),
        "anonym": services.protokollieren(aktion=A.DOWNLOAD, objekt=ergebnis),
    }
    zeitreise(dt.timedelta(days=31 * 25))
    neu = services.ansicht_protokollieren(user=leser, objekt=ergebnis)
    return {**alt, "neu": neu}


def _frisch(row) -> dict:
    return Protokoll.objects.filter(pk=row.pk).values().get()


def test_pseudonymisieren_nur_alte_lese_ereignisse(welt, alt_und_neu):
    vorher = {k: _frisch(v) for k, v in alt_und_neu.items()}
    assert services.protokoll_pseudonymisieren() == 2
    for art in ("ansicht", "download"):
        nachher = _frisch(alt_und_neu[art])
        assert nachher["akteur_id"] is None
        assert nachher["akteur_name"] == Protokoll.PSEUDONYM
        assert nachher["akteur_kommune_id"] == welt.augsburg.pk
        ohne_person = {k: v for k, v in nachher.items() if k not in ("akteur_id", "akteur_name")}
        assert ohne_person == {
            k: v for k, v in vorher[art].items() if k not in ("akteur_id", "akteur_name")
        }
    for art in ("entscheidung", "anonym", "neu"):
        assert _frisch(alt_und_neu[art]) == vorher[art], art
    # Idempotent: nothing is left to change.
    assert services.protokoll_pseudonymisieren() == 0


def test_stichtag_folgt_der_einstellung(settings, alt_und_neu):
    settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE = 26
    assert services.protokoll_pseudonymisieren() == 0
    settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE = 25
    assert services.protokoll_pseudonymisieren() == 2
    stichtag = services.lesen_stichtag(heute=dt.date(2026, 3, 31))
    assert timezone.localtime(stichtag).date() == dt.date(2024, 2, 29)
    assert timezone.localtime(stichtag).time() == dt.time(0, 0)


def test_stichtag_in_der_zukunft_wird_abgewiesen(alt_und_neu):
    with pytest.raises(DatabaseError, match="Stichtag"):
        services.protokoll_pseudonymisieren(stichtag=timezone.now() + dt.timedelta(days=1))
    assert Protokoll.objects.filter(akteur_name=Protokoll.PSEUDONYM).count() == 0


def test_protokollseite_und_export_zeigen_pseudonymisierte_eintraege(client, welt, alt_und_neu):
    services.protokoll_pseudonymisieren()
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    response = client.get(PROTOKOLL, {"aktion": "download"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "pseudonymisiert (Augsburg)" in html
    assert "nicht angemeldet" in html  # the anonymous download, never named
    assert "Aufrufe und Downloads nennen die Person 24 Monate lang" in html
    assert "augsburg-mitarbeit" not in html
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(EXPORT).streaming_content).decode()[1:]),
            delimiter=";",
        )
    )
    kopf, *zeilen = rows
    person, kommune = kopf.index("Benutzer/in"), kopf.index("Kommune der Benutzer/in")
    lesen = [z for z in zeilen if z[1] in ("Dokument heruntergeladen", "Detailseite angesehen")]
    assert sorted((z[person], z[kommune]) for z in lesen) == [
        ("augsburg-mitarbeit", "Augsburg"),  # the recent view
        ("nicht angemeldet", ""),
        ("pseudonymisiert", "Augsburg"),
        ("pseudonymisiert", "Augsburg"),
    ]
    # The decision of the same age keeps its person; filtering by person still finds it.
    html = client.get(PROTOKOLL, {"benutzer": "muenchen-freigabe_admin"}).content.decode()
    assert "Freigabe erteilt" in html


# --- the trigger admits exactly the pseudonymisation ------------------------------------------

EINSCHALTEN = "SELECT set_config('wv.protokoll_pseudonymisieren', 'an', true)"
PERSON_WEG = "akteur_id = NULL, akteur_name = 'pseudonymisiert'"


def _sql(sql, pk, *, einschalten):
    with transaction.atomic(), connection.cursor() as cursor:
        if einschalten:
            cursor.execute(EINSCHALTEN)
        cursor.execute(sql, [pk])
        return cursor.rowcount


@pytest.mark.parametrize("einschalten", [False, True])
@pytest.mark.parametrize(
    ("art", "sql"),
    [
        # anything but the actor of a read event
        ("download", "UPDATE kommunen_protokoll SET objekt_titel = 'x' WHERE id = %s"),
        ("download", f"UPDATE kommunen_protokoll SET {PERSON_WEG}, details = '{{}}' WHERE id = %s"),
        ("download", f"UPDATE kommunen_protokoll SET {PERSON_WEG}, aktion = 'x' WHERE id = %s"),
        ("ansicht", f"UPDATE kommunen_protokoll SET {PERSON_WEG}, zeitpunkt = now() WHERE id = %s"),
        (
            "ansicht",
            f"UPDATE kommunen_protokoll SET {PERSON_WEG}, akteur_kommune_id = NULL WHERE id = %s",
        ),
        ("ansicht", f"UPDATE kommunen_protokoll SET {PERSON_WEG}, object_id = 1 WHERE id = %s"),
        # the actor changed to anything but the pseudonym
        ("ansicht", "UPDATE kommunen_protokoll SET akteur_name = 'jemand' WHERE id = %s"),
        ("ansicht", "UPDATE kommunen_protokoll SET akteur_id = NULL WHERE id = %s"),
        (
            "ansicht",
            "UPDATE kommunen_protokoll SET akteur_id = NULL, akteur_name = '' WHERE id = %s",
        ),
        # a decision, even with only the actor blanked
        ("entscheidung", f"UPDATE kommunen_protokoll SET {PERSON_WEG} WHERE id = %s"),
        # a read that never named anyone
        ("anonym", f"UPDATE kommunen_protokoll SET {PERSON_WEG} WHERE id = %s"),
        # DELETE, always
        ("ansicht", "DELETE FROM kommunen_protokoll WHERE id = %s"),
        ("entscheidung", "DELETE FROM kommunen_protokoll WHERE id = %s"),
    ],
)
def test_trigger_weist_alles_andere_ab(alt_und_neu, art, sql, einschalten):
    row = alt_und_neu[art]
    vorher = _frisch(row)
    with pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"):
        _sql(sql, row.pk, einschalten=einschalten)
    assert _frisch(row) == vorher


def test_ohne_einstellung_auch_die_pseudonymisierung_abgewiesen(alt_und_neu):
    row = alt_und_neu["download"]
    with pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"):
        _sql(f"UPDATE kommunen_protokoll SET {PERSON_WEG} WHERE id = %s", row.pk, einschalten=False)
    assert _frisch(row)["akteur_id"] is not None


def test_von_hand_eingeschaltet_nicht_mehr_als_die_funktion(alt_und_neu):
    """The portal's database user may switch the setting on itself: then it can do what the
    function does (blank the actor of a read event), nothing more (the cases above)."""
    row = alt_und_neu["neu"]
    sql = f"UPDATE kommunen_protokoll SET {PERSON_WEG} WHERE id = %s"
    assert _sql(sql, row.pk, einschalten=True) == 1
    assert _frisch(row)["akteur_name"] == Protokoll.PSEUDONYM


def test_nach_der_funktion_ist_die_einstellung_wieder_aus(alt_und_neu):
    row = alt_und_neu["neu"]
    with (
        pytest.raises(DatabaseError, match="Protokoll ist unveränderlich"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT wv_protokoll_pseudonymisieren(now())")
        cursor.execute(f"UPDATE kommunen_protokoll SET {PERSON_WEG} WHERE id = %s", [row.pk])
    assert _frisch(row)["akteur_id"] is not None


def test_queryset_update_bleibt_abgewiesen(alt_und_neu):
    qs = Protokoll.objects.filter(pk=alt_und_neu["download"].pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        qs.update(akteur=None, akteur_name=Protokoll.PSEUDONYM)
    assert qs.get().akteur_id is not None


def test_orm_weg_fuer_sqlite_tut_dasselbe(alt_und_neu):
    """SQLite (the demo) has no trigger: there the service updates through the ORM. On
    PostgreSQL the same update passes the trigger once the setting is on: it changes nothing
    the function would not."""
    from kommunen.services.protokoll import _pseudonymisieren_orm

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(EINSCHALTEN)
        assert _pseudonymisieren_orm(services.lesen_stichtag()) == 2
    assert services.protokoll_pseudonymisieren() == 0
    pseudonym = Protokoll.objects.filter(akteur_name=Protokoll.PSEUDONYM)
    assert set(pseudonym.values_list("pk", flat=True)) == {
        alt_und_neu["ansicht"].pk,
        alt_und_neu["download"].pk,
    }


def test_teilindex_findet_die_benannten_lese_ereignisse(alt_und_neu):
    """What the function looks for is what the partial index holds (no scan of old rows)."""
    from kommunen.models.protokoll import LESEN_BENANNT

    benannt = set(Protokoll.objects.filter(LESEN_BENANNT).values_list("pk", flat=True))
    assert benannt == {alt_und_neu[a].pk for a in ("ansicht", "download", "neu")}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM kommunen_protokoll WHERE aktion IN ('download', 'ansicht') "
            "AND (akteur_id IS NOT NULL OR NOT (akteur_name IN ('', 'pseudonymisiert'))) "
            "AND zeitpunkt < now()"
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "protokoll_lesen_benannt" in plan


# --- the daily task ----------------------------------------------------------------------------


def test_aufgabe_zweimal_ohne_schaden_und_im_beat(settings, client, alt_und_neu):
    plan = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kommunen.tasks.protokoll_pseudonymisieren" in plan
    assert plan["kommunen.tasks.protokoll_pseudonymisieren"].hour == {3}  # daily, at night
    assert tasks.protokoll_pseudonymisieren.delay().get() == 2
    assert tasks.protokoll_pseudonymisieren.delay().get() == 0
    assert Protokoll.objects.filter(akteur_name=Protokoll.PSEUDONYM).count() == 2
    assert Aufgabenlauf.objects.filter(aufgabe="kommunen.tasks.protokoll_pseudonymisieren").exists()
    beat = client.get("/healthz").json()["beat"]
    assert "kommunen.tasks.protokoll_pseudonymisieren" in beat["zuletzt"]


# --- reads per Kommune instead of per person (Art. 75a BayPVG) ----------------------------------


@pytest.fixture
def pro_kommune(settings):
    settings.PROTOKOLL_LESEN_PRO_PERSON = False


def test_pro_kommune_speichert_keine_person(client, welt, geteilt, pro_kommune):
    projekt, ergebnis = geteilt["projekt"], geteilt["ergebnis"]
    dokument = dokument_anlegen(ergebnis, welt.user("muenchen", Rolle.HERAUSGABE))
    for rolle in (Rolle.MITARBEIT, Rolle.HERAUSGABE):
        client.force_login(welt.user("augsburg", rolle))
        assert client.get(_detail(projekt)).status_code == 200
        assert client.get(_detail(projekt)).status_code == 200
        download = client.get(reverse("wissen:download", args=[ergebnis.pk, dokument.pk]))
        assert download.status_code == 200
    # One view per Kommune, object and day; every download, each without the person.
    (ansicht,) = _ansichten()
    downloads = Protokoll.objects.filter(aktion=A.DOWNLOAD)
    assert downloads.count() == 2
    for row in [ansicht, *downloads]:
        assert row.akteur_id is None and row.akteur_name == Protokoll.PSEUDONYM
        assert row.akteur_kommune == welt.augsburg
    # Nothing left to pseudonymise, and decisions still name their person.
    assert services.protokoll_pseudonymisieren(stichtag=timezone.now()) == 0
    erteilt = Protokoll.objects.get(aktion=A.FREIGABE_ERTEILT, objekt_titel=projekt.titel)
    assert erteilt.akteur == welt.user("muenchen", Rolle.FREIGABE_ADMIN)


def test_pro_kommune_auf_protokollseite_und_im_export(client, welt, geteilt, pro_kommune):
    client.force_login(welt.user("augsburg"))
    client.get(_detail(geteilt["ergebnis"]))
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    html = client.get(PROTOKOLL).content.decode()
    assert "pseudonymisiert (Augsburg)" in html and "Art. 75a BayPVG" in html
    assert "augsburg-mitarbeit" not in html
    body = b"".join(client.get(EXPORT, {"aktion": "ansicht"}).streaming_content).decode()
    (zeile,) = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))[1:]
    assert zeile[1] == "Detailseite angesehen"
    assert (zeile[5], zeile[6]) == ("pseudonymisiert", "Augsburg")
    # Filtering by person finds the named rows, not the reads.
    html = client.get(PROTOKOLL, {"benutzer": "augsburg-mitarbeit"}).content.decode()
    assert "Keine Einträge für diese Auswahl." in html
    html = client.get(PROTOKOLL, {"benutzer": "muenchen-herausgabe"}).content.decode()
    assert "Freigabe beantragt" in html


# --- what the privacy notice says ----------------------------------------------------------------


@pytest.mark.django_db
def test_datenschutz_nennt_frist_und_pseudonymisierung(client, settings):
    html = client.get(reverse("datenschutz")).content.decode()
    assert "Name und Benutzerkonto bleiben 24 Monate gespeichert" in html
    assert "pseudonymisiert" in html and "Entscheidungen werden nicht pseudonymisiert" in html
    assert "Detailseite eines geteilten Projekts oder Ergebnisses" in html
    assert "Art. 75a BayPVG" not in html
    settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE = 1
    assert (
        "Name und Benutzerkonto bleiben 1 Monat gespeichert"
        in client.get(reverse("datenschutz")).content.decode()
    )
    settings.PROTOKOLL_LESEN_PRO_PERSON = False
    html = client.get(reverse("datenschutz")).content.decode()
    assert "nur je Kommune erfasst" in html and "Art. 75a BayPVG" in html
    assert "Name und Benutzerkonto bleiben" not in html


# --- the settings, read from the environment ----------------------------------------------------


def _einstellungen(**env) -> subprocess.CompletedProcess:
    umgebung = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_LESEN_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE, s.PROTOKOLL_LESEN_PRO_PERSON)",
        ],
        cwd=ROOT,
        env={**umgebung, **env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_einstellungen_aus_der_umgebung():
    assert _einstellungen().stdout.split() == ["24", "True"]
    lauf = _einstellungen(PROTOKOLL_LESEN_AUFBEWAHREN_MONATE="6", PROTOKOLL_LESEN_PRO_PERSON="0")
    assert lauf.stdout.split() == ["6", "False"]
    lauf = _einstellungen(PROTOKOLL_LESEN_AUFBEWAHREN_MONATE="0")
    assert lauf.returncode != 0 and "PROTOKOLL_LESEN_AUFBEWAHREN_MONATE" in lauf.stderr


def test_lese_ereignisse_sind_download_und_ansicht():
    assert set(Protokoll.LESEN) == {A.DOWNLOAD, A.ANSICHT}
    assert not {a for a in A.values if a not in Protokoll.LESEN} & {"download", "ansicht"}
