"""The document store in a backup: the files the database refers to, copied and checked.

Every file field of every model counts (a Dokument's file, a Verbund's agreement), so a
model that gains a file later is backed up without a change here. Files nobody refers to
(left by an upload that failed) are not part of a backup. Files are read and written through
each field's storage, so the store may be the file system or an S3 bucket.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import models

from .manifest import (
    DATEIEN,
    SicherungsFehler,
    kopieren,
    sha256_strom,
    sicherer_name,
)

# File fields whose model also records the file's SHA-256: the backup keeps that record and
# compares it with the file, the restore checks that it came back.
PRUEFSUMMEN = {
    "wissen.dokument.datei": "sha256",
    "wissen.dokumentfassung.datei": "sha256",
    "kommunen.freigabevermerk.datei": "sha256",
}


def _felder() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, feld)
        for model in apps.get_models()
        for feld in model._meta.concrete_fields
        if isinstance(feld, models.FileField)
    ]


def _schluessel(model, feld) -> str:
    return f"{model._meta.label_lower}.{feld.name}"


def _ablage(schluessel: str):
    app_label, model_name, feld = schluessel.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(feld).storage


def _lokal(speicher, name: str) -> Path | None:
    """The file's path when the store is the file system; None for an object store."""
    try:
        return Path(speicher.path(name))
    except NotImplementedError:
        return None


def _gespeichert_sha256(speicher, name: str) -> str | None:
    """The SHA-256 of a stored file, or None when there is no file under that name."""
    try:
        with speicher.open(name, "rb") as f:
            return sha256_strom(f)
    except (FileNotFoundError, IsADirectoryError):
        return None


def verweise_lesen() -> list[dict]:
    """Every stored file name the database refers to, with the row and the recorded hash.

    Called inside the backup's snapshot, so the list matches the dump."""
    verweise = []
    for model, feld in _felder():
        schluessel = _schluessel(model, feld)
        hash_feld = PRUEFSUMMEN.get(schluessel)
        spalten = ["pk", feld.attname] + ([hash_feld] if hash_feld else [])
        zeilen = (
            model._base_manager.exclude(**{f"{feld.attname}__isnull": True})
            .exclude(**{feld.attname: ""})
            .order_by("pk")
            .values_list(*spalten)
        )
        for pk, name, *pruefsumme in zeilen.iterator(chunk_size=2000):
            verweise.append(
                {
                    "feld": schluessel,
                    "pk": pk,
                    "name": name,
                    "sha256_datenbank": pruefsumme[0] if pruefsumme else None,
                }
            )
    return verweise


def sichern(verweise: list[dict], ziel: Path) -> tuple[dict, list[str], list[str]]:
    """Copy every referred file into `ziel/dateien/`, hashing it on the way.

    Returns the manifest's file table (name -> size, SHA-256, field), the files missing from
    the store and the files whose content differs from the hash their row records."""
    dateien: dict[str, dict] = {}
    fehlend, abweichend = [], []
    for verweis in verweise:
        name = verweis["name"]
        if name not in dateien and name not in fehlend:
            kopie = ziel / DATEIEN / sicherer_name(name)
            try:
                with _ablage(verweis["feld"]).open(name, "rb") as quelle:
                    groesse, sha256 = kopieren(quelle, kopie)
            except (FileNotFoundError, IsADirectoryError):
                fehlend.append(name)
                continue
            dateien[name] = {"groesse": groesse, "sha256": sha256, "feld": verweis["feld"]}
        eintrag = dateien.get(name)
        erwartet = verweis["sha256_datenbank"]
        if eintrag and erwartet is not None and erwartet != eintrag["sha256"]:
            abweichend.append(
                f"{name} ({verweis['feld']} {verweis['pk']}): Inhalt hat SHA-256 "
                f"{eintrag['sha256']}, die Datenbank verzeichnet {erwartet}"
            )
    return dateien, fehlend, abweichend


def _anzeige(speicher, name: str) -> str:
    pfad = _lokal(speicher, name)
    return str(pfad) if pfad is not None else name


