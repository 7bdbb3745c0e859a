"""LOESCH-1 for what is already stored: no open Freigabe runs past its object's Löschdatum.

One migration for both shareable models (Projekt, Ergebnis): wissen is the app that may
depend on the others. Historical models, so the application's guard on Freigaben does not
apply; every change gets a Protokoll row marked as made by the migration.
"""

import datetime as dt

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

OFFEN = ("beantragt", "erteilt", "ausgesetzt")
# The dates of the owner's own permission rows, which never end (kommunen.models.freigebbar).
IMMER_AB = dt.date(1, 1, 1)
IMMER_BIS = dt.date(9999, 12, 31)
MODELLE = (
    ("projekte", "Projekt", "ProjektGroupObjectPermission"),
    ("wissen", "Ergebnis", "ErgebnisGroupObjectPermission"),
)
SPAETER = "LOESCH-1: Die Freigabe begänne erst nach dem Löschdatum %s des Objekts."


def _datum(d):
    return d.strftime("%d.%m.%Y") if d else "unbefristet"


def freigaben_kappen(apps, schema_editor):
    """Open Freigaben that run past their object's Löschdatum (or have no end) end on it; one
    that would only begin after it ends now. Their permission rows follow (they carry the
    Freigabe's dates, decision 0007), so access stops on the Löschdatum at read time."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Freigabe = apps.get_model("kommunen", "Freigabe")
    Protokoll = apps.get_model("kommunen", "Protokoll")
    jetzt = timezone.now()
    for app_label, name, recht_name in MODELLE:
        Model = apps.get_model(app_label, name)
        Recht = apps.get_model(app_label, recht_name)
        ct = ContentType.objects.filter(app_label=app_label, model=name.lower()).first()
        if ct is None:
            continue  # a fresh database: no content type yet, so no Freigabe either
        objekte = Model.objects.filter(loeschdatum__isnull=False).values_list(
            "pk", "loeschdatum", "kommune_id", "titel"
        )
        for pk, loeschdatum, kommune_id, titel in objekte.iterator():
            zuviel = Freigabe.objects.filter(
                content_type_id=ct.pk, object_id=pk, status__in=OFFEN
            ).filter(Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gt=loeschdatum))
            for f in zuviel.order_by("pk"):
                vorher = f.gueltig_bis
                details = {"vorher": _datum(vorher), "regeln": ["LOESCH-1"], "migration": True}
                if f.gueltig_ab > loeschdatum:
                    grund = SPAETER % _datum(loeschdatum)
                    if f.status == "beantragt":
                        f.status, f.entschieden_am, f.begruendung = "abgelehnt", jetzt, grund
                        aktion = "freigabe_abgelehnt"
                    else:
                        f.status, f.beendet_am, f.beendet_grund = "widerrufen", jetzt, grund
                        aktion = "freigabe_widerrufen"
                    details["grund"] = grund
                else:
                    f.gueltig_bis = loeschdatum
                    aktion = "freigabe_gekuerzt"
                details["nachher"] = _datum(f.gueltig_bis)
                f.save()
                Protokoll.objects.create(
                    zeitpunkt=jetzt,
                    kommune_id=kommune_id,
                    aktion=aktion,
                    content_type_id=ct.pk,
                    object_id=pk,
                    objekt_titel=titel[:300],
                    freigabe_id_ref=f.pk,
                    details=details,
                )
            zeilen = Recht.objects.filter(content_object_id=pk, gueltig_bis__gt=loeschdatum).exclude(
                gueltig_ab=IMMER_AB, gueltig_bis=IMMER_BIS
            )
            for zeile in zeilen:
                gleich = Recht.objects.filter(
                    content_object_id=pk,
                    permission_id=zeile.permission_id,
                    group_id=zeile.group_id,
                    gueltig_ab=zeile.gueltig_ab,
                    gueltig_bis=loeschdatum,
                )
                if zeile.gueltig_ab > loeschdatum or gleich.exists():
                    zeile.delete()
                else:
                    zeile.gueltig_bis = loeschdatum
                    zeile.save(update_fields=["gueltig_bis"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("kommunen", "0012_protokoll_loeschdatum_und_loeschen"),
        ("projekte", "0008_loeschdatum_begruendung_und_erinnerung"),
        ("wissen", "0008_loeschdatum_begruendung_und_erinnerung"),
    ]

    # Backwards nothing is undone: a Freigabe lengthened past its object's Löschdatum again
    # would be unlawful, and the Protokoll keeps each former end date.
    operations = [migrations.RunPython(freigaben_kappen, migrations.RunPython.noop)]
