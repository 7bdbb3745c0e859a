"""`manage.py wiederherstellen <sicherungsverzeichnis>`: a backup into an empty database and
document store, checked file by file and row by row afterwards."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.sicherung import SicherungsFehler, sicherung_pruefen, sicherung_wiederherstellen


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung in die konfigurierte, leere Datenbank (DATABASE_URL) und "
        "Dokumentenablage (MEDIA_ROOT oder S3-Bucket) wieder her und prüft danach jede "
        "Datei (SHA-256), das Protokoll und seinen Schutz gegen Änderungen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "sicherungsverzeichnis", type=Path, help="ein Verzeichnis wissensverbund-<Zeit>"
        )
        parser.add_argument(
            "--nur-pruefen",
            action="store_true",
            help="nur die Sicherung gegen ihr Manifest prüfen, nichts wiederherstellen",
        )
        parser.add_argument(
            "--ueberschreiben",
            action="store_true",
            help=(
                "auch in eine nicht leere Datenbank und Ablage wiederherstellen; was die "
                "Sicherung enthält, wird dort zuerst gelöscht"
            ),
        )

    def handle(self, *args, sicherungsverzeichnis: Path, **options):
        try:
            if options["nur_pruefen"]:
                manifest = sicherung_pruefen(sicherungsverzeichnis)
            else:
                ergebnis = sicherung_wiederherstellen(
                    sicherungsverzeichnis, ueberschreiben=options["ueberschreiben"]
                )
                manifest = ergebnis.manifest
        except SicherungsFehler as exc:
            raise CommandError(str(exc)) from exc
        anzahl = manifest["anzahl"]
        umfang = (
            f"{anzahl['protokoll']} Protokollzeilen, {anzahl['dokumente']} Dokumente, "
            f"{anzahl['dateien']} Dateien, Stand {manifest['erstellt_am']}"
        )
        if options["nur_pruefen"]:
            self.stdout.write(self.style.SUCCESS(f"Sicherung unversehrt ({umfang})."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Wiederhergestellt und geprüft ({umfang}): jede Datei mit ihrer SHA-256, "
                "jede Protokollzeile, der Schutz des Protokolls gegen Änderungen."
            )
        )
        if ergebnis.offene_migrationen:
            self.stdout.write(
                f"{len(ergebnis.offene_migrationen)} neuere Migration(en) stehen aus: "
                "bitte jetzt `python manage.py migrate` ausführen."
            )
