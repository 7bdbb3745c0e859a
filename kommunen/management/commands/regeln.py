"""`manage.py regeln`: the legal rule table as Markdown (id, when, then, ground, how to fix).

`manage.py regeln > docs/regeln.md` refreshes the copy in docs/; a test fails when it is stale.
"""

from django.core.management.base import BaseCommand

from kommunen import rules


class Command(BaseCommand):
    help = "Gibt die Tabelle der Rechtsregeln als Markdown aus (für docs/regeln.md)."

    def handle(self, *args, **options):
        self.stdout.write(rules.tabelle_markdown(), ending="")
