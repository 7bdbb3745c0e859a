"""The append-only audit log (Protokoll)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kommunen import Kommune


class Protokoll(models.Model):
    """Append-only audit log. The application never updates or deletes a row."""

    class Aktion(models.TextChoices):
        FREIGABE_BEANTRAGT = "freigabe_beantragt", _("Freigabe beantragt")
        FREIGABE_ERTEILT = "freigabe_erteilt", _("Freigabe erteilt")
        FREIGABE_ABGELEHNT = "freigabe_abgelehnt", _("Freigabe abgelehnt")
        FREIGABE_WIDERRUFEN = "freigabe_widerrufen", _("Freigabe widerrufen")
        FREIGABE_ABGELAUFEN = "freigabe_abgelaufen", _("Freigabe abgelaufen")
        FREIGABE_AUSGESETZT = "freigabe_ausgesetzt", _("Freigabe ausgesetzt")
        FREIGABE_ZUR_PRUEFUNG = (
            "freigabe_zur_pruefung",
            _("Dokumente zurückgehalten (neue Prüfung)"),
        )
        FREIGABE_ERINNERT = "freigabe_erinnert", _("an Ablauf erinnert")
        FREIGABE_GEKUERZT = "freigabe_gekuerzt", _("Freigabe bis zum Löschdatum gekürzt")
        ANFRAGE_GESTELLT = "anfrage_gestellt", _("Zugangsanfrage gestellt")
        ANFRAGE_GENEHMIGT = "anfrage_genehmigt", _("Zugangsanfrage genehmigt")
        ANFRAGE_ABGELEHNT = "anfrage_abgelehnt", _("Zugangsanfrage abgelehnt")
        DOWNLOAD = "download", _("Dokument heruntergeladen")
        BERECHTIGUNG = "berechtigung", _("Berechtigungen geändert")
        OBJEKT_ERSTELLT = "objekt_erstellt", _("Objekt angelegt")
        OBJEKT_BEARBEITET = "objekt_bearbeitet", _("Beschreibung bearbeitet")
        RECHTLICHES_GEAENDERT = "rechtliches_geaendert", _("rechtliche Angaben geändert")
        LOESCHDATUM_ERINNERT = "loeschdatum_erinnert", _("an Löschdatum erinnert")
        OBJEKT_GELOESCHT = "objekt_geloescht", _("Objekt gelöscht")
        DOKUMENT_HINZUGEFUEGT = "dokument_hinzugefuegt", _("Dokument hinzugefügt")
        MITGLIEDSCHAFT = "mitgliedschaft", _("Mitgliedschaft geändert")
        PROTOKOLL_EXPORTIERT = "protokoll_exportiert", _("Protokoll exportiert")

    zeitpunkt = models.DateTimeField(default=timezone.now, db_index=True)
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    akteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    akteur_name = models.CharField(max_length=150, blank=True)
    akteur_kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aktion = models.CharField(max_length=32, choices=Aktion.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    objekt_titel = models.CharField(max_length=300, blank=True)
    freigabe_id_ref = models.PositiveBigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-zeitpunkt", "-id"]
        indexes = [
            models.Index(fields=["kommune", "-zeitpunkt"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.zeitpunkt:%Y-%m-%d %H:%M} {self.aktion} {self.objekt_titel}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Protokolleinträge können nicht geändert werden."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Protokolleinträge können nicht gelöscht werden."))
