"""GIN index on the stored search vector of results (PostgreSQL only; SQLite has none)."""

from django.db import migrations

INDEX = "wissen_ergebnis_suchvektor_gin"


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wissen_ergebnis USING gin (suchvektor)",
            params=None,
        )
        # Vectors of rows that exist already, with their documents' text (no-op when empty).
        schema_editor.execute(
            "UPDATE wissen_ergebnis e SET suchvektor = "
            "setweight(to_tsvector('german', coalesce(e.titel, '')), 'A') || "
            "setweight(to_tsvector('german', coalesce(e.zusammenfassung, '')), 'B') || "
            "setweight(to_tsvector('german', coalesce(e.text, '')), 'C') || "
            "setweight(to_tsvector('german', coalesce((SELECT string_agg(d.text, ' ') "
            "FROM wissen_dokument d WHERE d.ergebnis_id = e.id), '')), 'D') "
            "WHERE e.suchvektor IS NULL",
            params=None,
        )


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("wissen", "0001_initial")]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts)]
