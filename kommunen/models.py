"""Kommune, Verbund, Benutzer, the legal metadata of shareable objects, Freigabe and Protokoll."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from .validators import einzeilig

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


# The open ends of a permission row's validity: ownership has no dates, a Freigabe has its own.
IMMER_AB = dt.date(1, 1, 1)
IMMER_BIS = dt.date(9999, 12, 31)


class BefristeteGruppenberechtigung(GroupObjectPermissionBase):
    """guardian's direct-FK group permission row, valid from/until a day (see sharing.py).

    A row is counted only while `gueltig_ab <= today <= gueltig_bis`, so a Freigabe ends (or
    starts) at the moment of each read, not when a periodic task gets round to it. Two
    Freigaben with the same recipient and right but other dates are two rows.
    """

    gueltig_ab = models.DateField(default=IMMER_AB, db_default=IMMER_AB)
    gueltig_bis = models.DateField(default=IMMER_BIS, db_default=IMMER_BIS)

    class Meta:
        abstract = True
        unique_together = ()
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "permission", "group", "gueltig_ab", "gueltig_bis"],
                name="%(app_label)s_%(class)s_einmal_je_frist",
            )
        ]


class OeffentlicheGruppe(models.Model):
    """Points at the one group that holds every user and guardian's anonymous user."""

    gruppe = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("öffentliche Gruppe")
        verbose_name_plural = _("öffentliche Gruppe")

    def __str__(self) -> str:
        return str(self.gruppe)


# --- the legal metadata of everything that can be shared -----------------------------------


class Einstufung(models.TextChoices):
    OFFEN = "offen", _("offen (darf veröffentlicht werden)")
    INTERN = "intern", _("intern")
    VS_NFD = "vs_nfd", _("VS – Nur für den Dienstgebrauch")


class Personenbezug(models.TextChoices):
    KEINER = "keiner", _("kein Personenbezug")
    ANONYMISIERT = "anonymisiert", _("anonymisiert")
    PSEUDONYMISIERT = "pseudonymisiert", _("pseudonymisiert")
    PERSONENBEZOGEN = "personenbezogen", _("personenbezogen")
    BESONDERE_KATEGORIEN = "besondere_kategorien", _("besondere Kategorien (Art. 9 DSGVO)")


PERSONENBEZOGEN = {
    Personenbezug.PSEUDONYMISIERT,
    Personenbezug.PERSONENBEZOGEN,
    Personenbezug.BESONDERE_KATEGORIEN,
}


class Nutzungsrechte(models.TextChoices):
    EIGENE = "eigene", _("eigene (von Beschäftigten der Stadt erstellt)")
    WEITERGABE = "weitergabe_oeffentliche_stellen", _("Weitergabe an öffentliche Stellen erlaubt")
    UMFASSEND = "umfassend", _("umfassend (auch Veröffentlichung)")
    NUR_INTERN = "nur_intern", _("nur für interne Zwecke")
    UNGEKLAERT = "ungeklaert", _("ungeklärt")


class Vergabebezug(models.TextChoices):
    KEINER = "keiner", _("kein Vergabebezug")
    LEISTUNGSBESCHREIBUNG = "eigene_leistungsbeschreibung", _("eigene Leistungsbeschreibung")
    BIETERUNTERLAGEN = "bieterunterlagen", _("Bieterunterlagen (Angebote, Preise, Wertung)")


class Gremienstatus(models.TextChoices):
    NICHT_BEFASST = "nicht_befasst", _("nicht im Gremium befasst")
    OEFFENTLICH = "oeffentlich_behandelt", _("öffentlich behandelt")
    NICHTOEFFENTLICH = "nichtoeffentlich", _("nichtöffentlich behandelt")


class Lizenz(models.TextChoices):
    KEINE = "", _("keine (alle Rechte vorbehalten)")
    DL_DE_BY = "DL-DE-BY-2.0", "Datenlizenz Deutschland – Namensnennung – 2.0"
    DL_DE_ZERO = "DL-DE-ZERO-2.0", "Datenlizenz Deutschland – Zero – 2.0"
    CC_BY = "CC-BY-4.0", "Creative Commons Namensnennung 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    EUPL = "EUPL-1.2", "European Union Public Licence 1.2"


