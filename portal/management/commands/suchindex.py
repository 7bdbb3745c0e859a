"""`manage.py suchindex`: recompute the stored search vectors of all projects and results."""

from django.core.management.base import BaseCommand

from projekte.models import Projekt
from projekte.suche import projekt_suchvektor_aktualisieren
from wissen.models import Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren


class Command(BaseCommand):
    help = "Baut den Volltext-Suchindex (PostgreSQL) für alle Projekte und Ergebnisse neu auf."

    def handle(self, *args, **options):
        n = 0
        for pk in Projekt.objects.values_list("pk", flat=True).iterator():
            projekt_suchvektor_aktualisieren(pk)
            n += 1
        m = 0
        for pk in Ergebnis.objects.values_list("pk", flat=True).iterator():
            ergebnis_suchvektor_aktualisieren(pk)
            m += 1
        self.stdout.write(f"Suchindex neu aufgebaut: {n} Projekte, {m} Ergebnisse.")
