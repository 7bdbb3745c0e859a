"""Record exports of the audit log as a Protokoll action of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('kommunen', '0002_protokoll_nur_anhaengen'),
    ]

    operations = [
        migrations.AlterField(
            model_name='protokoll',
            name='aktion',
            field=models.CharField(choices=[('freigabe_beantragt', 'Freigabe beantragt'), ('freigabe_erteilt', 'Freigabe erteilt'), ('freigabe_abgelehnt', 'Freigabe abgelehnt'), ('freigabe_widerrufen', 'Freigabe widerrufen'), ('freigabe_abgelaufen', 'Freigabe abgelaufen'), ('freigabe_ausgesetzt', 'Freigabe ausgesetzt'), ('freigabe_zur_pruefung', 'Dokumente zurückgehalten (neue Prüfung)'), ('freigabe_erinnert', 'an Ablauf erinnert'), ('anfrage_gestellt', 'Zugangsanfrage gestellt'), ('anfrage_genehmigt', 'Zugangsanfrage genehmigt'), ('anfrage_abgelehnt', 'Zugangsanfrage abgelehnt'), ('download', 'Dokument heruntergeladen'), ('berechtigung', 'Berechtigungen geändert'), ('objekt_erstellt', 'Objekt angelegt'), ('objekt_bearbeitet', 'Beschreibung bearbeitet'), ('rechtliches_geaendert', 'rechtliche Angaben geändert'), ('dokument_hinzugefuegt', 'Dokument hinzugefügt'), ('mitgliedschaft', 'Mitgliedschaft geändert'), ('protokoll_exportiert', 'Protokoll exportiert')], max_length=32),
        ),
    ]
