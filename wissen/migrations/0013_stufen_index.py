"""Expression indexes on the tiers of the search vector (common.suche.STUFEN): the title's
lexemes (weight A), and those of title and summary (A, B); PostgreSQL only."""

from django.db import migrations

TABELLE = "wissen_ergebnis"
STUFEN = {"titel": "{a}", "kopf": "{a,b}"}


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for stufe, gewichte in STUFEN.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TABELLE}_stufe_{stufe}_gin ON {TABELLE} "
            f"USING gin (ts_filter(suchvektor, '{gewichte}'))",
            params=None,
        )


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for stufe in STUFEN:
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABELLE}_stufe_{stufe}_gin", params=None)


class Migration(migrations.Migration):
    dependencies = [("wissen", "0012_gruppenlisten")]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts)]
