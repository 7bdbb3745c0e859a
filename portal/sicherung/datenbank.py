"""PostgreSQL for backup and restore: a shared snapshot, pg_dump and pg_restore, and the facts
(migrations, Protokoll rows, the append-only trigger) that a restore must bring back."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from kommunen.models import Protokoll

from .manifest import SicherungsFehler

# The trigger and the one function it admits (kommunen migrations 0002 and 0011).
TRIGGER = "kommunen_protokoll_nur_anhaengen"
FUNKTION = "wv_protokoll_pseudonymisieren"
NUR_POSTGRESQL = (
    "Sicherung und Wiederherstellung gibt es nur für PostgreSQL (DATABASE_URL=postgres://…). "
    "Die eingebettete SQLite-Demo sichern Sie, indem Sie das Portal anhalten und die Datei "
    "var/db.sqlite3 und den Ordner MEDIA_ROOT (Standard var/media) kopieren."
)


def postgresql_pruefen(alias: str = DEFAULT_DB_ALIAS) -> None:
    if connections[alias].vendor != "postgresql":
        raise SicherungsFehler(NUR_POSTGRESQL)


def _programm(name: str) -> str:
    pfad = shutil.which(name)
    if pfad is None:
        raise SicherungsFehler(
            f"{name} wurde nicht gefunden. Bitte den PostgreSQL-Client installieren "
            "(Debian: postgresql-client, in derselben Hauptversion wie der Server)."
        )
    return pfad


def _umgebung(alias: str) -> dict[str, str]:
    """libpq variables for the configured database: the password never appears in `ps`."""
    s = connections[alias].settings_dict
    optionen = s.get("OPTIONS") or {}
    werte = {
        "PGDATABASE": s.get("NAME"),
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGSERVICE": optionen.get("service"),
        "PGPASSFILE": optionen.get("passfile"),
        "PGSSLMODE": optionen.get("sslmode"),
        "PGSSLROOTCERT": optionen.get("sslrootcert"),
        "PGSSLCERT": optionen.get("sslcert"),
        "PGSSLKEY": optionen.get("sslkey"),
    }
    umgebung = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    umgebung.update({k: str(v) for k, v in werte.items() if v not in (None, "")})
    return umgebung


def _ausfuehren(befehl: list[str], alias: str, was: str) -> None:
    lauf = subprocess.run(  # noqa: S603 - fixed programs, arguments from settings and us
        befehl,
        env=_umgebung(alias),
        capture_output=True,
        text=True,
        check=False,
    )
    if lauf.returncode != 0:
        raise SicherungsFehler(
            f"{was} ist fehlgeschlagen (Exit-Code {lauf.returncode}):\n{lauf.stderr.strip()}"
        )


@contextlib.contextmanager
def schnappschuss(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """A read-only REPEATABLE READ transaction on Django's connection whose snapshot is
    exported: pg_dump imports it (`--snapshot`), and every ORM read inside the block sees
    the same state, so the list of files and the dump agree."""
    verbindung = connections[alias]
    if verbindung.in_atomic_block:
        raise SicherungsFehler("Die Sicherung läuft nicht innerhalb einer offenen Transaktion.")
    with transaction.atomic(using=alias), verbindung.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


def dump_schreiben(ziel: Path, *, snapshot: str, alias: str = DEFAULT_DB_ALIAS) -> None:
    """pg_dump in the custom format, from the exported snapshot."""
    _ausfuehren(
        [
            _programm("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--snapshot={snapshot}",
            f"--file={ziel}",
        ],
        alias,
        "pg_dump",
    )
    with open(ziel, "rb") as f:
        os.fsync(f.fileno())


def dump_einspielen(quelle: Path, *, ueberschreiben: bool, alias: str = DEFAULT_DB_ALIAS) -> None:
    """pg_restore in one transaction: a failure leaves the database as it was.

    Objects belong to the configured user (`--no-owner`); grants and revocations are kept
    (the pseudonymisation function is revoked from PUBLIC)."""
    befehl = [
        _programm("pg_restore"),
        "--no-password",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connections[alias].settings_dict['NAME']}",
    ]
    if ueberschreiben:
        befehl += ["--clean", "--if-exists"]
    connections[alias].close()
    _ausfuehren([*befehl, str(quelle)], alias, "pg_restore")


def server_version(alias: str = DEFAULT_DB_ALIAS) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def tabellen_zahl(alias: str = DEFAULT_DB_ALIAS) -> int:
    """Tables, views and sequences outside the system schemas: 0 means an empty database."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%'
            """
        )
        return cursor.fetchone()[0]


def migrationen(alias: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    """The applied migrations as django_migrations records them, sorted."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


def protokoll_stand(alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Number of Protokoll rows and a SHA-256 over all of them (every column, by id),
    streamed through a server-side cursor so that years of rows never sit in memory."""
    tabelle = connections[alias].ops.quote_name(Protokoll._meta.db_table)
    h = hashlib.sha256()
    anzahl = 0
    with connections[alias].chunked_cursor() as cursor:
        cursor.execute(f"SELECT to_jsonb(p)::text FROM {tabelle} p ORDER BY p.id")  # noqa: S608
        while zeilen := cursor.fetchmany(2000):
            for (zeile,) in zeilen:
                h.update(zeile.encode())
                h.update(b"\n")
                anzahl += 1
    return {"anzahl": anzahl, "sha256": h.hexdigest()}


def nur_anhaengen_aktiv(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """The append-only trigger exists, is enabled, and the pseudonymisation function with it."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_trigger t
                 WHERE t.tgname = %s AND t.tgrelid = %s::regclass AND t.tgenabled = 'O'
            ) AND EXISTS (SELECT 1 FROM pg_proc WHERE proname = %s)
            """,
            [TRIGGER, Protokoll._meta.db_table, FUNKTION],
        )
        return cursor.fetchone()[0]
