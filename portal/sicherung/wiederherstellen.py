"""Restoring a backup into the configured (empty) database and document store, and proving
that everything came back: every file's SHA-256, every Protokoll row, the append-only trigger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from wissen.models import Dokument

from . import dateien, datenbank
from .manifest import DUMP, SicherungsFehler, aufzaehlen, lesen, pruefen


@dataclass
class Wiederherstellung:
    manifest: dict
    offene_migrationen: list[tuple[str, str]]


def sicherung_pruefen(quelle: Path) -> dict:
    """The manifest of a backup whose dump and files all match it; else SicherungsFehler."""
    manifest = lesen(quelle)
    fehler = pruefen(quelle, manifest)
    if fehler:
        raise SicherungsFehler(
            f"Die Sicherung {quelle} ist beschädigt oder unvollständig; es wurde nichts "
            f"wiederhergestellt:\n{aufzaehlen(fehler)}"
        )
    return manifest


def sicherung_wiederherstellen(quelle: Path, *, ueberschreiben: bool = False) -> Wiederherstellung:
    """Check the backup, restore it, then check the result against its manifest.

    Refuses a database that already holds tables and files that exist with other content,
    unless `ueberschreiben` (then pg_restore drops what it restores first)."""
    datenbank.postgresql_pruefen()
    manifest = sicherung_pruefen(quelle)
    bekannt = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unbekannt = [m for m in manifest["migrationen"] if tuple(m) not in bekannt]
    if unbekannt:
        raise SicherungsFehler(
            "Die Sicherung stammt aus einer neueren Version des Portals; diesem Code fehlen "
            f"{len(unbekannt)} Migration(en), z. B. {'.'.join(unbekannt[0])}. Bitte mit der "
            "Version wiederherstellen, die die Sicherung geschrieben hat."
        )
    if not ueberschreiben:
        _ziel_leer(manifest)
    datenbank.dump_einspielen(quelle / DUMP, ueberschreiben=ueberschreiben)
    dateien.einspielen(manifest, quelle)
    fehler = _nachpruefen(manifest)
    if fehler:
        raise SicherungsFehler(
            "Die Wiederherstellung ist nicht vollständig; bitte nicht in Betrieb nehmen:\n"
            + aufzaehlen(fehler)
        )
    angewendet = {tuple(m) for m in manifest["migrationen"]}
    return Wiederherstellung(manifest=manifest, offene_migrationen=sorted(bekannt - angewendet))


def _ziel_leer(manifest: dict) -> None:
    tabellen = datenbank.tabellen_zahl()
    if tabellen:
        raise SicherungsFehler(
            f"Die Zieldatenbank {connection.settings_dict['NAME']!r} ist nicht leer "
            f"({tabellen} Tabellen, Sichten oder Sequenzen). Bitte in eine frisch angelegte, "
            "leere Datenbank wiederherstellen (createdb, ohne migrate) oder ausdrücklich "
            "--ueberschreiben angeben."
        )
    funde = dateien.konflikte(manifest)
    if funde:
        raise SicherungsFehler(
            "In der Dokumentenablage (MEDIA_ROOT oder S3-Bucket) liegen schon andere Dateien "
            f"unter den Namen der Sicherung:\n{aufzaehlen(funde)}\nBitte eine leere Ablage "
            "verwenden oder ausdrücklich --ueberschreiben angeben."
        )


def _nachpruefen(manifest: dict) -> list[str]:
    fehler = dateien.nachpruefen(manifest)
    if datenbank.migrationen() != manifest["migrationen"]:
        fehler.append("Die angewendeten Migrationen weichen von der Sicherung ab")
    stand = datenbank.protokoll_stand()
    if stand["anzahl"] != manifest["protokoll"]["anzahl"]:
        fehler.append(
            f"Protokoll: {stand['anzahl']} Zeilen statt {manifest['protokoll']['anzahl']}"
        )
    elif stand["sha256"] != manifest["protokoll"]["sha256"]:
        fehler.append("Protokoll: der Inhalt der Zeilen weicht von der Sicherung ab")
    if not datenbank.nur_anhaengen_aktiv():
        fehler.append(
            f"Protokoll: der Trigger {datenbank.TRIGGER} oder die Funktion "
            f"{datenbank.FUNKTION} fehlt; das Protokoll wäre nicht mehr unveränderlich"
        )
    dokumente = Dokument.objects.count()
    if dokumente != manifest["anzahl"]["dokumente"]:
        fehler.append(f"Dokumente: {dokumente} statt {manifest['anzahl']['dokumente']}")
    fehler += dateien.verweise_vergleichen(manifest)
    return fehler
