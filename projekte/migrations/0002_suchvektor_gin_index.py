"""GIN index on the stored search vector of projects (PostgreSQL only; SQLite has none)."""

from django.db import migrations

INDEX = "projekte_projekt_suchvektor_gin"


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON projekte_projekt USING gin (suchvektor)",
            params=None,
        )
        # Vectors of rows that exist already (no-op on an empty table).
        schema_editor.execute(
            "UPDATE projekte_projekt SET suchvektor = "
            "setweight(to_tsvector('german', coalesce(titel, '')), 'A') || "
            "setweight(to_tsvector('german', coalesce(zusammenfassung, '')), 'B') || "
            "setweight(to_tsvector('german', coalesce(beschreibung, '')), 'C') "
            "WHERE suchvektor IS NULL",
            params=None,
        )


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("projekte", "0001_initial")]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts)]
