"""`manage.py suchindex`: recompute the stored search index of all projects and results."""

from django.core.management.base import BaseCommand

from common.models import Suchwort
from kommunen import sharing
from projekte.models import Projekt
from projekte.suche import projekt_suchvektor_aktualisieren
from wissen.models import Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren


class Command(BaseCommand):
    help = (
        "Baut den Suchindex (Gruppenlisten, Wortstämme, Suchwortschatz) für alle Projekte "
        "und Ergebnisse neu auf, z. B. nach einem Update oder nachdem eine Kommune, ein Thema "
        "oder eine Initiative umbenannt wurde."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--nur-wenn-leer",
            action="store_true",
            help="Nur, wenn der Suchwortschatz noch leer ist (erster Start nach dem Update).",
        )

    def handle(self, *args, nur_wenn_leer=False, **options):
        if nur_wenn_leer and Suchwort.objects.exists():
            self.stdout.write("Suchindex vorhanden; nichts zu tun.")
            return
        # The group lists a search narrows by (decision 0015), from the permission rows.
        sharing.gruppenlisten_neu(Projekt)
        sharing.gruppenlisten_neu(Ergebnis)
        n = 0
        for pk in Projekt.objects.values_list("pk", flat=True).iterator():
            projekt_suchvektor_aktualisieren(pk)
            n += 1
        m = 0
        for pk in Ergebnis.objects.values_list("pk", flat=True).iterator():
            ergebnis_suchvektor_aktualisieren(pk)
            m += 1
        self.stdout.write(f"Suchindex neu aufgebaut: {n} Projekte, {m} Ergebnisse.")
