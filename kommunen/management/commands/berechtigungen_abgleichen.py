"""`manage.py berechtigungen_abgleichen`: derive every shareable object's permission rows anew.

Run once after an update that changes how rows are derived (for example when rows began to
carry their Freigabe's dates): until then a row keeps what the old version wrote. Safe to run
at any time and twice; each object is synced in its own transaction, in the usual lock order.
"""

from django.core.management.base import BaseCommand

from kommunen import selectors, services


class Command(BaseCommand):
    help = (
        "Leitet die Objektberechtigungen aller teilbaren Objekte aus Eigentum und Freigaben "
        "neu ab (nach einem Update einmal ausführen)."
    )

    def handle(self, *args, **options):
        for model in selectors.freigebbare_modelle():
            objekte = geaendert = 0
            for objekt in model._default_manager.order_by("pk").iterator(chunk_size=500):
                added, removed = services.berechtigungen_abgleichen(
                    objekt=objekt, anlass="Abgleich nach Update"
                )
                objekte += 1
                geaendert += bool(added or removed)
            self.stdout.write(
                f"{model._meta.verbose_name_plural}: {objekte} geprüft, {geaendert} angepasst."
            )
