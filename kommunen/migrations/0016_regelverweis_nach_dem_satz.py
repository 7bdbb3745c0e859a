"""Stored reasons that began with their rule id ("GREMIUM-1: …") read the sentence first and
the rule after it ("… (Regel GREMIUM-1)"), as every new reason does (rules.mit_verweis).

Only whole lines that start with a known rule id and a colon change; anything else a person
wrote stays as it is. Backwards the lines are turned round again.
"""

import re

from django.db import migrations

# The rule ids when this was written (a migration does not read the code of today).
REGEL_IDS = (
    "DSGVO-1", "DSGVO-2", "DSGVO-3", "STRAFTATEN-1", "VIER-AUGEN", "VSNFD-1", "GEHEIM-1",
    "RECHTE-1", "RECHTE-2", "LIZENZ-1", "VERGABE-1", "VERGABE-2", "DRITTE-1", "GREMIUM-1",
    "OEFFENTLICH-1", "FRIST-1", "GEMEINSAM-1", "WEITERGABE-1", "VERBUND-1", "VERSION-1",
    "LOESCH-1",
)  # fmt: skip
_IDS = "|".join(re.escape(r) for r in REGEL_IDS)
ALT = re.compile(rf"^({_IDS}): (.+)$")
NEU = re.compile(rf"^(.+) \(Regel ({_IDS})\)$")
FELDER = ("beendet_grund", "begruendung")


def neu_lesen(text: str) -> str:
    return "\n".join(ALT.sub(r"\2 (Regel \1)", z) for z in text.split("\n"))


def alt_lesen(text: str) -> str:
    return "\n".join(NEU.sub(r"\2: \1", z) for z in text.split("\n"))


def _umschreiben(apps, wandeln):
    Freigabe = apps.get_model("kommunen", "Freigabe")
    for feld in FELDER:
        for pk, text in Freigabe.objects.filter(**{f"{feld}__regex": _IDS}).values_list(
            "pk", feld
        ):
            neu = wandeln(text)
            if neu != text:
                Freigabe.objects.filter(pk=pk).update(**{feld: neu})


def vorwaerts(apps, schema_editor):
    _umschreiben(apps, neu_lesen)


def rueckwaerts(apps, schema_editor):
    _umschreiben(apps, alt_lesen)


class Migration(migrations.Migration):
    dependencies = [
        ("kommunen", "0015_freigabevermerk"),
    ]

    operations = [migrations.RunPython(vorwaerts, rueckwaerts, elidable=True)]
