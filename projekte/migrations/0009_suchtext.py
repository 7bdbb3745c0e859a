from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projekte", "0008_loeschdatum_begruendung_und_erinnerung")]

    operations = [
        migrations.AddField(
            model_name="projekt",
            name="suchtext",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
