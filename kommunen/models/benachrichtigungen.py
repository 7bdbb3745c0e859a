"""The notification outbox (Benachrichtigung) and the record of periodic task runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The kinds of notification, with the label the notifications page filters by. `ereignis` is
# the kind, or "<kind>:<key>" where one event must be written once only (freigabe_neu:<pk>).
# A kind missing here is still listed, under "Sonstige", but cannot be filtered for.
ARTEN = {
    "freigabe_neu": _("Neu für Sie freigegeben"),
    "freigabe_beantragt": _("Freigabe zu entscheiden"),
    "freigabe_entschieden": _("Freigabe entschieden"),
    "freigabe_ausgesetzt": _("Freigabe ausgesetzt"),
    "freigabe_abgelaufen": _("Freigabe abgelaufen"),
    "freigabe_widerrufen": _("Freigabe widerrufen"),
    "freigabe_beendet": _("Nicht mehr für Sie freigegeben"),
    "ablauf_erinnerung": _("Freigabe läuft bald ab"),
    "freigabe_gekuerzt": _("Freigabe bis zum Löschdatum gekürzt"),
    "freigabe_zur_pruefung": _("Neue Dokumente zu prüfen"),
    "anfrage_gestellt": _("Zugangsanfrage zu entscheiden"),
    "anfrage_entschieden": _("Zugangsanfrage entschieden"),
    "loeschdatum_erinnerung": _("Löschdatum"),
    "objekt_bearbeitet": _("Geteiltes Objekt bearbeitet"),
    "objekt_geloescht": _("Objekt gelöscht"),
    "objekt_zurueckgezogen": _("Objekt zurückgezogen"),
    "projekt_geloescht": _("Projekt gelöscht"),
    "nachnutzung": _("Interesse an Nachnutzung"),
    "verbund_mitglieder": _("Mitglieder eines Verbunds geändert"),
    "wochenzusammenfassung": _("Wochenzusammenfassung"),
}


class Benachrichtigung(models.Model):
    """Outbox row: written with the event, delivered by a task after commit."""

    empfaenger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="benachrichtigungen"
    )
    ereignis = models.CharField(max_length=40)
    betreff = models.CharField(max_length=200)
    text = models.TextField()
    # The subject and text in the portal's other languages: {"en": {"betreff": …, "text": …}}.
    uebersetzungen = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)
    erstellt_am = models.DateTimeField(default=timezone.now)
    gelesen_am = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(
        max_length=12, default="sofort", help_text="sofort, woechentlich oder aus (beim Anlegen)"
    )
    zugestellt_am = models.DateTimeField(null=True, blank=True)
    versuche = models.PositiveSmallIntegerField(default=0)
    fehler = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-erstellt_am"]
        indexes = [
            models.Index(fields=["empfaenger", "gelesen_am"]),
            models.Index(fields=["zugestellt_am"]),
        ]

    def __str__(self) -> str:
        return self.betreff

    def _in_sprache(self, feld: str) -> str:
        uebersetzt = (
            self.uebersetzungen.get(get_language() or "", {}) if self.uebersetzungen else {}
        )
        return uebersetzt.get(feld) or getattr(self, feld)

    @property
    def betreff_anzeige(self) -> str:
        """The subject in the page's language (as written when the notice was made)."""
        return self._in_sprache("betreff")

    @property
    def text_anzeige(self) -> str:
        return self._in_sprache("text")

    @property
    def art(self) -> str:
        return self.ereignis.split(":", 1)[0]

    @property
    def art_anzeige(self) -> str:
        return str(ARTEN.get(self.art, _("Sonstige")))


class Aufgabenlauf(models.Model):
    """When a periodic task last finished: /healthz shows whether beat still runs."""

    aufgabe = models.CharField(max_length=200, primary_key=True)
    zuletzt_am = models.DateTimeField()

    class Meta:
        verbose_name = _("Lauf einer periodischen Aufgabe")
        verbose_name_plural = _("Läufe periodischer Aufgaben")

    def __str__(self) -> str:
        return f"{self.aufgabe}: {self.zuletzt_am:%Y-%m-%d %H:%M}"
