"""The tenants: Kommune, Verbund, the user model and the public group."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..validators import einzeilig

ags_validator = RegexValidator(
    r"^\d{8}\Z",
    _("Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern, z. B. 09564000."),
    code="ags",
)


class Rolle(models.TextChoices):
    MITARBEIT = "mitarbeit", _("Mitarbeiter/in")
    HERAUSGABE = "herausgabe", _("Herausgeber/in")
    FREIGABE_ADMIN = "freigabe_admin", _("Freigabe-Admin")


class Kommune(models.Model):
    name = models.CharField(_("Name"), max_length=200, validators=[einzeilig])
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    ags = models.CharField(
        _("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True, validators=[ags_validator]
    )
    aktiv = models.BooleanField(_("aktiv"), default=True)
    kontakt = models.CharField(
        _("Öffentlicher Kontakt"),
        max_length=200,
        blank=True,
        # Rows written around the ORM (bulk loads, COPY) get the empty contact too.
        default="",
        db_default="",
        validators=[einzeilig],
        help_text=_(
            "Stelle und E-Mail-Adresse oder Telefonnummer, an die sich Besucherinnen und "
            "Besucher öffentlich geteilter Objekte wenden."
        ),
    )
    gruppe_mitglieder = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="kommune_mitglieder", editable=False
    )
    gruppe_mitarbeit = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="kommune_mitarbeit", editable=False
    )
    gruppe_herausgabe = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="kommune_herausgabe", editable=False
    )
    gruppe_freigabe_admin = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="kommune_freigabe_admin", editable=False
    )

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ags__regex=r"^[0-9]{8}$"), name="kommune_ags_8_ziffern"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def rollengruppe(self, rolle: str) -> Group:
        return {
            Rolle.MITARBEIT: self.gruppe_mitarbeit,
            Rolle.HERAUSGABE: self.gruppe_herausgabe,
            Rolle.FREIGABE_ADMIN: self.gruppe_freigabe_admin,
        }[rolle]

    def rollengruppen_ids(self) -> dict[str, int]:
        return {
            Rolle.MITARBEIT: self.gruppe_mitarbeit_id,
            Rolle.HERAUSGABE: self.gruppe_herausgabe_id,
            Rolle.FREIGABE_ADMIN: self.gruppe_freigabe_admin_id,
        }


class Verbund(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True, validators=[einzeilig])
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    mitglieder = models.ManyToManyField(
        Kommune, related_name="verbuende", blank=True, verbose_name=_("Mitglieder")
    )
    vereinbarung_titel = models.CharField(
        _("Titel der Vereinbarung"), max_length=300, validators=[einzeilig]
    )
    vereinbarung_datum = models.DateField(_("Datum der Vereinbarung"))
    vereinbarung_dokument = models.FileField(
        _("Vereinbarung (Dokument)"), upload_to="verbuende/", blank=True
    )
    gruppe = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="verbund", editable=False
    )

    class Meta:
        verbose_name = _("Verbund")
        verbose_name_plural = _("Verbünde")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Benutzer(AbstractUser):
    """A person using the portal. City users belong to exactly one Kommune with one role."""

    kommune = models.ForeignKey(
        Kommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benutzer",
        verbose_name=_("Kommune"),
    )
    rolle = models.CharField(_("Rolle"), max_length=20, choices=Rolle.choices, blank=True)
    benachrichtigung = models.CharField(
        _("Benachrichtigungen"),
        max_length=12,
        choices=[
            ("sofort", _("sofort per E-Mail")),
            ("woechentlich", _("wöchentliche Zusammenfassung")),
            ("aus", _("keine E-Mails")),
        ],
        default="sofort",
    )

    class Meta:
        verbose_name = _("Benutzer/in")
        verbose_name_plural = _("Benutzer/innen")
        constraints = [
            # A city user has a Kommune and a role; only operators (staff) and guardian's
            # anonymous user may have neither.
            models.CheckConstraint(
                condition=(
                    Q(kommune__isnull=False) & ~Q(rolle="")
                    | Q(kommune__isnull=True, rolle="", is_staff=True)
                    | Q(kommune__isnull=True, rolle="", username="AnonymousUser")
                ),
                name="benutzer_kommune_und_rolle",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.rolle and self.rolle not in Rolle.values:
            raise ValidationError({"rolle": _("Unbekannte Rolle.")})
        if self.kommune_id is None and not self.is_staff and not self.ist_anonym:
            raise ValidationError(
                {
                    "kommune": _(
                        "Jede Benutzerin und jeder Benutzer einer Stadt gehört zu einer Kommune."
                    )
                }
            )
        if self.kommune_id is not None and not self.rolle:
            raise ValidationError({"rolle": _("Bitte eine Rolle in der Kommune wählen.")})
        if self.kommune_id is None and self.rolle:
            raise ValidationError(
                {"rolle": _("Eine Rolle gibt es nur zusammen mit einer Kommune.")}
            )

    @property
    def ist_anonym(self) -> bool:
        return self.username == "AnonymousUser"

    @property
    def ist_freigabe_admin(self) -> bool:
        return self.kommune_id is not None and self.rolle == Rolle.FREIGABE_ADMIN

    @property
    def ist_herausgabe(self) -> bool:
        return self.kommune_id is not None and self.rolle == Rolle.HERAUSGABE


def anonymer_benutzer_init(user_model, **kwargs):
    """guardian's anonymous user: no Kommune, no role, cannot log in."""
    user = user_model(**kwargs)
    user.set_unusable_password()
    return user


class OeffentlicheGruppe(models.Model):
    """Points at the one group that holds every user and guardian's anonymous user."""

    gruppe = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("öffentliche Gruppe")
        verbose_name_plural = _("öffentliche Gruppe")

    def __str__(self) -> str:
        return str(self.gruppe)
