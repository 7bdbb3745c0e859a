"""`manage.py seed [--demo]`: the three founding Kommunen, their Verbund, and demo content."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kommunen import services
from kommunen.models import Benutzer, Kommune, Rolle, Verbund

KOMMUNEN = [
    ("Nürnberg", "nuernberg", "09564000"),
    ("Augsburg", "augsburg", "09761000"),
    ("München", "muenchen", "09162000"),
]
VERBUND = {
    "name": "Kooperationsbündnis Nürnberg–Augsburg–München",
    "slug": "kooperationsbuendnis-nam",
    "vereinbarung_titel": (
        "Absichtserklärung zur Zusammenarbeit bei der Digitalisierung: Ergebnisse einzelner "
        "Studien und Projekte werden im Rahmen des geltenden Rechts zur Verfügung gestellt"
    ),
    "vereinbarung_datum": dt.date(2025, 7, 16),
}
DEMO_ROLLEN = [
    ("mitarbeit", Rolle.MITARBEIT),
    ("herausgabe", Rolle.HERAUSGABE),
    ("admin", Rolle.FREIGABE_ADMIN),
]


class Command(BaseCommand):
    help = "Legt die Gründungskommunen und ihren Verbund an (idempotent); --demo auch Demo-Inhalte."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Demo-Benutzer und -Inhalte anlegen"
        )

    def handle(self, *args, demo: bool = False, **options):
        if demo and not settings.DEBUG:
            raise CommandError(
                "Demo-Daten gibt es nur mit DEBUG=1: Demo-Konten haben bekannte Passwörter."
            )
        with transaction.atomic():
            kommunen = [self._kommune(*k) for k in KOMMUNEN]
            verbund = Verbund.objects.filter(slug=VERBUND["slug"]).first()
            if verbund is None:
                verbund = services.verbund_anlegen(**VERBUND, mitglieder=kommunen)
            elif set(verbund.mitglieder.all()) != set(kommunen):
                services.verbund_mitglieder_setzen(verbund=verbund, kommunen=kommunen)
            if demo:
                self._demo_benutzer(kommunen)
                from portal.demo import demo_inhalte
                from portal.demo_rechtstexte import demo_rechtstexte

                demo_rechtstexte(von=Benutzer.objects.get(username="betrieb"))
                demo_inhalte(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{Kommune.objects.count()} Kommunen, {Verbund.objects.count()} Verbund/Verbünde."
            )
        )

    def _kommune(self, name: str, slug: str, ags: str) -> Kommune:
        kommune = Kommune.objects.filter(ags=ags).first()
        return kommune or services.kommune_anlegen(name=name, slug=slug, ags=ags)

    def _demo_benutzer(self, kommunen: list[Kommune]) -> None:
        password = settings.DEMO_PASSWORD
        for kommune in kommunen:
            for suffix, rolle in DEMO_ROLLEN:
                username = f"{kommune.slug}-{suffix}"
                if not Benutzer.objects.filter(username=username).exists():
                    services.benutzer_anlegen(
                        username=username,
                        kommune=kommune,
                        rolle=rolle,
                        password=password,
                        email=f"{username}@{kommune.slug}.example",
                        first_name=suffix.capitalize(),
                        last_name=kommune.name,
                    )
        if not Benutzer.objects.filter(username="betrieb").exists():
            user = services.benutzer_anlegen(
                username="betrieb",
                kommune=None,
                rolle="",
                password=password,
                is_staff=True,
                email="betrieb@wissensverbund.example",
            )
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
