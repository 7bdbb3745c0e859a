"""Writing a backup: database and document store from one snapshot, into a directory that
appears under its final name only when it is complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone

from wissen.models import Dokument

from . import dateien, datenbank
from .manifest import (
    DUMP,
    FORMAT,
    MANIFEST,
    PRAEFIX,
    SicherungsFehler,
    aufzaehlen,
    schreiben,
    sha256_datei,
    verzeichnis_sync,
)


@dataclass
class Sicherung:
    pfad: Path
    manifest: dict
    abweichend: list[str] = field(default_factory=list)
    entfernt: list[Path] = field(default_factory=list)


def sicherung_anlegen(ziel: Path, *, behalten: int | None = None) -> Sicherung:
    """Back up the configured PostgreSQL database and the files it refers to into a new
    directory `ziel/wissensverbund-<UTC time>`; with `behalten`, then delete all but the
    newest `behalten` complete backups in `ziel`.

    Raises SicherungsFehler (and leaves nothing behind) when a referred file is missing."""
    datenbank.postgresql_pruefen()
    if behalten is not None and behalten < 1:
        raise SicherungsFehler("--behalten muss mindestens 1 sein.")
    ziel = ziel.resolve()
    ziel.mkdir(parents=True, exist_ok=True)
    jetzt = timezone.now()
    endgueltig = ziel / f"{PRAEFIX}{jetzt:%Y%m%dT%H%M%SZ}"
    nr = 0
    while endgueltig.exists():  # two backups within one second: -1, -2 sort after the first
        nr += 1
        endgueltig = ziel / f"{PRAEFIX}{jetzt:%Y%m%dT%H%M%SZ}-{nr}"
    # A leading dot and no manifest: never taken for a backup, not even by `ls`.
    arbeit = Path(
        tempfile.mkdtemp(prefix=f".{endgueltig.name}-", suffix="-unvollstaendig", dir=ziel)
    )
    try:
        manifest, abweichend = _schreiben(arbeit, jetzt)
        _alles_sync(arbeit)
        os.rename(arbeit, endgueltig)
        verzeichnis_sync(ziel)
    except BaseException:
        shutil.rmtree(arbeit, ignore_errors=True)
        raise
    entfernt = _aufraeumen(ziel, behalten) if behalten else []
    return Sicherung(pfad=endgueltig, manifest=manifest, abweichend=abweichend, entfernt=entfernt)


def _schreiben(arbeit: Path, jetzt) -> tuple[dict, list[str]]:
    with datenbank.schnappschuss() as snapshot:
        # All of this reads the snapshot that pg_dump imports.
        verweise = dateien.verweise_lesen()
        migrationen = datenbank.migrationen()
        protokoll = datenbank.protokoll_stand()
        dokumente = Dokument.objects.count()
        datenbank.dump_schreiben(arbeit / DUMP, snapshot=snapshot)
        server = datenbank.server_version()
    tabelle, fehlend, abweichend = dateien.sichern(verweise, arbeit)
    if fehlend:
        raise SicherungsFehler(
            f"{len(fehlend)} Datei(en), auf die die Datenbank verweist, fehlen in der "
            f"Dokumentenablage (MEDIA_ROOT oder S3-Bucket):\n{aufzaehlen(fehlend)}\n"
            "Es wurde keine Sicherung angelegt. Bitte die Ablage prüfen (Volume eingehängt? "
            "Dateien verloren?); wurde ein Dokument gerade gelöscht, die Sicherung erneut starten."
        )
    manifest = {
        "format": FORMAT,
        "erstellt_am": jetzt.isoformat(),
        "datenbank": {
            "datei": DUMP,
            "groesse": (arbeit / DUMP).stat().st_size,
            "sha256": sha256_datei(arbeit / DUMP),
            "name": connection.settings_dict["NAME"],
            "server_version": server,
        },
        "migrationen": migrationen,
        "anzahl": {
            "protokoll": protokoll["anzahl"],
            "dokumente": dokumente,
            "dateien": len(tabelle),
        },
        "protokoll": protokoll,
        "dateien": tabelle,
        "verweise": verweise,
    }
    schreiben(arbeit, manifest)
    return manifest, abweichend


def _alles_sync(wurzel: Path) -> None:
    for ordner, _unterordner, _dateien in os.walk(wurzel):
        verzeichnis_sync(Path(ordner))


def vollstaendige(ziel: Path) -> list[Path]:
    """The complete backups in `ziel`, oldest first (names sort by time)."""
    return sorted(
        (
            p
            for p in ziel.iterdir()
            if p.is_dir() and p.name.startswith(PRAEFIX) and (p / MANIFEST).is_file()
        ),
        key=_zeit_und_nummer,
    )


def _zeit_und_nummer(pfad: Path) -> tuple[str, int]:
    zeit, _, nr = pfad.name.removeprefix(PRAEFIX).partition("-")
    return zeit, int(nr) if nr.isdigit() else 0


def _aufraeumen(ziel: Path, behalten: int) -> list[Path]:
    alt = vollstaendige(ziel)[:-behalten]
    for pfad in alt:
        # The manifest first: a deletion cut short leaves an incomplete directory, never a
        # backup that lacks files.
        (pfad / MANIFEST).unlink()
        shutil.rmtree(pfad)
    return alt
