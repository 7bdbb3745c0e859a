"""The groups with a view or download row on each ergebnis (sharing.vorfilter), GIN-indexed on
PostgreSQL, and the dates in the permission index so that visible() reads the index only."""

import kommunen.models.freigebbar
from django.db import migrations, models

TABELLE = "wissen_ergebnis"
RECHTE = "wissen_ergebnisgroupobjectpermission"
FELDER = {"gruppen_sehen": "view_ergebnis", "gruppen_laden": "download_ergebnis"}


def fuellen(apps, schema_editor):
    """Each object's lists from its permission rows, whatever their dates."""
    if schema_editor.connection.vendor == "postgresql":
        # The indexes first: after the UPDATE, its deferred trigger events forbid them.
        for feld in FELDER:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABELLE}_{feld}_gin ON {TABELLE} USING gin ({feld})",
                params=None,
            )
        for feld, codename in FELDER.items():
            schema_editor.execute(
                f"UPDATE {TABELLE} o SET {feld} = g.gruppen FROM ("
                f"SELECT r.content_object_id AS id, "
                f"array_agg(DISTINCT r.group_id ORDER BY r.group_id) AS gruppen "
                f"FROM {RECHTE} r JOIN auth_permission p ON p.id = r.permission_id "
                f"WHERE p.codename = %s GROUP BY r.content_object_id) g WHERE g.id = o.id",
                params=[codename],
            )
        return
    Model = apps.get_model("wissen", "Ergebnis")
    Recht = apps.get_model("wissen", "ErgebnisGroupObjectPermission")
    listen: dict[int, dict[str, set[int]]] = {}
    for objekt_id, gruppe_id, codename in Recht.objects.values_list(
        "content_object_id", "group_id", "permission__codename"
    ):
        for feld, name in FELDER.items():
            if codename == name:
                listen.setdefault(objekt_id, {}).setdefault(feld, set()).add(gruppe_id)
    for objekt_id, felder in listen.items():
        Model.objects.filter(pk=objekt_id).update(**{f: sorted(g) for f, g in felder.items()})


def leeren(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for feld in FELDER:
            schema_editor.execute(f"DROP INDEX IF EXISTS {TABELLE}_{feld}_gin", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wissen", "0011_suchtext"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ergebnisgroupobjectpermission",
            name="ergebnis_recht_gruppe",
        ),
        migrations.AddField(
            model_name="ergebnis",
            name="gruppen_laden",
            field=kommunen.models.freigebbar.Gruppenliste(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="ergebnis",
            name="gruppen_sehen",
            field=kommunen.models.freigebbar.Gruppenliste(blank=True, default=list, editable=False),
        ),
        migrations.AddIndex(
            model_name="ergebnisgroupobjectpermission",
            index=models.Index(
                fields=["group", "permission", "content_object"],
                include=("gueltig_ab", "gueltig_bis"),
                name="ergebnis_recht_gruppe",
            ),
        ),
        migrations.RunPython(fuellen, leeren),
    ]
