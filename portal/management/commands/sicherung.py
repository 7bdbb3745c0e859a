"""`manage.py sicherung <zielverzeichnis>`: a consistent backup of database and documents."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.sicherung import SicherungsFehler, sicherung_anlegen


class Command(BaseCommand):
    help = (
        "Sichert die PostgreSQL-Datenbank (pg_dump) und die Dokumentenablage aus einem "
        "gemeinsamen Schnappschuss in ein neues Verzeichnis wissensverbund-<Zeit> mit "
        "Manifest (SHA-256 jeder Datei)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "zielverzeichnis",
            type=Path,
            help="Verzeichnis, in dem die Sicherung als neues Unterverzeichnis angelegt wird",
        )
        parser.add_argument(
            "--behalten",
            type=int,
            metavar="N",
            help="danach nur die N neuesten vollständigen Sicherungen im Zielverzeichnis behalten",
        )

    def handle(self, *args, zielverzeichnis: Path, behalten: int | None = None, **options):
        try:
            sicherung = sicherung_anlegen(zielverzeichnis, behalten=behalten)
        except SicherungsFehler as exc:
            raise CommandError(str(exc)) from exc
        for abweichung in sicherung.abweichend:
            self.stderr.write(
                self.style.WARNING(f"Warnung: Datei weicht von der Datenbank ab: {abweichung}")
            )
        for pfad in sicherung.entfernt:
            self.stdout.write(f"Alte Sicherung entfernt: {pfad}")
        anzahl = sicherung.manifest["anzahl"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung angelegt: {sicherung.pfad} ({anzahl['protokoll']} Protokollzeilen, "
                f"{anzahl['dokumente']} Dokumente, {anzahl['dateien']} Dateien)."
            )
        )