def konflikte(manifest: dict) -> list[str]:
    """Files of the backup that exist in the store with other content (before restoring)."""
    funde = []
    for name, eintrag in sorted(manifest["dateien"].items()):
        speicher = _ablage(eintrag["feld"])
        sicherer_name(name)
        if speicher.exists(name) and _gespeichert_sha256(speicher, name) != eintrag["sha256"]:
            funde.append(f"{_anzeige(speicher, name)}: existiert bereits mit anderem Inhalt")
    return funde


def einspielen(manifest: dict, quelle: Path) -> None:
    """Write every file of the backup into its store; each appears complete or not at all."""
    for name, eintrag in sorted(manifest["dateien"].items()):
        speicher = _ablage(eintrag["feld"])
        kopie = quelle / DATEIEN / sicherer_name(name)
        if _gespeichert_sha256(speicher, name) == eintrag["sha256"]:
            continue
        ziel = _lokal(speicher, name)
        if ziel is not None:
            _in_ordner_einspielen(kopie, ziel)
        else:
            _in_objektspeicher_einspielen(speicher, name, kopie)


def _in_ordner_einspielen(kopie: Path, ziel: Path) -> None:
    # Written beside the target and renamed: a crash never leaves half a file under its name.
    modus = settings.FILE_UPLOAD_PERMISSIONS
    ziel.parent.mkdir(parents=True, exist_ok=True)
    zwischen = ziel.with_name(f".{ziel.name}.wiederherstellen")
    kopieren(kopie, zwischen)
    if modus is not None:
        os.chmod(zwischen, modus)
    os.replace(zwischen, ziel)


def _in_objektspeicher_einspielen(speicher, name: str, kopie: Path) -> None:
    # An object store writes an object whole or not at all. Its storage would give a new name
    # to a name already taken (as for uploads), so what the restore replaces goes first.
    speicher.delete(name)
    with open(kopie, "rb") as f:
        gespeichert = speicher.save(name, File(f, name=name))
    if gespeichert != name:
        raise SicherungsFehler(
            f"{name}: die Ablage hat die Datei unter {gespeichert} gespeichert; bitte in eine "
            "leere Ablage wiederherstellen."
        )


def nachpruefen(manifest: dict) -> list[str]:
    """Every restored file, read back from the store, against the manifest's SHA-256."""
    fehler = []
    for name, eintrag in sorted(manifest["dateien"].items()):
        speicher = _ablage(eintrag["feld"])
        sha256 = _gespeichert_sha256(speicher, name)
        if sha256 is None:
            fehler.append(f"{_anzeige(speicher, name)}: fehlt nach der Wiederherstellung")
        elif sha256 != eintrag["sha256"]:
            fehler.append(
                f"{_anzeige(speicher, name)}: SHA-256 weicht nach der Wiederherstellung ab"
            )
    return fehler


def verweise_vergleichen(manifest: dict) -> list[str]:
    """The restored database refers to the same files, with the same recorded hashes."""
    try:
        jetzt = {(v["feld"], v["pk"]): v for v in verweise_lesen()}
    except LookupError as exc:
        raise SicherungsFehler(f"Ein Modell der Sicherung fehlt im Code: {exc}") from exc
    damals = {(v["feld"], v["pk"]): v for v in manifest["verweise"]}
    fehler = [
        f"{feld} {pk}: fehlt in der wiederhergestellten Datenbank"
        for feld, pk in sorted(damals.keys() - jetzt.keys())
    ]
    fehler += [
        f"{feld} {pk}: in der Datenbank, aber nicht in der Sicherung"
        for feld, pk in sorted(jetzt.keys() - damals.keys())
    ]
    fehler += [
        f"{feld} {pk}: Dateiname oder Prüfsumme weicht ab"
        for (feld, pk) in sorted(damals.keys() & jetzt.keys())
        if damals[(feld, pk)] != jetzt[(feld, pk)]
    ]
    return fehler
