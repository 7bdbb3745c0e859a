"""Ergebnis, a shareable study result, and Dokument, one of its files."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kommunen.models import BefristeteGruppenberechtigung, Freigabe, Freigebbar, Zugangsanfrage
from kommunen.validators import einzeilig
from projekte.models import SHARE_PERMISSIONS, Initiative, Projekt, Thema

from .dateipruefung import ART_IN_WORTEN


class Ergebnis(Freigebbar):
    class Art(models.TextChoices):
        STUDIE = "studie", _("Studie")
        GUTACHTEN = "gutachten", _("Gutachten")
        KONZEPT = "konzept", _("Konzept")
        LEITFADEN = "leitfaden", _("Leitfaden")
        EVALUATION = "evaluation", _("Evaluation")
        BERICHT = "bericht", _("Bericht")
        SONSTIGES = "sonstiges", _("Sonstiges")

    titel = models.CharField(_("Titel"), max_length=200, validators=[einzeilig])
    zusammenfassung = models.TextField(_("Zusammenfassung"), max_length=1000)
    text = models.TextField(_("Beschreibung"), blank=True)
    art = models.CharField(_("Art"), max_length=12, choices=Art.choices, default=Art.STUDIE)
    datum = models.DateField(_("Datum"), null=True, blank=True)
    autoren = models.CharField(
        _("Autorinnen/Autoren oder Auftragnehmer"),
        max_length=300,
        blank=True,
        validators=[einzeilig],
    )
    projekt = models.ForeignKey(
        Projekt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ergebnisse",
        verbose_name=_("Projekt"),
    )
    # Classified like projects, so that a study is found under its topic even without one.
    themen = models.ManyToManyField(
        Thema, blank=True, related_name="ergebnisse", verbose_name=_("Themen")
    )
    initiativen = models.ManyToManyField(
        Initiative, blank=True, related_name="ergebnisse", verbose_name=_("Initiativen")
    )
    # PostgreSQL full-text search (german), two stored vectors (docs/decisions/0005):
    # `suchvektor` holds the metadata only (title, summary, text), matched for everyone who
    # may see the result; `suchvektor_mit_dokumenten` holds the same plus the documents'
    # extracted text, matched only for those who may download the documents.
    suchvektor = SearchVectorField(null=True, editable=False)
    suchvektor_mit_dokumenten = SearchVectorField(null=True, editable=False)
    # SQLite (the demo): the stems of the metadata, and of the documents, as text.
    suchtext = models.TextField(blank=True, default="", editable=False)
    suchtext_dokumente = models.TextField(blank=True, default="", editable=False)

    freigaben = GenericRelation(Freigabe, related_query_name="ergebnis")
    zugangsanfragen = GenericRelation(Zugangsanfrage, related_query_name="ergebnis")

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        ordering = ["-erstellt_am", "-id"]
        permissions = SHARE_PERMISSIONS("ergebnis")
        indexes = [
            models.Index(fields=["kommune", "-erstellt_am"]),
            # Lists are newest first: page 1 reads the index instead of scanning the table.
            models.Index(fields=["-erstellt_am", "-id"], name="ergebnis_neueste"),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("wissen:detail", args=[self.pk])

    def dokumente_seit(self, zeitpunkt) -> list:
        dokumente = self.dokumente.defer("text")
        if zeitpunkt is not None:
            dokumente = dokumente.filter(hochgeladen_am__gt=zeitpunkt)
        return list(dokumente.order_by("hochgeladen_am", "pk"))


def dokument_pfad(instance: "Dokument", filename: str) -> str:
    # The stored name never derives from the user's file name.
    return f"dokumente/{instance.ergebnis.kommune_id}/{instance.sha256[:2]}/{instance.sha256}"


class Dokument(models.Model):
    class Extraktion(models.TextChoices):
        WARTET = "wartet", _("wartet")
        LAEUFT = "laeuft", _("läuft")
        FERTIG = "fertig", _("fertig")
        # Over its time or page budget: what was read is searchable, the reason says the rest.
        TEILWEISE = "teilweise", _("teilweise")
        FEHLER = "fehler", _("fehlgeschlagen")

    class Textquelle(models.TextChoices):
        TEXTEBENE = "textebene", _("Text der Datei")
        OCR = "ocr", _("Texterkennung (OCR)")
        GEMISCHT = "gemischt", _("Text der Datei und Texterkennung (OCR)")

    ergebnis = models.ForeignKey(Ergebnis, on_delete=models.CASCADE, related_name="dokumente")
    datei = models.FileField(upload_to=dokument_pfad, max_length=300)
    originalname = models.CharField(_("Dateiname"), max_length=255, validators=[einzeilig])
    groesse = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    sha256 = models.CharField(max_length=64)
    mime = models.CharField(_("Dateityp"), max_length=120)
    hochgeladen_von = models.ForeignKey(
        "kommunen.Benutzer", on_delete=models.PROTECT, related_name="+"
    )
    hochgeladen_am = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)
    extraktion = models.CharField(
        max_length=10, choices=Extraktion.choices, default=Extraktion.WARTET
    )
    # The German reason of a failed or partial extraction.
    extraktion_fehler = models.CharField(max_length=300, blank=True)
    extraktion_fortschritt = models.PositiveSmallIntegerField(default=0)
    # Paged formats (PDF, images): the page being read while running.
    extraktion_seite = models.PositiveIntegerField(default=0)
    # How the text was obtained (decision 0014): from the file itself, by OCR, or both; the
    # pages of a PDF or image file, those OCR read, and the mean confidence of its words.
    textquelle = models.CharField(
        _("Herkunft des Textes"), max_length=10, choices=Textquelle.choices, blank=True
    )
    seiten = models.PositiveIntegerField(_("Seiten"), null=True, blank=True)
    ocr_seiten = models.PositiveIntegerField(_("per Texterkennung gelesene Seiten"), default=0)
    ocr_konfidenz = models.FloatField(_("mittlere Erkennungssicherheit (%)"), null=True, blank=True)
    # When the running extraction started: a run older than the task's time limit is dead
    # (worker lost) and the periodic sweep queues it again.
    extraktion_begonnen = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["hochgeladen_am", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ergebnis", "sha256"], name="dokument_einmal_je_ergebnis"
            )
        ]

    def __str__(self) -> str:
        return self.originalname

    @property
    def art_in_worten(self) -> str:
        """The type as people name it („PDF-Dokument“); the MIME string where none is known."""
        return str(ART_IN_WORTEN.get(self.mime, self.mime))


def fassung_pfad(instance: "Dokumentfassung", filename: str) -> str:
    # An earlier version keeps the name its file had while it was current (same scheme).
    return (
        f"dokumente/{instance.dokument.ergebnis.kommune_id}/{instance.sha256[:2]}/{instance.sha256}"
    )


class Dokumentfassung(models.Model):
    """An earlier version of a document, kept for its owner when the document was replaced.

    Only the current version (the Dokument row) is shared, searched and shown to recipients;
    these rows are the owner's history and go with the document, files included."""

    dokument = models.ForeignKey(Dokument, on_delete=models.CASCADE, related_name="fassungen")
    datei = models.FileField(upload_to=fassung_pfad, max_length=300)
    originalname = models.CharField(_("Dateiname"), max_length=255)
    groesse = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    sha256 = models.CharField(max_length=64)
    mime = models.CharField(_("Dateityp"), max_length=120)
    hochgeladen_von = models.ForeignKey(
        "kommunen.Benutzer", on_delete=models.PROTECT, related_name="+"
    )
    hochgeladen_am = models.DateTimeField()
    ersetzt_von = models.ForeignKey("kommunen.Benutzer", on_delete=models.PROTECT, related_name="+")
    ersetzt_am = models.DateTimeField()

    class Meta:
        verbose_name = _("frühere Fassung eines Dokuments")
        verbose_name_plural = _("frühere Fassungen von Dokumenten")
        ordering = ["-ersetzt_am", "-id"]

    def __str__(self) -> str:
        return self.originalname

    @property
    def art_in_worten(self) -> str:
        return str(ART_IN_WORTEN.get(self.mime, self.mime))


class ErgebnisGroupObjectPermission(BefristeteGruppenberechtigung):
    content_object = models.ForeignKey(Ergebnis, on_delete=models.CASCADE)

    class Meta(BefristeteGruppenberechtigung.Meta):
        indexes = [
            # visible() reads only this index (index-only scan): the dates are included.
            models.Index(
                fields=["group", "permission", "content_object"],
                include=["gueltig_ab", "gueltig_bis"],
                name="ergebnis_recht_gruppe",
            )
        ]
