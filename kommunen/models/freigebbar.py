"""What every shareable object carries (Freigebbar) and its dated group permission rows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from ..rules import mit_verweis_lazy
from ..validators import einzeilig
from ..vokabular import (
    LIZENZ_URLS,
    LIZENZEN_MIT_NAMENSNENNUNG,
    PERSONENBEZOGEN,
    RECHTLICHE_FELDER,
    Art9Ausnahme,
    Einstufung,
    Einwilligung,
    Geheimnisschutz,
    Gremienstatus,
    Lizenz,
    Nutzungsrechte,
    Personenbezug,
    Schwellenwert,
    Vergabebezug,
    Vergabestand,
)
from .kommunen import Kommune

# The open ends of a permission row's validity: ownership has no dates, a Freigabe has its own.
IMMER_AB = dt.date(1, 1, 1)
IMMER_BIS = dt.date(9999, 12, 31)

# How long before its Löschdatum the owner is reminded to delete or extend (LOESCH-1).
LOESCHDATUM_VORLAUF_TAGE = 30

VERLAENGERUNG_OHNE_BEGRUENDUNG = mit_verweis_lazy(
    _(
        "Sie bewahren personenbezogene Daten länger auf (späteres oder kein Löschdatum). "
        "Bitte tragen Sie dafür eine neue Begründung ein, z. B. warum der Zweck noch nicht "
        "erreicht ist (Speicherbegrenzung, Art. 5 Abs. 1 lit. e DSGVO). Sie wird protokolliert."
    ),
    "LOESCH-1",
)


class Gruppenliste(models.Field):
    """Sorted group ids: `integer[]` on PostgreSQL, where a GIN index answers the lookup
    `ueberlappt` (`&&`); comma-separated text elsewhere (SQLite), where nothing looks it up."""

    description = _("Gruppen-IDs")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def get_prep_value(self, value):
        return sorted({int(v) for v in value or ()})

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if connection.vendor == "postgresql":
            return value
        return ",".join(map(str, value))

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None:
            return []
        if isinstance(value, str):
            return [int(v) for v in value.split(",") if v]
        return [int(v) for v in value]


@Gruppenliste.register_lookup
class Ueberlappt(models.Lookup):
    """`gruppen__ueberlappt=[1, 2]`: the list shares a group with the given ids (PostgreSQL)."""

    lookup_name = "ueberlappt"

    def get_db_prep_lookup(self, value, connection):
        return "%s", [sorted({int(v) for v in value})]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}::integer[]", [*lhs_params, *rhs_params]


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
    # The groups that hold a `view` or `download` row of this object, whatever the row's
    # dates: written by kommunen.sharing.sync_permissions with the rows. A search intersects
    # its GIN index with the text index before visible() decides exactly (sharing.vorfilter).
    gruppen_sehen = Gruppenliste()
    gruppen_laden = Gruppenliste()

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
    loeschdatum_begruendung = models.CharField(
        _("Begründung für ein späteres Löschdatum"),
        max_length=300,
        blank=True,
        validators=[einzeilig],
    )
    # The Löschdatum the owner was last reminded of: a new date re-arms the reminder.
    loeschdatum_erinnert_fuer = models.DateField(null=True, blank=True, editable=False)
    dsfa_durchgefuehrt = models.BooleanField(
        _("Datenschutz-Folgenabschätzung durchgeführt"), default=False
    )
    dsfa_referenz = models.CharField(
        _("Aktenzeichen der DSFA"), max_length=200, blank=True, validators=[einzeilig]
    )
    einwilligung = models.CharField(
        _("Erhoben auf Einwilligung"),
        max_length=16,
        choices=Einwilligung.choices,
        blank=True,
        default=Einwilligung.UNBEKANNT,
    )
    art9_ausnahme = models.CharField(
        _("Ausnahme nach Art. 9 Abs. 2 DSGVO"),
        max_length=1,
        choices=Art9Ausnahme.choices,
        blank=True,
        default=Art9Ausnahme.KEINE,
    )
    geheimnisschutz = models.CharField(
        _("Besonderes Amts- oder Berufsgeheimnis"),
        max_length=20,
        choices=Geheimnisschutz.choices,
        blank=True,
        default=Geheimnisschutz.KEINER,
    )
    nutzungsrechte = models.CharField(
        _("Nutzungsrechte"),
        max_length=32,
        choices=Nutzungsrechte.choices,
        default=Nutzungsrechte.UNGEKLAERT,
    )
    unterlizenz_erlaubt = models.BooleanField(
        _("Rechte umfassen das Einräumen von Lizenzen an Dritte"), default=False
    )
    vergabebezug = models.CharField(
        _("Vergabebezug"), max_length=30, choices=Vergabebezug.choices, default=Vergabebezug.KEINER
    )
    geschwaerzt = models.BooleanField(_("geschwärzt"), default=False)
    schwellenwert = models.CharField(
        _("Auftragswert"),
        max_length=16,
        choices=Schwellenwert.choices,
        blank=True,
        default=Schwellenwert.UNBEKANNT,
    )
    vergabestand = models.CharField(
        _("Stand des Vergabeverfahrens"),
        max_length=12,
        choices=Vergabestand.choices,
        blank=True,
        default=Vergabestand.UNBEKANNT,
    )
    geschaeftsgeheimnisse_dritter = models.BooleanField(
        _("Geschäftsgeheimnisse Dritter oder Geheimhaltungsvereinbarung"), default=False
    )
    zustimmung_dritter = models.CharField(
        _("Zustimmung der Dritten"), max_length=300, blank=True, validators=[einzeilig]
    )
    gremienstatus = models.CharField(
        _("Gremienstatus"),
        max_length=24,
        choices=Gremienstatus.choices,
        default=Gremienstatus.NICHT_BEFASST,
    )
    geheimhaltung_aufgehoben_am = models.DateField(
        _("Geheimhaltung aufgehoben am"), null=True, blank=True
    )
    geheimhaltung_aufgehoben_durch = models.CharField(
        _("Beschluss oder Vermerk der Aufhebung"),
        max_length=300,
        blank=True,
        validators=[einzeilig],
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
            if not self.einwilligung:
                errors["einwilligung"] = _(
                    "Bei personenbezogenen Daten bitte angeben, ob sie auf eine Einwilligung "
                    "gestützt erhoben wurden und ob diese eine Weitergabe abdeckt."
                )
        elif self.einwilligung:
            errors["einwilligung"] = _("Die Einwilligung betrifft nur personenbezogene Daten.")
        if self.personenbezug == Personenbezug.BESONDERE_KATEGORIEN:
            if not self.art9_ausnahme:
                errors["art9_ausnahme"] = _(
                    "Besondere Kategorien dürfen nur auf Grund einer Ausnahme nach Art. 9 Abs. 2 "
                    "DSGVO verarbeitet werden: Bitte die Ausnahme wählen."
                )
        elif self.art9_ausnahme:
            errors["art9_ausnahme"] = _(
                "Eine Ausnahme nach Art. 9 Abs. 2 DSGVO gibt es nur bei besonderen Kategorien."
            )
        if self.dsfa_durchgefuehrt and not self.dsfa_referenz.strip():
            errors["dsfa_referenz"] = _("Bitte das Aktenzeichen der DSFA angeben.")
        if not self.geheimnisschutz:
            errors["geheimnisschutz"] = _(
                "Bitte angeben, ob ein besonderes Amts- oder Berufsgeheimnis gilt."
            )
        if self.unterlizenz_erlaubt and self.nutzungsrechte != Nutzungsrechte.UMFASSEND:
            errors["unterlizenz_erlaubt"] = _(
                "Lizenzen an Dritte kann nur einräumen, wer umfassende Nutzungsrechte erworben hat "
                "(bei eigenen Werken ist das ohnehin möglich)."
            )
        if self.geschwaerzt and self.vergabebezug != Vergabebezug.BIETERUNTERLAGEN:
            errors["geschwaerzt"] = _("„Geschwärzt“ betrifft nur Bieterunterlagen.")
        if self.vergabebezug != Vergabebezug.KEINER:
            if not self.schwellenwert:
                errors["schwellenwert"] = _(
                    "Bitte angeben, ob der Auftrag unter oder über den EU-Schwellenwerten liegt."
                )
            if not self.vergabestand:
                errors["vergabestand"] = _("Bitte den Stand des Vergabeverfahrens angeben.")
        else:
            for name in ("schwellenwert", "vergabestand"):
                if getattr(self, name):
                    errors[name] = _("Das betrifft nur Inhalte aus einem Vergabeverfahren.")
        if self.zustimmung_dritter.strip() and not self.geschaeftsgeheimnisse_dritter:
            errors["zustimmung_dritter"] = _(
                "Eine Zustimmung Dritter ist nur bei Geschäftsgeheimnissen Dritter nötig."
            )
        if self.lizenz in LIZENZEN_MIT_NAMENSNENNUNG and not self.quellenvermerk.strip():
            errors["quellenvermerk"] = _("Diese Lizenz verlangt einen Quellenvermerk.")
        aufgehoben = (self.geheimhaltung_aufgehoben_am, self.geheimhaltung_aufgehoben_durch.strip())
        if any(aufgehoben):
            if self.gremienstatus != Gremienstatus.NICHTOEFFENTLICH:
                errors["geheimhaltung_aufgehoben_am"] = _(
                    "Eine Aufhebung der Geheimhaltung gibt es nur bei nichtöffentlich "
                    "behandelten Inhalten."
                )
            elif not all(aufgehoben):
                errors["geheimhaltung_aufgehoben_durch"] = _(
                    "Bitte Datum und Beschluss (oder Vermerk) der Aufhebung angeben."
                )
            elif self.geheimhaltung_aufgehoben_am > timezone.localdate():
                errors["geheimhaltung_aufgehoben_am"] = _(
                    "Die Aufhebung der Geheimhaltung liegt in der Zukunft: Bitte erst danach "
                    "eintragen."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def lizenz_url(self) -> str:
        return LIZENZ_URLS.get(self.lizenz, "")

    @property
    def quellenangabe(self) -> str:
        """The source note a re-user prints: the owner's own wording, else its Kommune."""
        if not self.lizenz:
            return ""
        return _("Quelle: %(urheber)s, %(titel)s, %(lizenz)s") % {
            "urheber": self.quellenvermerk or self.kommune,
            "titel": self.titel,
            "lizenz": self.get_lizenz_display(),
        }

    @property
    def ist_personenbezogen(self) -> bool:
        return self.personenbezug in PERSONENBEZOGEN

    @property
    def loeschdatum_ueberschritten(self) -> bool:
        """The Löschdatum has passed: the object is to be deleted and shares nothing (LOESCH-1)."""
        return bool(self.loeschdatum) and self.loeschdatum < timezone.localdate()

    @property
    def loeschdatum_naht(self) -> bool:
        """The Löschdatum is today or within the reminder's lead time."""
        if not self.loeschdatum or self.loeschdatum_ueberschritten:
            return False
        vorlauf = dt.timedelta(days=LOESCHDATUM_VORLAUF_TAGE)
        return self.loeschdatum <= timezone.localdate() + vorlauf

    def verlaengerung_unbegruendet(self, vorher: Freigebbar) -> bool:
        """Personal data kept longer than `vorher` said (a later Löschdatum, or none at all)
        without a new reason (LOESCH-1). `vorher` is the object as stored before the edit."""
        if not (self.ist_personenbezogen or vorher.ist_personenbezogen):
            return False
        feld = self._meta.get_field("loeschdatum")
        alt, neu = feld.to_python(vorher.loeschdatum), feld.to_python(self.loeschdatum)
        if alt is None or (neu is not None and neu <= alt):
            return False
        grund = (self.loeschdatum_begruendung or "").strip()
        return not grund or grund == (vorher.loeschdatum_begruendung or "").strip()

    @property
    def vier_augen_noetig(self) -> bool:
        """Personal data and VS-NfD: two people of the owner Kommune decide (VIER-AUGEN)."""
        return self.ist_personenbezogen or self.einstufung == Einstufung.VS_NFD

    def dokumente_seit(self, zeitpunkt) -> list:
        """The object's documents uploaded after `zeitpunkt` (all of them for None), oldest
        first. A model with documents answers; kommunen reaches them only through this."""
        return []

    def legal_snapshot(self) -> dict:
        return {f: str(getattr(self, f)) for f in RECHTLICHE_FELDER}
