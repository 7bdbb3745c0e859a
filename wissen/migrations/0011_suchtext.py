from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wissen", "0010_extraktion_begonnen")]

    operations = [
        migrations.AddField(
            model_name="ergebnis",
            name="suchtext",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="ergebnis",
            name="suchtext_dokumente",
            field=models.TextField(blank=True, default="", editable=False),
        ),
    ]
