"""Freigabevermerk: the printable memo of one decision on a Freigabe, for the city's e-file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .freigaben import Freigabe
from .protokoll import Protokoll


def vermerk_pfad(instance: Freigabevermerk, filename: str) -> str:
    # Derived from ids and the content's hash only, never from titles or names someone typed.
    return (
        f"vermerke/{instance.freigabe.eigentuemer_id}/{instance.freigabe_id}/"
        f"vermerk-{instance.protokoll_id}-{instance.sha256[:16]}.pdf"
    )


class Freigabevermerk(models.Model):
    """One decision (grant, refusal, revocation, expiry) as a PDF memo.

    `inhalt` is what the memo says, taken in the decision's transaction under its locks; the
    PDF is drawn from it after commit. So a memo whose file could not be stored at once (the
    store was down) is drawn later exactly as the decision stood (`services.vermerke_nachholen`),
    not from whatever the object says by then. Memos are part of the record: they refer to the
    Freigabe and its Protokoll row, which stay when the object is deleted, and are never
    deleted by the application.
    """

    class Art(models.TextChoices):
        ERTEILT = "erteilt", _("Erteilung")
        ABGELEHNT = "abgelehnt", _("Ablehnung")
        WIDERRUFEN = "widerrufen", _("Widerruf")
        ABGELAUFEN = "abgelaufen", _("Ablauf")

    freigabe = models.ForeignKey(
        Freigabe, on_delete=models.PROTECT, related_name="vermerke", verbose_name=_("Freigabe")
    )
    art = models.CharField(_("Entscheidung"), max_length=12, choices=Art.choices)
    protokoll = models.OneToOneField(
        Protokoll,
        on_delete=models.PROTECT,
        related_name="vermerk",
        verbose_name=_("Protokolleintrag"),
    )
    inhalt = models.JSONField(default=dict, editable=False)
    datei = models.FileField(upload_to=vermerk_pfad, max_length=300, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    erstellt_am = models.DateTimeField(default=timezone.now, editable=False)
    datei_am = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Freigabevermerk")
        verbose_name_plural = _("Freigabevermerke")
        ordering = ["erstellt_am", "pk"]
        indexes = [
            # What the sweep looks for: memos whose file is still owed (few, if any).
            models.Index(
                fields=["erstellt_am"], name="vermerk_datei_fehlt", condition=models.Q(datei="")
            ),
        ]

    def __str__(self) -> str:
        return f"Freigabevermerk {self.pk} ({self.get_art_display()}, Freigabe {self.freigabe_id})"

    @property
    def vorhanden(self) -> bool:
        return bool(self.datei.name)

    @property
    def dateiname(self) -> str:
        """The download's name: ASCII, from numbers only."""
        return f"freigabevermerk-{self.freigabe_id}-{self.protokoll_id}-{self.art}.pdf"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Freigabevermerke gehören zur Akte und werden nicht gelöscht."))
