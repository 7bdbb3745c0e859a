"""Backup and restore drill: `sicherung` from real data, `wiederherstellen` into a fresh
PostgreSQL database and document store, and proof that every file and Protokoll row is back
and the Protokoll still refuses changes. Also the refusals: a non-empty target, a damaged
backup, a missing file, SQLite."""

import hashlib
import io
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from kommunen.models import Freigabevermerk, Protokoll, Rolle
from portal.sicherung import manifest as manifest_modul
from tests.dateien import docx, pdf, upload
from tests.dienste import manage
from tests.factories import dokument_anlegen, ergebnis_anlegen, freigeben, projekt_anlegen
from wissen import services as wissen_services
from wissen.models import Dokument

pytestmark = pytest.mark.django_db(transaction=True)


def _sha256(pfad: Path) -> str:
    return hashlib.sha256(pfad.read_bytes()).hexdigest()


def _verbindung(dbname: str, **kwargs) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=dbname,
        **kwargs,
    )


def _url(dbname: str) -> str:
    s = connection.settings_dict
    anmeldung = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        anmeldung += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{anmeldung}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


@pytest.fixture
def frische_db():
    """An empty PostgreSQL database of its own, dropped at the end."""
    name = f"wv_wiederherstellen_{uuid.uuid4().hex[:12]}"
    with _verbindung("postgres", autocommit=True) as c:
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with _verbindung("postgres", autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _manage(*args, db: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(db), "MEDIA_ROOT": str(media)}
    return manage(*args, env=env, timeout=120)


@pytest.fixture
def bestand(welt):
    """Results with real files uploaded through the service, a Verbund agreement, Freigaben:
    several Protokoll rows of several kinds."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Digitales Rathaus")
    studie = wissen_services.ergebnis_anlegen(
        by=her,
        titel="Studie Bürgerbeteiligung",
        zusammenfassung="Wie wir beteiligen",
        nutzungsrechte="eigene",
    )
    konzept = wissen_services.ergebnis_anlegen(
        by=her, titel="Konzept Datenstrategie", zusammenfassung="Daten", projekt=projekt
    )
    for ergebnis, name, inhalt, mime in (
        (studie, "studie.pdf", pdf("Beteiligung", "Seite zwei"), "application/pdf"),
        (studie, "anhang.docx", docx("Anhang mit Umlauten: äöü"), "application/octet-stream"),
        (konzept, "konzept.pdf", pdf("Datenstrategie"), "application/pdf"),
        # The same bytes at a second result: a second file name in the same folder.
        (konzept, "studie-kopie.pdf", pdf("Beteiligung", "Seite zwei"), "application/pdf"),
    ):
        wissen_services.dokument_hochladen(
            ergebnis=ergebnis, datei=upload(name, inhalt, mime), by=her
        )
    freigeben(welt, studie, an=welt.verbund)
    freigeben(welt, projekt, an=welt.augsburg)
    welt.verbund.vereinbarung_dokument.save("vereinbarung.pdf", ContentFile(pdf("Vereinbarung")))
    assert Dokument.objects.count() == 4
    assert Protokoll.objects.count() >= 8
    return welt


def _sicherung(ziel: Path) -> Path:
    call_command("sicherung", str(ziel), stdout=io.StringIO(), stderr=io.StringIO())
    [sicherung] = list(ziel.iterdir())
    return sicherung


def _zeilen(cursor, tabelle: str) -> list[tuple]:
    cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY id").format(sql.Identifier(tabelle)))
    return [tuple(z) for z in cursor.fetchall()]


def test_wiederherstellungsprobe(bestand, tmp_path, settings, frische_db):
    sicherung = _sicherung(tmp_path / "sicherungen")
    assert sicherung.name.startswith("wissensverbund-")
    original_dateien = {
        d.datei.name: _sha256(Path(settings.MEDIA_ROOT) / d.datei.name)
        for d in Dokument.objects.all()
    }
    original_dateien[bestand.verbund.vereinbarung_dokument.name] = _sha256(
        Path(bestand.verbund.vereinbarung_dokument.path)
    )
    assert len(original_dateien) == 5
    # What the service recorded at upload is the hash of the stored bytes.
    for d in Dokument.objects.all():
        assert original_dateien[d.datei.name] == d.sha256
    # The memos of the Freigaben' decisions are part of the record and of the backup.
    vermerke = Freigabevermerk.objects.exclude(datei="")
    assert vermerke.count() == 2
    for v in vermerke:
        original_dateien[v.datei.name] = _sha256(Path(settings.MEDIA_ROOT) / v.datei.name)
        assert original_dateien[v.datei.name] == v.sha256
    # Both sides read through the same client, so values compare as the same types.
    with _verbindung(connection.settings_dict["NAME"]) as alt, alt.cursor() as c:
        protokoll = _zeilen(c, "kommunen_protokoll")
        dokumente = _zeilen(c, "wissen_dokument")

    media = tmp_path / "media-wiederhergestellt"
    lauf = _manage("wiederherstellen", sicherung, db=frische_db, media=media)
    assert lauf.returncode == 0, lauf.stderr
    assert "Wiederhergestellt und geprüft" in lauf.stdout

    # Every file came back with its bytes.
    wiederhergestellt = {
        str(p.relative_to(media)): _sha256(p) for p in media.rglob("*") if p.is_file()
    }
    assert wiederhergestellt == original_dateien
    with _verbindung(frische_db) as neu, neu.cursor() as c:
        # Every Protokoll row and every document row, all columns.
        assert _zeilen(c, "kommunen_protokoll") == protokoll
        assert _zeilen(c, "wissen_dokument") == dokumente
        # The append-only trigger came back and works.
        erste = protokoll[0][0]
        for befehl in (
            "UPDATE kommunen_protokoll SET objekt_titel = 'geändert' WHERE id = %s",
            "DELETE FROM kommunen_protokoll WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="unveränderlich"):
                c.execute(befehl, [erste])
            neu.rollback()
        assert _zeilen(c, "kommunen_protokoll") == protokoll


def test_nicht_leere_datenbank_wird_abgelehnt(bestand, tmp_path):
    sicherung = _sicherung(tmp_path / "sicherungen")
    vorher = Protokoll.objects.count()
    with pytest.raises(CommandError, match="Die Zieldatenbank .* ist nicht leer"):
        call_command("wiederherstellen", str(sicherung))
    assert Protokoll.objects.count() == vorher


@pytest.mark.parametrize("was", ["dokument", "dump"])
def test_beschaedigte_sicherung_wird_erkannt(bestand, tmp_path, frische_db, was):
    sicherung = _sicherung(tmp_path / "sicherungen")
    if was == "dump":
        datei = sicherung / "datenbank.dump"
    else:
        datei = next(
            p for p in (sicherung / "dateien").rglob("*") if p.suffix == "" and p.is_file()
        )
    roh = bytearray(datei.read_bytes())
    roh[len(roh) // 2] ^= 0x01  # one bit of one byte
    datei.write_bytes(bytes(roh))

    lauf = _manage("wiederherstellen", sicherung, db=frische_db, media=tmp_path / "neu")
    assert lauf.returncode == 1
    assert "ist beschädigt oder unvollständig" in lauf.stderr
    assert f"{datei.relative_to(sicherung)}: SHA-256 weicht vom Manifest ab" in lauf.stderr
    assert not (tmp_path / "neu").exists()
    with _verbindung(frische_db) as neu:
        tabellen = neu.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tabellen == 0


def test_fehlende_datei_wird_gemeldet_und_nichts_angelegt(bestand, tmp_path, settings):
    dok = Dokument.objects.order_by("pk").first()
    (Path(settings.MEDIA_ROOT) / dok.datei.name).unlink()
    ziel = tmp_path / "sicherungen"
    with pytest.raises(CommandError, match="fehlen in der Dokumentenablage") as fehler:
        call_command("sicherung", str(ziel))
    assert dok.datei.name in str(fehler.value)
    assert list(ziel.iterdir()) == []


def test_abbruch_hinterlaesst_keine_sicherung(bestand, tmp_path, monkeypatch):
    def abbruch(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("portal.sicherung.sichern.schreiben", abbruch)
    ziel = tmp_path / "sicherungen"
    with pytest.raises(KeyboardInterrupt):
        call_command("sicherung", str(ziel))
    assert list(ziel.iterdir()) == []
    # A directory without a manifest (what a crash leaves) is never taken for a backup.
    halb = ziel / ".wissensverbund-20261204T000000Z-abc-unvollstaendig"
    halb.mkdir()
    with pytest.raises(CommandError, match="keine vollständige Sicherung"):
        call_command("wiederherstellen", "--nur-pruefen", str(halb))


def test_aufbewahrung_und_pruefung(welt, tmp_path):
    ziel = tmp_path / "sicherungen"
    pfade = []
    for _ in range(3):
        call_command("sicherung", str(ziel), "--behalten", "2", stdout=io.StringIO())
        pfade.append(max(ziel.iterdir(), key=lambda p: p.stat().st_mtime_ns))
    assert sorted(ziel.iterdir()) == sorted(pfade[1:])
    out = io.StringIO()
    call_command("wiederherstellen", "--nur-pruefen", str(pfade[-1]), stdout=out)
    assert "Sicherung unversehrt" in out.getvalue()


def test_abweichende_pruefsumme_wird_gemeldet(welt, tmp_path):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    # The factory records a hash that is not the one of the bytes it stores.
    dok = dokument_anlegen(ergebnis_anlegen(welt.muenchen, her), her, inhalt=b"%PDF-1.4 x")
    fehler = io.StringIO()
    call_command("sicherung", str(tmp_path), stdout=io.StringIO(), stderr=fehler)
    assert f"Datei weicht von der Datenbank ab: {dok.datei.name}" in fehler.getvalue()


def test_sqlite_wird_mit_hinweis_abgelehnt(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    lauf = manage("sicherung", tmp_path / "ziel", env=env, timeout=120)
    assert lauf.returncode == 1
    assert "nur für PostgreSQL" in lauf.stderr
    assert not (tmp_path / "ziel").exists()


def test_manifest_namen_verlassen_die_ablage_nicht():
    for name in ("../etc/passwd", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(manifest_modul.SicherungsFehler):
            manifest_modul.sicherer_name(name)
    assert str(manifest_modul.sicherer_name("dokumente/1/ab/abc")) == "dokumente/1/ab/abc"
