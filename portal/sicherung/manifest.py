"""The backup's manifest: what a complete backup holds, and how its files are hashed and checked.

A backup directory holds `manifest.json`, the database dump and the document files under
`dateien/`. The manifest is written last, into a temporary directory that is renamed only
when everything is on disk; a directory without it is never a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath
from typing import IO

FORMAT = "wissensverbund-sicherung/1"
MANIFEST = "manifest.json"
DUMP = "datenbank.dump"
DATEIEN = "dateien"
PRAEFIX = "wissensverbund-"
BLOCK = 1024 * 1024


class SicherungsFehler(Exception):
    """A backup or restore that must stop; the message is German and says what to do."""


def sha256_datei(pfad: Path) -> str:
    with open(pfad, "rb") as f:
        return sha256_strom(f)


def sha256_strom(rein: IO[bytes]) -> str:
    h = hashlib.sha256()
    while block := rein.read(BLOCK):
        h.update(block)
    return h.hexdigest()


def kopieren(quelle: Path | IO[bytes], ziel: Path) -> tuple[int, str]:
    """Copy a file (a path, or a file open for reading), hashing what was read, and flush it
    to disk. Returns (size, sha256)."""
    if isinstance(quelle, Path):
        with open(quelle, "rb") as rein:
            return kopieren(rein, ziel)
    h = hashlib.sha256()
    groesse = 0
    ziel.parent.mkdir(parents=True, exist_ok=True)
    with open(ziel, "wb") as raus:
        while block := quelle.read(BLOCK):
            h.update(block)
            groesse += len(block)
            raus.write(block)
        raus.flush()
        os.fsync(raus.fileno())
    return groesse, h.hexdigest()


def verzeichnis_sync(pfad: Path) -> None:
    """fsync a directory, so that entries created or renamed in it survive a crash."""
    fd = os.open(pfad, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sicherer_name(name: str) -> PurePosixPath:
    """A stored file's name as the manifest gives it, refused if it could leave its folder."""
    pfad = PurePosixPath(name)
    if not name or pfad.is_absolute() or ".." in pfad.parts or "\\" in name:
        raise SicherungsFehler(f"Ungültiger Dateiname im Manifest: {name!r}.")
    return pfad


def schreiben(verzeichnis: Path, manifest: dict) -> None:
    pfad = verzeichnis / MANIFEST
    with open(pfad, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


def lesen(verzeichnis: Path) -> dict:
    """The manifest of a complete backup, or a SicherungsFehler saying why it is none."""
    if not verzeichnis.is_dir():
        raise SicherungsFehler(f"Das Sicherungsverzeichnis {verzeichnis} gibt es nicht.")
    pfad = verzeichnis / MANIFEST
    if verzeichnis.name.startswith(".") or not pfad.is_file():
        raise SicherungsFehler(
            f"{verzeichnis} ist keine vollständige Sicherung (kein {MANIFEST}). "
            "Unvollständige Sicherungen (Verzeichnisse, die mit einem Punkt beginnen) lassen "
            "sich nicht wiederherstellen."
        )
    try:
        manifest = json.loads(pfad.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SicherungsFehler(f"{pfad} ist nicht lesbar: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SicherungsFehler(
            f"{pfad} hat nicht das erwartete Format {FORMAT!r} "
            f"(gefunden: {manifest.get('format') if isinstance(manifest, dict) else None!r})."
        )
    return manifest


def pruefen(verzeichnis: Path, manifest: dict) -> list[str]:
    """Check the dump and every file of a backup against the manifest; German findings."""
    fehler = []
    erwartet = [(DUMP, manifest["datenbank"]["groesse"], manifest["datenbank"]["sha256"])]
    erwartet += [
        (f"{DATEIEN}/{sicherer_name(name)}", eintrag["groesse"], eintrag["sha256"])
        for name, eintrag in sorted(manifest["dateien"].items())
    ]
    for relativ, groesse, sha256 in erwartet:
        pfad = verzeichnis / relativ
        if not pfad.is_file():
            fehler.append(f"{relativ}: fehlt in der Sicherung")
        elif pfad.stat().st_size != groesse:
            fehler.append(
                f"{relativ}: Größe {pfad.stat().st_size} statt {groesse} Bytes (beschädigt)"
            )
        elif sha256_datei(pfad) != sha256:
            fehler.append(f"{relativ}: SHA-256 weicht vom Manifest ab (beschädigt)")
    return fehler


def aufzaehlen(fehler: list[str], *, hoechstens: int = 20) -> str:
    """A finding per line, the first `hoechstens` of them, and how many more there are."""
    zeilen = [f"  - {f}" for f in fehler[:hoechstens]]
    if len(fehler) > hoechstens:
        zeilen.append(f"  … und {len(fehler) - hoechstens} weitere")
    return "\n".join(zeilen)