LIZENZEN_MIT_NAMENSNENNUNG = {Lizenz.DL_DE_BY, Lizenz.CC_BY}


class Freigebbar(models.Model):
    """What every shareable object carries: its owner and its legal metadata."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="+", verbose_name=_("Kommune")
    )
    erstellt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erstellt von"),
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), default=timezone.now, editable=False)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    dokumente_geaendert_am = models.DateTimeField(
        _("Dokumente zuletzt geändert"), null=True, blank=True, editable=False
    )

    einstufung = models.CharField(
        _("Einstufung"), max_length=10, choices=Einstufung.choices, default=Einstufung.INTERN
    )
    personenbezug = models.CharField(
        _("Personenbezug"),
        max_length=24,
        choices=Personenbezug.choices,
        default=Personenbezug.KEINER,
    )
    rechtsgrundlage = models.CharField(
        _("Rechtsgrundlage der Verarbeitung"), max_length=300, blank=True, validators=[einzeilig]
    )
    zweck = models.CharField(
        _("Zweck der Verarbeitung"), max_length=300, blank=True, validators=[einzeilig]
    )
    loeschdatum = models.DateField(_("Löschdatum"), null=True, blank=True)
    dsfa_durchgefuehrt = models.BooleanField(
        _("Datenschutz-Folgenabschätzung durchgeführt"), default=False
    )
    dsfa_referenz = models.CharField(
        _("Aktenzeichen der DSFA"), max_length=200, blank=True, validators=[einzeilig]
    )
    nutzungsrechte = models.CharField(
        _("Nutzungsrechte"),
        max_length=32,
        choices=Nutzungsrechte.choices,
        default=Nutzungsrechte.UNGEKLAERT,
    )
    vergabebezug = models.CharField(
        _("Vergabebezug"), max_length=30, choices=Vergabebezug.choices, default=Vergabebezug.KEINER
    )
    geschwaerzt = models.BooleanField(_("geschwärzt"), default=False)
    gremienstatus = models.CharField(
        _("Gremienstatus"),
        max_length=24,
        choices=Gremienstatus.choices,
        default=Gremienstatus.NICHT_BEFASST,
    )
    lizenz = models.CharField(
        _("Lizenz"), max_length=20, choices=Lizenz.choices, blank=True, default=Lizenz.KEINE
    )
    quellenvermerk = models.CharField(
        _("Quellenvermerk"), max_length=300, blank=True, validators=[einzeilig]
    )
    vsnfd_ansprechstelle = models.CharField(
        _("Ansprechstelle für VS-NfD-Unterlagen"),
        max_length=300,
        blank=True,
        validators=[einzeilig],
        help_text=_(
            "Wo die Unterlagen angefragt werden können (VS-NfD wird hier nicht gespeichert)."
        ),
    )

    LEGAL_FIELDS = (
        "einstufung",
        "personenbezug",
        "rechtsgrundlage",
        "zweck",
        "loeschdatum",
        "dsfa_durchgefuehrt",
        "dsfa_referenz",
        "nutzungsrechte",
        "vergabebezug",
        "geschwaerzt",
        "gremienstatus",
        "lizenz",
        "quellenvermerk",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.einstufung not in Einstufung.values:
            errors["einstufung"] = _(
                "Nur offen, intern oder VS-NfD sind zulässig: Der Wissensverbund ist kein "
                "zugelassenes VS-IT-System für VS-VERTRAULICH und höher."
            )
        if self.personenbezug in PERSONENBEZOGEN:
            if not self.rechtsgrundlage.strip():
                errors["rechtsgrundlage"] = _(
                    "Bei personenbezogenen Daten ist die Rechtsgrundlage anzugeben "
                    "(Art. 6 Abs. 1 DSGVO)."
                )
            if not self.zweck.strip():
                errors["zweck"] = _("Bei personenbezogenen Daten ist der Zweck anzugeben.")
            if not self.loeschdatum:
                errors["loeschdatum"] = _(
                    "Bei personenbezogenen Daten ist ein Löschdatum anzugeben."
                )
        if self.dsfa_durchgefuehrt and not self.dsfa_referenz.strip():
            errors["dsfa_referenz"] = _("Bitte das Aktenzeichen der DSFA angeben.")
        if self.geschwaerzt and self.vergabebezug != Vergabebezug.BIETERUNTERLAGEN:
            errors["geschwaerzt"] = _("„Geschwärzt“ betrifft nur Bieterunterlagen.")
        if self.lizenz in LIZENZEN_MIT_NAMENSNENNUNG and not self.quellenvermerk.strip():
            errors["quellenvermerk"] = _("Diese Lizenz verlangt einen Quellenvermerk.")
        if errors:
            raise ValidationError(errors)

    @property
    def ist_personenbezogen(self) -> bool:
        return self.personenbezug in PERSONENBEZOGEN

    def legal_snapshot(self) -> dict:
        return {f: str(getattr(self, f)) for f in self.LEGAL_FIELDS}


# --- sharing -------------------------------------------------------------------------------


class EmpfaengerArt(models.TextChoices):
    KOMMUNE = "kommune", _("Kommune")
    VERBUND = "verbund", _("Verbund")
    OEFFENTLICH = "oeffentlich", _("Öffentlichkeit")


class Umfang(models.TextChoices):
    METADATEN = "metadaten", _("nur Metadaten")
    VOLLSTAENDIG = "vollstaendig", _("vollständig (mit Dokumenten)")
    MITARBEIT = "mitarbeit", _("Mitarbeit (gemeinsam bearbeiten)")


class FreigabeStatus(models.TextChoices):
    BEANTRAGT = "beantragt", _("beantragt")
    ERTEILT = "erteilt", _("erteilt")
    ABGELEHNT = "abgelehnt", _("abgelehnt")
    WIDERRUFEN = "widerrufen", _("widerrufen")
    ABGELAUFEN = "abgelaufen", _("abgelaufen")
    AUSGESETZT = "ausgesetzt", _("ausgesetzt")


# A Freigabe in one of these states still stands or may stand again.
FREIGABE_OFFEN = (FreigabeStatus.BEANTRAGT, FreigabeStatus.ERTEILT, FreigabeStatus.AUSGESETZT)

FRIST_STANDARD_MONATE = 24


def standard_gueltig_bis(ab: dt.date | None = None) -> dt.date:
    ab = ab or timezone.localdate()
    jahr, monat = divmod(ab.month - 1 + FRIST_STANDARD_MONATE, 12)
    year = ab.year + jahr
    month = monat + 1
    day = min(ab.day, 28) if month == 2 else min(ab.day, 30 if month in (4, 6, 9, 11) else 31)
    return dt.date(year, month, day)


class FreigabeQuerySet(models.QuerySet):
    """Bulk writes cannot grant around the rules: granting goes through Freigabe.save()."""

    # Changing one of these on a granted row could widen what it shares.
    ERWEITERND = frozenset(
        {
            "content_type",
            "content_type_id",
            "object_id",
            "eigentuemer",
            "eigentuemer_id",
            "empfaenger_art",
            "empfaenger_kommune",
            "empfaenger_kommune_id",
            "empfaenger_verbund",
            "empfaenger_verbund_id",
            "umfang",
            "weitergabe_erlaubt",
        }
    )

    def update(self, **kwargs):
        erteilt = kwargs.get("status") == FreigabeStatus.ERTEILT
        erweitert = bool(self.ERWEITERND.intersection(kwargs)) or (
            "gueltig_bis" in kwargs and kwargs["gueltig_bis"] is None
        )
        if erteilt or (erweitert and self.filter(status=FreigabeStatus.ERTEILT).exists()):
            raise ValidationError(
                _(
                    "Freigaben werden nur einzeln erteilt oder geändert, damit jede die "
                    "rechtlichen Regeln besteht."
                ),
                code="sammelaenderung",
            )
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            if obj.status == FreigabeStatus.ERTEILT:
                obj.erteilung_pruefen()
        return super().bulk_create(objs, *args, **kwargs)


class Freigabe(models.Model):
    """One shared object, one recipient, one scope, with its legal basis and lifecycle."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    objekt = GenericForeignKey("content_type", "object_id")
    eigentuemer = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="freigaben_erteilt", editable=False
    )

    empfaenger_art = models.CharField(_("Empfänger"), max_length=12, choices=EmpfaengerArt.choices)
    empfaenger_kommune = models.ForeignKey(
        Kommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="freigaben_erhalten",
        verbose_name=_("Empfänger-Kommune"),
    )
    empfaenger_verbund = models.ForeignKey(
        Verbund,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="freigaben",
        verbose_name=_("Empfänger-Verbund"),
    )
    umfang = models.CharField(_("Umfang"), max_length=12, choices=Umfang.choices)
    rechtsgrundlage = models.CharField(
        _("Rechtsgrundlage der Weitergabe"), max_length=300, blank=True, validators=[einzeilig]
    )
    auflagen = models.TextField(_("Auflagen"), blank=True)
    gueltig_ab = models.DateField(_("gültig ab"), default=timezone.localdate)
    gueltig_bis = models.DateField(_("gültig bis"), null=True, blank=True)
    weitergabe_erlaubt = models.BooleanField(_("Weitergabe an Dritte erlaubt"), default=False)

    status = models.CharField(
        _("Status"), max_length=12, choices=FreigabeStatus.choices, default=FreigabeStatus.BEANTRAGT
    )
    dokumente_zurueckgehalten = models.BooleanField(
        _("Dokumente bis zur erneuten Prüfung zurückgehalten"), default=False
    )
    beantragt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    beantragt_am = models.DateTimeField(default=timezone.now)
    entschieden_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entschieden_am = models.DateTimeField(null=True, blank=True)
    begruendung = models.TextField(_("Begründung der Entscheidung"), blank=True)
    beendet_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    beendet_am = models.DateTimeField(null=True, blank=True)
    beendet_grund = models.TextField(blank=True)
    erinnert_am = models.DateTimeField(null=True, blank=True)

    objects = FreigabeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Freigabe")
        verbose_name_plural = _("Freigaben")
        ordering = ["-beantragt_am"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "status"]),
            models.Index(fields=["eigentuemer", "status"]),
            models.Index(fields=["status", "gueltig_bis"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        empfaenger_art="kommune",
                        empfaenger_kommune__isnull=False,
                        empfaenger_verbund__isnull=True,
                    )
                    | Q(
                        empfaenger_art="verbund",
                        empfaenger_kommune__isnull=True,
                        empfaenger_verbund__isnull=False,
                    )
                    | Q(
                        empfaenger_art="oeffentlich",
                        empfaenger_kommune__isnull=True,
                        empfaenger_verbund__isnull=True,
                    )
                ),
                name="freigabe_genau_ein_empfaenger",
            ),
            models.CheckConstraint(
                condition=Q(gueltig_bis__isnull=True) | Q(gueltig_bis__gte=models.F("gueltig_ab")),
                name="freigabe_frist_reihenfolge",
            ),
            # One open Freigabe per object, recipient and scope: a second one (say from an
            # access request) would keep access alive after the first is revoked.
            models.UniqueConstraint(
                "content_type",
                "object_id",
                "empfaenger_art",
                Coalesce("empfaenger_kommune", 0),
                Coalesce("empfaenger_verbund", 0),
                "umfang",
                condition=Q(status__in=FREIGABE_OFFEN),
                name="freigabe_einmal_offen_je_empfaenger_und_umfang",
                violation_error_message=_(
                    "Für diesen Empfänger und Umfang gibt es schon eine offene Freigabe."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Freigabe {self.pk}: {self.empfaenger_bezeichnung} ({self.get_umfang_display()})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.status == FreigabeStatus.ERTEILT and (
            update_fields is None or self.RECHTLICH_RELEVANT.intersection(update_fields)
        ):
            self.erteilung_pruefen()
        super().save(*args, **kwargs)

    @property
    def empfaenger_bezeichnung(self) -> str:
        if self.empfaenger_art == EmpfaengerArt.KOMMUNE and self.empfaenger_kommune_id:
            return str(self.empfaenger_kommune)
        if self.empfaenger_art == EmpfaengerArt.VERBUND and self.empfaenger_verbund_id:
            return str(self.empfaenger_verbund)
        return str(_("Öffentlichkeit"))

    @property
    def ist_aktiv(self) -> bool:
        heute = timezone.localdate()
        return (
            self.status == FreigabeStatus.ERTEILT
            and self.gueltig_ab <= heute
            and (self.gueltig_bis is None or self.gueltig_bis >= heute)
        )

    def umstaende(self, objekt=None):
        """The facts beyond object and Freigabe that rules.check needs, read now."""
        from . import rules  # rules imports this module

        im_verbund = None
        if self.empfaenger_art == EmpfaengerArt.VERBUND and self.empfaenger_verbund_id:
            kommune_id = objekt.kommune_id if objekt is not None else self.eigentuemer_id
            im_verbund = Verbund.mitglieder.through.objects.filter(
                verbund_id=self.empfaenger_verbund_id, kommune_id=kommune_id
            ).exists()
        return rules.Umstaende(eigentuemer_im_verbund=im_verbund)

    def clean(self) -> None:
        errors = {}
        art = self.empfaenger_art
        if art == EmpfaengerArt.KOMMUNE and not self.empfaenger_kommune_id:
            errors["empfaenger_kommune"] = _("Bitte die Empfänger-Kommune wählen.")
        if art == EmpfaengerArt.VERBUND and not self.empfaenger_verbund_id:
            errors["empfaenger_verbund"] = _("Bitte den Empfänger-Verbund wählen.")
        if art != EmpfaengerArt.KOMMUNE and self.empfaenger_kommune_id:
            errors["empfaenger_kommune"] = _(
                "Eine Kommune ist nur als Empfänger-Art „Kommune“ möglich."
            )
        if art != EmpfaengerArt.VERBUND and self.empfaenger_verbund_id:
            errors["empfaenger_verbund"] = _(
                "Ein Verbund ist nur als Empfänger-Art „Verbund“ möglich."
            )
        if (
            art == EmpfaengerArt.KOMMUNE
            and self.empfaenger_kommune_id
            and self.empfaenger_kommune_id == self.eigentuemer_id
        ):
            errors["empfaenger_kommune"] = _(
                "Die eigene Kommune sieht ihre Objekte ohnehin; "
                "eine Freigabe an sich selbst gibt es nicht."
            )
        if self.umfang == Umfang.MITARBEIT and art != EmpfaengerArt.KOMMUNE:
            # A Verbund group holds the owner's own staff too, and the public group holds
            # anonymous visitors: co-editing rights go to named partner Kommunen only.
            errors["umfang"] = _(
                "Mitarbeit (gemeinsames Bearbeiten) ist nur mit namentlich benannten Kommunen "
                "möglich, nicht mit einem Verbund oder der Öffentlichkeit."
            )
        if self.gueltig_bis and self.gueltig_ab and self.gueltig_bis < self.gueltig_ab:
            errors["gueltig_bis"] = _("„Gültig bis“ darf nicht vor „gültig ab“ liegen.")
        if errors:
            raise ValidationError(errors)

    # Fields whose change can make a granted Freigabe unlawful (see rules.py).
    RECHTLICH_RELEVANT = frozenset(
        {
            "status",
            "content_type",
            "object_id",
            "eigentuemer",
            "empfaenger_art",
            "empfaenger_kommune",
            "empfaenger_verbund",
            "umfang",
            "gueltig_ab",
            "gueltig_bis",
            "weitergabe_erlaubt",
            "beantragt_von",
            "entschieden_von",
        }
    )

    def erteilung_pruefen(self) -> None:
        """The last guard: whatever the path, nothing is stored as granted that breaks a rule."""
        from . import rules  # rules imports this module

        # Values may arrive as ISO strings (bulk writes, fixtures): compare them as dates.
        for name in ("gueltig_ab", "gueltig_bis"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, self._meta.get_field(name).to_python(value))
        self.clean()
        if self.entschieden_von_id is None or self.entschieden_am is None:
            raise ValidationError(
                _(
                    "Eine erteilte Freigabe nennt, wer sie wann erteilt hat "
                    "(Rechenschaftspflicht, Art. 5 Abs. 2 DSGVO)."
                ),
                code="entscheidung_fehlt",
            )
        objekt = self.objekt
        if objekt is None:
            raise ValidationError(_("Das freigegebene Objekt gibt es nicht."), code="objekt")
        if objekt.kommune_id != self.eigentuemer_id:
            raise ValidationError(
                _("Nur die Kommune, der das Objekt gehört, kann es freigeben."),
                code="eigentuemer",
            )
        verstoesse = rules.sperrende(rules.check(self, objekt, self.umstaende(objekt)))
        if verstoesse:
            raise rules.RegelVerstoss(verstoesse)


class Zugangsanfrage(models.Model):
    """A user of another Kommune asks the owner for more than the metadata they see."""

    class Status(models.TextChoices):
        OFFEN = "offen", _("offen")
        GENEHMIGT = "genehmigt", _("genehmigt")
        ABGELEHNT = "abgelehnt", _("abgelehnt")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    objekt = GenericForeignKey("content_type", "object_id")
    eigentuemer = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="zugangsanfragen_erhalten"
    )
    antragsteller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="zugangsanfragen"
    )
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="zugangsanfragen_gestellt"
    )
    umfang = models.CharField(
        _("gewünschter Umfang"), max_length=12, choices=Umfang.choices, default=Umfang.VOLLSTAENDIG
    )
    begruendung = models.TextField(_("Begründung"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFEN)
    gestellt_am = models.DateTimeField(default=timezone.now)
    entschieden_von = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entschieden_am = models.DateTimeField(null=True, blank=True)
    entscheidung_begruendung = models.TextField(blank=True)
    freigabe = models.OneToOneField(
        Freigabe, on_delete=models.PROTECT, null=True, blank=True, related_name="zugangsanfrage"
    )

    class Meta:
        verbose_name = _("Zugangsanfrage")
        verbose_name_plural = _("Zugangsanfragen")
        ordering = ["-gestellt_am"]
        indexes = [models.Index(fields=["eigentuemer", "status"])]

    def __str__(self) -> str:
        return f"Zugangsanfrage {self.pk}"


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
        ANFRAGE_GESTELLT = "anfrage_gestellt", _("Zugangsanfrage gestellt")
        ANFRAGE_GENEHMIGT = "anfrage_genehmigt", _("Zugangsanfrage genehmigt")
        ANFRAGE_ABGELEHNT = "anfrage_abgelehnt", _("Zugangsanfrage abgelehnt")
        DOWNLOAD = "download", _("Dokument heruntergeladen")
        BERECHTIGUNG = "berechtigung", _("Berechtigungen geändert")
        OBJEKT_ERSTELLT = "objekt_erstellt", _("Objekt angelegt")
        OBJEKT_BEARBEITET = "objekt_bearbeitet", _("Beschreibung bearbeitet")
        RECHTLICHES_GEAENDERT = "rechtliches_geaendert", _("rechtliche Angaben geändert")
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


class Benachrichtigung(models.Model):
    """Outbox row: written with the event, delivered by a task after commit."""

    empfaenger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="benachrichtigungen"
    )
    ereignis = models.CharField(max_length=40)
    betreff = models.CharField(max_length=200)
    text = models.TextField()
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


class Aufgabenlauf(models.Model):
    """When a periodic task last finished: /healthz shows whether beat still runs."""

    aufgabe = models.CharField(max_length=200, primary_key=True)
    zuletzt_am = models.DateTimeField()

    class Meta:
        verbose_name = _("Lauf einer periodischen Aufgabe")
        verbose_name_plural = _("Läufe periodischer Aufgaben")

    def __str__(self) -> str:
        return f"{self.aufgabe}: {self.zuletzt_am:%Y-%m-%d %H:%M}"
