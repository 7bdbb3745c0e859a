"""Projekt, a shareable digitalisation project, with its Themen, Initiativen and Beteiligung."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from kommunen.models import Freigabe, Freigebbar, Zugangsanfrage

SHARE_PERMISSIONS = lambda name: [  # noqa: E731
    (f"download_{name}", _("Dokumente herunterladen")),
    (f"share_{name}", _("Freigaben verwalten")),
]


class Thema(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Initiative(models.Model):
    """A federal or state programme (OZG/EfA, BayernPortal, Digitalplan Bayern, ...)."""

    class Ebene(models.TextChoices):
        EU = "eu", _("EU")
        BUND = "bund", _("Bund")
        LAND = "land", _("Land Bayern")
        KOMMUNAL = "kommunal", _("kommunal")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    ebene = models.CharField(_("Ebene"), max_length=10, choices=Ebene.choices)
    beschreibung = models.TextField(_("Was sie für Städte bedeutet"), blank=True)
    url = models.URLField(_("Weitere Informationen"), blank=True)

    class Meta:
        verbose_name = _("Initiative")
        verbose_name_plural = _("Initiativen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Projekt(Freigebbar):
    class Status(models.TextChoices):
        IDEE = "idee", _("Idee")
        PLANUNG = "planung", _("Planung")
        UMSETZUNG = "umsetzung", _("Umsetzung")
        BETRIEB = "betrieb", _("Betrieb")
        ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")

    titel = models.CharField(_("Titel"), max_length=200)
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
        _("Budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    kontakt = models.CharField(_("Kontakt"), max_length=200, blank=True)

    freigaben = GenericRelation(Freigabe, related_query_name="projekt")
    zugangsanfragen = GenericRelation(Zugangsanfrage, related_query_name="projekt")

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["-erstellt_am", "-id"]
        permissions = SHARE_PERMISSIONS("projekt")
        indexes = [models.Index(fields=["kommune", "-erstellt_am"])]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("projekte:detail", args=[self.pk])


class Beteiligung(models.Model):
    """Which stakeholders of city and region take part in a project, and how."""

    class Art(models.TextChoices):
        INFORMATION = "information", _("Information")
        KONSULTATION = "konsultation", _("Konsultation")
        MITWIRKUNG = "mitwirkung", _("Mitwirkung")
        MITENTSCHEIDUNG = "mitentscheidung", _("Mitentscheidung")

    projekt = models.ForeignKey(Projekt, on_delete=models.CASCADE, related_name="beteiligungen")
    akteur = models.CharField(_("Beteiligte"), max_length=200)
    art = models.CharField(_("Form der Beteiligung"), max_length=16, choices=Art.choices)
    beschreibung = models.TextField(_("Wie"), blank=True)

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")

    def __str__(self) -> str:
        return f"{self.akteur} ({self.get_art_display()})"


class ProjektUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Projekt, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission", "user"])]


class ProjektGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Projekt, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission", "group"])]
