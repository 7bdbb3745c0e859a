"""Projekt, a shareable digitalisation project, with its Themen, Initiativen and Beteiligung."""

from collections.abc import Iterable

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kommunen.models import (
    BefristeteGruppenberechtigung,
    Freigabe,
    Freigebbar,
    Kommune,
    Zugangsanfrage,
)
from kommunen.validators import einzeilig

SHARE_PERMISSIONS = lambda name: [  # noqa: E731
    (f"download_{name}", _("Dokumente herunterladen")),
    (f"share_{name}", _("Freigaben verwalten")),
]


KEIN_MINUS_BUDGET = MinValueValidator(0, message=_("Das Budget kann nicht negativ sein."))
KEIN_MINUS_EINSPARUNG = MinValueValidator(
    0, message=_("Die Einsparung kann nicht negativ sein. Lassen Sie das Feld sonst leer.")
)


def _auf_englisch() -> bool:
    return (get_language() or "").startswith("en")


def englischer_name(*, max_length: int) -> models.CharField:
    """The English name of a vocabulary entry (Thema, Initiative), shown on English pages."""
    return models.CharField(
        _("Name auf Englisch"),
        max_length=max_length,
        blank=True,
        # Rows written around the ORM (bulk loads, COPY) get no English name.
        default="",
        db_default="",
        validators=[einzeilig],
        help_text=_("Wird auf den englischen Seiten gezeigt; leer: der deutsche Name."),
    )


