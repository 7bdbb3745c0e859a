"""The append-only audit log (Protokoll)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .kommunen import Kommune

# Read events: who opened or downloaded what. Their actor is pseudonymised after the retention
# period (PROTOKOLL_LESEN_AUFBEWAHREN_MONATE); every other action is a decision and keeps its
# actor. Migration 0009 repeats these values in SQL (the trigger and the function).
LESEN = ("download", "ansicht")
# What a read event names instead of a person once pseudonymised, or from the start when reads
# are recorded per Kommune (PROTOKOLL_LESEN_PRO_PERSON off): a fixed token that stands for no
# one, so nothing maps it back. Shown translated.
PSEUDONYM = "pseudonymisiert"
# Read events that still name a person: what the pseudonymisation changes (anonymous downloads
# of public documents never named anyone and stay as they are).
LESEN_BENANNT = Q(aktion__in=LESEN) & (
    Q(akteur__isnull=False) | ~Q(akteur_name__in=["", PSEUDONYM])
)


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
        ANSICHT = "ansicht", _("Detailseite angesehen")
        BERECHTIGUNG = "berechtigung", _("Berechtigungen geändert")
        OBJEKT_ERSTELLT = "objekt_erstellt", _("Objekt angelegt")
        OBJEKT_BEARBEITET = "objekt_bearbeitet", _("Beschreibung bearbeitet")
        RECHTLICHES_GEAENDERT = "rechtliches_geaendert", _("rechtliche Angaben geändert")
        LOESCHDATUM_ERINNERT = "loeschdatum_erinnert", _("an Löschdatum erinnert")
        OBJEKT_GELOESCHT = "objekt_geloescht", _("Objekt gelöscht")
        DOKUMENT_HINZUGEFUEGT = "dokument_hinzugefuegt", _("Dokument hinzugefügt")
        DOKUMENT_ERSETZT = "dokument_ersetzt", _("Dokument ersetzt (neue Fassung)")
        DOKUMENT_ENTFERNT = "dokument_entfernt", _("Dokument gelöscht")
        OBJEKT_ZURUECKGEZOGEN = "objekt_zurueckgezogen", _("Objekt zurückgezogen")
        MITGLIEDSCHAFT = "mitgliedschaft", _("Mitgliedschaft geändert")
        PROTOKOLL_EXPORTIERT = "protokoll_exportiert", _("Protokoll exportiert")

    LESEN = LESEN
    PSEUDONYM = PSEUDONYM

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
            # Read events that still name a person: what the daily pseudonymisation looks for,
            # so that it does not scan the years of rows it has already done.
            models.Index(
                fields=["zeitpunkt"],
                name="protokoll_lesen_benannt",
                condition=LESEN_BENANNT,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zeitpunkt:%Y-%m-%d %H:%M} {self.aktion} {self.objekt_titel}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("Protokolleinträge können nicht geändert werden."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Protokolleinträge können nicht gelöscht werden."))

    @property
    def ist_lesen(self) -> bool:
        return self.aktion in self.LESEN

    @property
    def akteur_anzeige(self) -> str:
        """Who acted, as the Protokoll page and its export say it (without the Kommune)."""
        if self.akteur_name == self.PSEUDONYM and self.akteur_id is None:
            return gettext("pseudonymisiert")
        if self.akteur_name:
            return self.akteur_name
        if self.ist_lesen:
            return gettext("nicht angemeldet")
        return gettext("System")
