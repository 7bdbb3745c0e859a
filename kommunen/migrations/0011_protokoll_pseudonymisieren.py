"""On PostgreSQL, one database function pseudonymises the actor of old read events, and the
append-only trigger admits exactly that change and nothing else.

`wv_protokoll_pseudonymisieren(stichtag)` sets the transaction-local setting
`wv.protokoll_pseudonymisieren` for its own UPDATE, which blanks `akteur_id` and writes the
fixed token 'pseudonymisiert' into `akteur_name` of read events (download, ansicht) older than
`stichtag` that still name a person. The Kommune of the reader, the time, the object, the action
and the details stay. Decisions (every other action) are never touched.

The portal connects as one database user, who could also switch the setting on by hand. So the
trigger does not trust the setting alone: it admits an UPDATE only on a read event that still
names a person, only to no actor and the token, and only when no other column changes (compared
as the whole row minus the two actor columns, so a column added later is covered too). Switched
on by hand, the setting allows no more than the function does. DELETE stays refused always.
When to pseudonymise (the retention period) is the service's decision
(`kommunen.services.protokoll_pseudonymisieren`); the trigger decides what may change.

A partial index holds the read events that still name a person, so the daily run does not scan
the years of rows it has already done.

Reversible: backwards, the function is dropped and the trigger refuses every UPDATE again. Rows
already pseudonymised stay so, by design.
"""

from django.db import migrations, models

TRIGGER_MIT_PSEUDONYMISIERUNG = """
CREATE OR REPLACE FUNCTION kommunen_protokoll_nur_anhaengen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('wv.protokoll_pseudonymisieren', true), '') = 'an'
       AND OLD.aktion IN ('download', 'ansicht')
       AND (OLD.akteur_id IS NOT NULL OR OLD.akteur_name NOT IN ('', 'pseudonymisiert'))
       AND NEW.akteur_id IS NULL
       AND NEW.akteur_name = 'pseudonymisiert'
       AND (to_jsonb(NEW) - 'akteur_id' - 'akteur_name')
           = (to_jsonb(OLD) - 'akteur_id' - 'akteur_name')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Das Protokoll ist unveränderlich: % ist nicht erlaubt', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION wv_protokoll_pseudonymisieren(stichtag timestamptz)
RETURNS integer AS $$
DECLARE
    anzahl integer;
BEGIN
    IF stichtag IS NULL OR stichtag > clock_timestamp() THEN
        RAISE EXCEPTION 'Stichtag der Pseudonymisierung ungültig: %', stichtag
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('wv.protokoll_pseudonymisieren', 'an', true);
    UPDATE kommunen_protokoll
       SET akteur_id = NULL, akteur_name = 'pseudonymisiert'
     WHERE aktion IN ('download', 'ansicht')
       AND (akteur_id IS NOT NULL OR NOT (akteur_name IN ('', 'pseudonymisiert')))
       AND zeitpunkt < stichtag;
    GET DIAGNOSTICS anzahl = ROW_COUNT;
    -- Off again at once: later statements of the caller's transaction are not admitted.
    PERFORM set_config('wv.protokoll_pseudonymisieren', '', true);
    RETURN anzahl;
END;
$$ LANGUAGE plpgsql;

REVOKE ALL ON FUNCTION wv_protokoll_pseudonymisieren(timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION wv_protokoll_pseudonymisieren(timestamptz) IS
    'Pseudonymisiert die Person in Lese-Ereignissen (download, ansicht) vor dem Stichtag; '
    'Entscheidungen bleiben unverändert. Der einzige Änderungsweg, den der Trigger '
    'kommunen_protokoll_nur_anhaengen zulässt.';
"""

# The trigger function as migration 0002 created it.
TRIGGER_NUR_ANHAENGEN = """
DROP FUNCTION IF EXISTS wv_protokoll_pseudonymisieren(timestamptz);
CREATE OR REPLACE FUNCTION kommunen_protokoll_nur_anhaengen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Das Protokoll ist unveränderlich: % ist nicht erlaubt', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def vorwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_MIT_PSEUDONYMISIERUNG, params=None)


def rueckwaerts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_NUR_ANHAENGEN, params=None)


class Migration(migrations.Migration):
    dependencies = [("kommunen", "0010_protokoll_aktion_ansicht")]

    operations = [
        # Read events that still name a person: what the daily run looks for, without scanning
        # the years of rows it has already done.
        migrations.AddIndex(
            model_name="protokoll",
            index=models.Index(
                fields=["zeitpunkt"],
                name="protokoll_lesen_benannt",
                condition=models.Q(aktion__in=("download", "ansicht"))
                & (
                    models.Q(akteur__isnull=False)
                    | ~models.Q(akteur_name__in=["", "pseudonymisiert"])
                ),
            ),
        ),
        migrations.RunPython(vorwaerts, rueckwaerts),
    ]