class Thema(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True, validators=[einzeilig])
    name_en = englischer_name(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        """The name in the page's language."""
        return self.name_en if self.name_en and _auf_englisch() else self.name


class Initiative(models.Model):
    """A federal or state programme (OZG/EfA, BayernPortal, Digitalplan Bayern, ...)."""

    class Ebene(models.TextChoices):
        EU = "eu", _("EU")
        BUND = "bund", _("Bund")
        LAND = "land", _("Land Bayern")
        KOMMUNAL = "kommunal", _("kommunal")

    name = models.CharField(_("Name"), max_length=200, unique=True, validators=[einzeilig])
    name_en = englischer_name(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    ebene = models.CharField(_("Ebene"), max_length=10, choices=Ebene.choices)
    beschreibung = models.TextField(_("Was sie für Städte bedeutet"), blank=True)
    url = models.URLField(_("Weitere Informationen"), blank=True)

    class Meta:
        verbose_name = _("Initiative")
        verbose_name_plural = _("Initiativen")
        ordering = ["name"]

    def __str__(self) -> str:
        """The name in the page's language."""
        return self.name_en if self.name_en and _auf_englisch() else self.name


class Projekt(Freigebbar):
    class Status(models.TextChoices):
        IDEE = "idee", _("Idee")
        PLANUNG = "planung", _("Planung")
        UMSETZUNG = "umsetzung", _("Umsetzung")
        BETRIEB = "betrieb", _("Betrieb")
        ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")

    titel = models.CharField(_("Titel"), max_length=200, validators=[einzeilig])
    zusammenfassung = models.TextField(_("Zusammenfassung"), max_length=1000)
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    status = models.CharField(
        _("Status"), max_length=14, choices=Status.choices, default=Status.PLANUNG
    )
    themen = models.ManyToManyField(Thema, blank=True, related_name="projekte")
    initiativen = models.ManyToManyField(Initiative, blank=True, related_name="projekte")
    laufzeit_von = models.DateField(_("Laufzeit von"), null=True, blank=True)
    laufzeit_bis = models.DateField(_("Laufzeit bis"), null=True, blank=True)
    budget_eur = models.DecimalField(
        _("Budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[KEIN_MINUS_BUDGET],
    )
    # What the figure covers (licences, staff, consulting, ...): without it partners cannot
    # compare it with their own plans or judge what reusing saves them.
    budget_umfang = models.CharField(
        _("Was das Budget umfasst"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        validators=[einzeilig],
    )
    kontakt = models.CharField(_("Kontakt"), max_length=200, blank=True, validators=[einzeilig])
    # A framework agreement the project concluded, and the Kommunen it names as entitled to
    # call off. Only those may call off (§ 21 Abs. 2 VgV; below the EU thresholds § 15 UVgO):
    # nachnutzung_erklaeren refuses a call-off wish of any other Kommune.
    rahmenvertrag = models.CharField(
        _("Rahmenvertrag"), max_length=300, blank=True, validators=[einzeilig]
    )
    rahmenvertrag_kommunen = models.ManyToManyField(
        Kommune, blank=True, related_name="+", verbose_name=_("Abrufberechtigte Kommunen")
    )
    # Search (projekte/suche.py): on PostgreSQL a GIN-indexed vector of stems (title,
    # summary, Kommune, Themen, Initiativen, description); on SQLite the same stems as text.
    suchvektor = SearchVectorField(null=True, editable=False)
    suchtext = models.TextField(blank=True, default="", editable=False)
    # How many other Kommunen declared they reuse it (projekte.services.nutzung): the search
    # ranks reused projects a little higher.
    nachnutzende_kommunen = models.PositiveSmallIntegerField(default=0, editable=False)

    freigaben = GenericRelation(Freigabe, related_query_name="projekt")
    zugangsanfragen = GenericRelation(Zugangsanfrage, related_query_name="projekt")

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["-erstellt_am", "-id"]
        permissions = SHARE_PERMISSIONS("projekt")
        indexes = [
            models.Index(fields=["kommune", "-erstellt_am"]),
            # Lists are newest first: page 1 reads the index instead of scanning the table.
            models.Index(fields=["-erstellt_am", "-id"], name="projekt_neueste"),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("projekte:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        # Blank is no agreement: the reuse form and the page test it for truth.
        self.rahmenvertrag = self.rahmenvertrag.strip()

    def rahmenvertrag_pruefen(self, kommunen: Iterable) -> None:
        """Kommunen entitled to call off exist only with the framework agreement that names
        them. `kommunen` are the ones about to be stored (the M2M is not set yet)."""
        if list(kommunen) and not self.rahmenvertrag.strip():
            raise ValidationError(
                {
                    "rahmenvertrag": _(
                        "Abrufberechtigte Kommunen gibt es nur mit einem Rahmenvertrag: Bitte "
                        "Titel oder Aktenzeichen des Rahmenvertrags angeben oder die Kommunen "
                        "abwählen."
                    )
                }
            )

    def abruf_verweigert_text(self) -> str:
        """Why a Kommune the framework agreement does not name cannot call off, and what it
        can do instead: shown in the reuse form and given as the service's refusal."""
        return gettext(
            "Ein Abruf aus dem Rahmenvertrag „%(rahmenvertrag)s“ ist für Ihre Kommune nicht "
            "möglich: Abrufen dürfen nur die Auftraggeber, die Ausschreibung und Vertrag "
            "ausdrücklich nennen, und dieser Vertrag nennt Ihre Kommune nicht (§ 21 Abs. 2 VgV; "
            "unterhalb der EU-Schwellenwerte § 15 UVgO). Sie können aber Konzept und "
            "Leistungsbeschreibung für eine eigene Ausschreibung nachnutzen."
        ) % {"rahmenvertrag": self.rahmenvertrag}

    def rahmenvertrag_nennt(self, kommune_id) -> bool:
        """Whether the framework agreement names this Kommune (uses the prefetched list of
        the detail page when there is one)."""
        if not self.rahmenvertrag or kommune_id is None:
            return False
        liste = getattr(self, "rahmenvertrag_kommunen_liste", None)
        if liste is not None:
            return any(k.pk == kommune_id for k in liste)
        return self.rahmenvertrag_kommunen.filter(pk=kommune_id).exists()


class Beteiligung(models.Model):
    """Which stakeholders of city and region take part in a project, and how."""

    class Art(models.TextChoices):
        INFORMATION = "information", _("Information")
        KONSULTATION = "konsultation", _("Konsultation")
        MITWIRKUNG = "mitwirkung", _("Mitwirkung")
        MITENTSCHEIDUNG = "mitentscheidung", _("Mitentscheidung")

    projekt = models.ForeignKey(Projekt, on_delete=models.CASCADE, related_name="beteiligungen")
    akteur = models.CharField(_("Beteiligte"), max_length=200, validators=[einzeilig])
    art = models.CharField(_("Form der Beteiligung"), max_length=16, choices=Art.choices)
    beschreibung = models.TextField(_("Wie"), blank=True)

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")

    def __str__(self) -> str:
        return f"{self.akteur} ({self.get_art_display()})"


class Abo(models.Model):
    """A user follows a Thema, an Initiative or a Kommune."""

    benutzer = models.ForeignKey("kommunen.Benutzer", on_delete=models.CASCADE, related_name="abos")
    thema = models.ForeignKey(Thema, on_delete=models.CASCADE, null=True, blank=True)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, null=True, blank=True)
    kommune = models.ForeignKey(Kommune, on_delete=models.CASCADE, null=True, blank=True)
    erstellt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abo")
        verbose_name_plural = _("Abos")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thema__isnull=False, initiative__isnull=True, kommune__isnull=True)
                    | models.Q(thema__isnull=True, initiative__isnull=False, kommune__isnull=True)
                    | models.Q(thema__isnull=True, initiative__isnull=True, kommune__isnull=False)
                ),
                name="abo_genau_ein_ziel",
            ),
            models.UniqueConstraint(fields=["benutzer", "thema"], name="abo_thema_einmal"),
            models.UniqueConstraint(
                fields=["benutzer", "initiative"], name="abo_initiative_einmal"
            ),
            models.UniqueConstraint(fields=["benutzer", "kommune"], name="abo_kommune_einmal"),
        ]

    def __str__(self) -> str:
        return str(self.thema or self.initiative or self.kommune)


class Nachnutzung(models.Model):
    """Interest of another city's user in reusing a project; the owner sees it with the contact."""

    projekt = models.ForeignKey(Projekt, on_delete=models.CASCADE, related_name="nachnutzungen")
    benutzer = models.ForeignKey(
        "kommunen.Benutzer", on_delete=models.PROTECT, related_name="nachnutzungen"
    )
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="+")
    nachricht = models.TextField(_("Nachricht"), max_length=2000, blank=True)
    # The reusing Kommune wants to call off from the project's framework agreement; stored
    # only when the agreement names it (projekte.services.nutzung.nachnutzung_erklaeren).
    rahmenvertrag_abrufen = models.BooleanField(_("Aus dem Rahmenvertrag abrufen"), default=False)
    # The reusing Kommune's own estimate of what it did not have to spend; only that Kommune
    # records and changes it (projekte.services.nutzung.einsparung_setzen).
    einsparung_eur = models.DecimalField(
        _("Geschätzte Einsparung (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[KEIN_MINUS_EINSPARUNG],
    )
    erstellt_am = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Nachnutzung")
        verbose_name_plural = _("Nachnutzungen")
        ordering = ["-erstellt_am"]
        constraints = [
            models.UniqueConstraint(fields=["projekt", "benutzer"], name="nachnutzung_einmal")
        ]

    def __str__(self) -> str:
        return f"{self.kommune}: {self.projekt}"


class ProjektGroupObjectPermission(BefristeteGruppenberechtigung):
    content_object = models.ForeignKey(Projekt, on_delete=models.CASCADE)

    class Meta(BefristeteGruppenberechtigung.Meta):
        indexes = [
            # visible() reads only this index (index-only scan): the dates are included.
            models.Index(
                fields=["group", "permission", "content_object"],
                include=["gueltig_ab", "gueltig_bis"],
                name="projekt_recht_gruppe",
            )
        ]
