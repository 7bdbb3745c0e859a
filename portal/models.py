"""The portal's own content: the legal pages the operator writes in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RechtstextArt(models.TextChoices):
    IMPRESSUM = "impressum", _("Impressum")
    DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
    BARRIEREFREIHEIT = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")


class Rechtstext(models.Model):
    """One legal page in German and English, as Markdown. The page's title, the facts that
    follow from the portal's configuration (what the Protokoll keeps, and for how long) and
    the dates of the accessibility statement are set by the page, not by the text."""

    art = models.CharField(_("Seite"), max_length=20, choices=RechtstextArt.choices, unique=True)
    text_de = models.TextField(
        _("Text (Deutsch)"),
        help_text=_(
            "Markdown: # Abschnitt, ## Unterabschnitt, *kursiv*, **fett**, - Liste, "
            "[Text](https://…) für Links. Den Seitentitel setzt das Portal. HTML wird entfernt."
        ),
    )
    text_en = models.TextField(
        _("Text (Englisch)"),
        blank=True,
        help_text=_("Leer: Die englische Fassung der Seite zeigt den deutschen Text."),
    )
    erklaerung_vom = models.DateField(
        _("Erklärung erstellt am"),
        null=True,
        blank=True,
        help_text=_("Nur für die Erklärung zur Barrierefreiheit, dort Pflicht."),
    )
    geprueft_am = models.DateField(
        _("Zuletzt überprüft am"),
        null=True,
        blank=True,
        help_text=_("Nur für die Erklärung zur Barrierefreiheit, dort Pflicht."),
    )
    geaendert_am = models.DateTimeField(_("Zuletzt geändert am"), auto_now=True)
    geaendert_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Zuletzt geändert von"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")
        ordering = ["art"]

    def __str__(self) -> str:
        return str(self.get_art_display())

    def clean(self) -> None:
        fehler = {}
        if self.art == RechtstextArt.BARRIEREFREIHEIT:
            for feld in ("erklaerung_vom", "geprueft_am"):
                if getattr(self, feld) is None:
                    fehler[feld] = _("Die Erklärung zur Barrierefreiheit nennt dieses Datum.")
            heute = timezone.localdate()
            for feld in ("erklaerung_vom", "geprueft_am"):
                wert = getattr(self, feld)
                if wert is not None and wert > heute and feld not in fehler:
                    fehler[feld] = _("Das Datum liegt in der Zukunft.")
            if (
                self.erklaerung_vom
                and self.geprueft_am
                and self.geprueft_am < self.erklaerung_vom
                and "geprueft_am" not in fehler
            ):
                fehler["geprueft_am"] = _(
                    "Die Überprüfung kann nicht vor der Erstellung der Erklärung liegen."
                )
        else:
            for feld in ("erklaerung_vom", "geprueft_am"):
                if getattr(self, feld) is not None:
                    fehler[feld] = _("Nur die Erklärung zur Barrierefreiheit nennt dieses Datum.")
        if fehler:
            raise ValidationError(fehler)

    def text(self, sprache: str) -> tuple[str, str]:
        """The text in `sprache` and the language it is in: English falls back to German."""
        if sprache == "en" and self.text_en.strip():
            return self.text_en, "en"
        return self.text_de, "de"
