"""Existing objects and Freigaben under the second reading of the law: the strictest reading
where the new facts are unknown.

- Objects with personal data: whether a special secrecy regime applies is "nicht geprüft"
  (GEHEIM-1 refuses until the owner answers); consent, Art. 9 exception, the transfer basis of
  their Freigaben stay empty (DSGVO-2, DSGVO-3 refuse until filled in).
- Objects from a procurement: the state of the procedure is unknown (VERGABE-2 refuses);
  unredacted bidders' documents hold third parties' trade secrets (DRITTE-1).
- Open licences on rights that are not the city's own: no right to sublicense is recorded
  (LIZENZ-1).
- Granted Freigaben that fail one of these are suspended, with the rule ids as the reason and a
  Protokoll row each, and their permission rows go, so that access ends with the migration.
  The owner's admins find them under "Erneut zu prüfen" and grant them again once the object
  says what the rules ask for.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

PERSONENBEZOGEN = ("pseudonymisiert", "personenbezogen", "besondere_kategorien", "straftaten")
IMMER_BIS = "9999-12-31"
MODELLE = (("projekte", "projekt"), ("wissen", "ergebnis"))
UMFANG_RECHTE = {
    "metadaten": ("view",),
    "vollstaendig": ("view", "download"),
    "mitarbeit": ("view", "download", "change"),
}


def _regeln(o, f) -> list[str]:
    """The rules of the second reading that an existing Freigabe fails for lack of facts."""
    ids = []
    if o.personenbezug in PERSONENBEZOGEN:
        if o.personenbezug == "besondere_kategorien":
            ids.append("DSGVO-2")
        ids.append("DSGVO-3")
        ids.append("GEHEIM-1")
    if o.vergabebezug != "keiner":
        ids.append("VERGABE-2")
    if o.geschaeftsgeheimnisse_dritter and not o.zustimmung_dritter.strip():
        ids.append("DRITTE-1")
    if o.lizenz and o.nutzungsrechte != "eigene" and not o.unterlizenz_erlaubt:
        ids.append("LIZENZ-1")
    return ids


def _gruppe(apps, f, action: str, oeffentlich_id):
    Kommune = apps.get_model("kommunen", "Kommune")
    Verbund = apps.get_model("kommunen", "Verbund")
    if f.empfaenger_art == "kommune":
        k = Kommune.objects.get(pk=f.empfaenger_kommune_id)
        return k.gruppe_herausgabe_id if action == "change" else k.gruppe_mitglieder_id
    if f.empfaenger_art == "verbund":
        return Verbund.objects.get(pk=f.empfaenger_verbund_id).gruppe_id
    return oeffentlich_id


def _zeilen(apps, f, perm_ids, oeffentlich_id) -> set:
    bis = f.gueltig_bis.isoformat() if f.gueltig_bis else IMMER_BIS
    return {
        (_gruppe(apps, f, a, oeffentlich_id), perm_ids[a], f.gueltig_ab.isoformat(), bis)
        for a in UMFANG_RECHTE[f.umfang]
        if not (a == "download" and f.dokumente_zurueckgehalten)
    }


def vorwaerts(apps, schema_editor):
    Freigabe = apps.get_model("kommunen", "Freigabe")
    Protokoll = apps.get_model("kommunen", "Protokoll")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    OeffentlicheGruppe = apps.get_model("kommunen", "OeffentlicheGruppe")
    oeffentlich = OeffentlicheGruppe.objects.first()
    oeffentlich_id = oeffentlich.gruppe_id if oeffentlich else None
    jetzt = timezone.now()
    for app_label, model_name in MODELLE:
        Modell = apps.get_model(app_label, model_name)
        Modell.objects.filter(personenbezug__in=PERSONENBEZOGEN).update(geheimnisschutz="")
        Modell.objects.filter(vergabebezug="bieterunterlagen", geschwaerzt=False).update(
            geschaeftsgeheimnisse_dritter=True
        )
        ct = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if ct is None:
            continue
        perm_ids = {
            p.codename.split("_", 1)[0]: p.pk for p in Permission.objects.filter(content_type=ct)
        }
        Zeile = apps.get_model(app_label, f"{model_name}groupobjectpermission")
        erteilt = Freigabe.objects.filter(content_type=ct, status="erteilt")
        for object_id in sorted(set(erteilt.values_list("object_id", flat=True))):
            o = Modell.objects.filter(pk=object_id).first()
            if o is None:
                continue
            ausgesetzt, bleiben = [], []
            for f in erteilt.filter(object_id=object_id).order_by("pk"):
                ids = _regeln(o, f)
                (ausgesetzt if ids else bleiben).append((f, ids))
            if not ausgesetzt:
                continue
            weg = set()
            for f, ids in ausgesetzt:
                weg |= _zeilen(apps, f, perm_ids, oeffentlich_id)
                grund = (
                    "Nach einem Update der Rechtsregeln fehlen Angaben am Objekt oder an der "
                    "Freigabe: " + ", ".join(ids) + ". Bitte ergänzen und erneut erteilen."
                )
                Freigabe.objects.filter(pk=f.pk).update(
                    status="ausgesetzt", beendet_am=jetzt, beendet_grund=grund
                )
                Protokoll.objects.create(
                    zeitpunkt=jetzt,
                    kommune_id=f.eigentuemer_id,
                    aktion="freigabe_ausgesetzt",
                    content_type=ct,
                    object_id=object_id,
                    objekt_titel=str(getattr(o, "titel", ""))[:300],
                    freigabe_id_ref=f.pk,
                    details={"regeln": ids, "anlass": "Update der Rechtsregeln"},
                )
            for f, _ids in bleiben:
                weg -= _zeilen(apps, f, perm_ids, oeffentlich_id)
            bedingung = Q()
            for gruppe, perm, ab, bis in weg:
                bedingung |= Q(group_id=gruppe, permission_id=perm, gueltig_ab=ab, gueltig_bis=bis)
            if weg:
                Zeile.objects.filter(bedingung, content_object_id=object_id).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kommunen", "0008_rechtliche_angaben_zweite_lesung"),
        ("projekte", "0006_rechtliche_angaben_zweite_lesung"),
        ("wissen", "0007_rechtliche_angaben_zweite_lesung"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Backwards leaves the data as it is: the suspended Freigaben stay suspended (nothing is
    # granted again by undoing a migration) and the old schema ignores the new fields.
    operations = [migrations.RunPython(vorwaerts, migrations.RunPython.noop)]
