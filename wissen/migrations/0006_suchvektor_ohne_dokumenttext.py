"""Take the documents' text out of the result's search vector, into a vector of its own.

`suchvektor` (matched for everyone who may see a result) keeps the metadata only: title (A),
summary (B), text (C). The new `suchvektor_mit_dokumenten` holds the same plus the documents'
extracted text (D) and is matched only for those who may download the documents; it gets
its own GIN index. Both are filled for the rows that exist. Backwards, `suchvektor` gets the
full vector again (as it was) before the new column is dropped. PostgreSQL only: SQLite has
no vectors.
"""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "wissen_ergebnis_suchvektor_dok_gin"

METADATEN = (
    "setweight(to_tsvector('german', coalesce(e.titel, '')), 'A') || "
    "setweight(to_tsvector('german', coalesce(e.zusammenfassung, '')), 'B') || "
    "setweight(to_tsvector('german', coalesce(e.text, '')), 'C')"
)
DOKUMENTE = (
    "setweight(to_tsvector('german', coalesce((SELECT string_agg(d.text, ' ') "
    "FROM wissen_dokument d WHERE d.ergebnis_id = e.id), '')), 'D')"
)


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wissen_ergebnis "
        "USING gin (suchvektor_mit_dokumenten)",
        params=None,
    )
    schema_editor.execute(
        f"UPDATE wissen_ergebnis e SET suchvektor = {METADATEN}, "
        f"suchvektor_mit_dokumenten = {METADATEN} || {DOKUMENTE}",
        params=None,
    )


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"UPDATE wissen_ergebnis e SET suchvektor = {METADATEN} || {DOKUMENTE}", params=None
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("wissen", "0005_einzeilige_textfelder_ohne_steuerzeichen")]

    operations = [
        migrations.AddField(
            model_name="ergebnis",
            name="suchvektor_mit_dokumenten",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(vorwaerts, rueckwaerts),
    ]
