from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def indexe_anlegen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for spalte in ("wort", "stamm"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS common_suchwort_{spalte}_trgm "
            f"ON common_suchwort USING gin ({spalte} gin_trgm_ops)"
        )


def indexe_entfernen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for spalte in ("wort", "stamm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS common_suchwort_{spalte}_trgm")


class Migration(migrations.Migration):
    """Trigram indexes (pg_trgm, offered by managed PostgreSQL services) for the suffix look-up
    of compounds and for spelling suggestions; SQLite does both in Python."""

    dependencies = [("common", "0001_suchwort")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(indexe_anlegen, indexe_entfernen),
    ]
