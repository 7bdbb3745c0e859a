"""On PostgreSQL, a trigger refuses UPDATE and DELETE on the Protokoll table (append-only)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kommunen_protokoll_nur_anhaengen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Das Protokoll ist unveränderlich: % ist nicht erlaubt', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kommunen_protokoll_nur_anhaengen
    BEFORE UPDATE OR DELETE ON kommunen_protokoll
    FOR EACH ROW EXECUTE FUNCTION kommunen_protokoll_nur_anhaengen();
"""

DROP = """
DROP TRIGGER IF EXISTS kommunen_protokoll_nur_anhaengen ON kommunen_protokoll;
DROP FUNCTION IF EXISTS kommunen_protokoll_nur_anhaengen();
"""


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("kommunen", "0001_initial")]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts)]
