"""Views of detail pages by staff of other Kommunen become a Protokoll action of their own
(ansicht, a read event like download)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('kommunen', '0009_strengste_lesart_fuer_bestand'),
    ]

    operations = [
        migrations.AlterField(
            model_name='protokoll',
            name='aktion',
            field=models.CharField(choices=[('freigabe_beantragt', 'Freigabe beantragt'), ('freigabe_erteilt', 'Freigabe erteilt'), ('freigabe_abgelehnt', 'Freigabe abgelehnt'), ('freigabe_widerrufen', 'Freigabe widerrufen'), ('freigabe_abgelaufen', 'Freigabe abgelaufen'), ('freigabe_ausgesetzt', 'Freigabe ausgesetzt'), ('freigabe_zur_pruefung', 'Dokumente zurückgehalten (neue Prüfung)'), ('freigabe_erinnert', 'an Ablauf erinnert'), ('anfrage_gestellt', 'Zugangsanfrage gestellt'), ('anfrage_genehmigt', 'Zugangsanfrage genehmigt'), ('anfrage_abgelehnt', 'Zugangsanfrage abgelehnt'), ('download', 'Dokument heruntergeladen'), ('ansicht', 'Detailseite angesehen'), ('berechtigung', 'Berechtigungen geändert'), ('objekt_erstellt', 'Objekt angelegt'), ('objekt_bearbeitet', 'Beschreibung bearbeitet'), ('rechtliches_geaendert', 'rechtliche Angaben geändert'), ('dokument_hinzugefuegt', 'Dokument hinzugefügt'), ('mitgliedschaft', 'Mitgliedschaft geändert'), ('protokoll_exportiert', 'Protokoll exportiert')], max_length=32),
        ),
    ]
