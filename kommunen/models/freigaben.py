"""Freigabe (one sharing rule) and Zugangsanfrage (an access request that may become one)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..validators import einzeilig
from ..vokabular import (
    FREIGABE_OFFEN,
    EmpfaengerArt,
    FreigabeStatus,
    Uebermittlungsgrundlage,
    Umfang,
)
from .kommunen import Kommune, Verbund

FRIST_STANDARD_MONATE = 24


def standard_gueltig_bis(
    ab: dt.date | None = None, *, loeschdatum: dt.date | None = None
) -> dt.date:
    """24 months from `ab`, but not past the object's Löschdatum (LOESCH-1). A Löschdatum
    before `ab` is left to the rule to refuse, with its own message."""
    ab = ab or timezone.localdate()
    jahr, monat = divmod(ab.month - 1 + FRIST_STANDARD_MONATE, 12)
    year = ab.year + jahr
    month = monat + 1
    day = min(ab.day, 28) if month == 2 else min(ab.day, 30 if month in (4, 6, 9, 11) else 31)
    bis = dt.date(year, month, day)
    if loeschdatum is not None and ab <= loeschdatum < bis:
        return loeschdatum
    return bis


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
            "art26_vereinbarung",
            "uebermittlungsgrundlage",
            "empfaenger_zweck",
            "zweckvereinbarkeit",
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
    uebermittlungsgrundlage = models.CharField(
        _("Rechtsgrundlage der Übermittlung personenbezogener Daten"),
        max_length=16,
        choices=Uebermittlungsgrundlage.choices,
        blank=True,
        default=Uebermittlungsgrundlage.KEINE,
    )
    empfaenger_zweck = models.CharField(
        _("Zweck beim Empfänger"), max_length=300, blank=True, validators=[einzeilig]
    )
    zweckvereinbarkeit = models.TextField(
        _("Begründung der Zweckvereinbarkeit (Art. 6 Abs. 4 DSGVO)"), blank=True, max_length=2000
    )
    auflagen = models.TextField(_("Auflagen"), blank=True)
    art26_vereinbarung = models.CharField(
        _("Vereinbarung gemeinsam Verantwortlicher (Art. 26 DSGVO)"),
        max_length=300,
        blank=True,
        validators=[einzeilig],
        help_text=_(
            "Aktenzeichen oder Titel der Vereinbarung; Pflicht bei Mitarbeit an Personendaten."
        ),
    )
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
    # When the recipients were told of the grant; empty while that fan-out is still owed.
    verteilt_am = models.DateTimeField(null=True, blank=True, editable=False)
    # When the recipients who lost access were told that it ended; empty while owed
    # (kommunen.services.zugriffsende).
    ende_gemeldet_am = models.DateTimeField(null=True, blank=True, editable=False)

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
        bis = self.wirksam_bis()
        return (
            self.status == FreigabeStatus.ERTEILT
            and self.gueltig_ab <= heute
            and (bis is None or bis >= heute)
        )

    @property
    def zweck_weicht_ab(self) -> bool:
        """Personal data passed on for another purpose than it was collected for (DSGVO-3)."""
        objekt = self.objekt
        return bool(
            objekt is not None
            and objekt.ist_personenbezogen
            and self.empfaenger_zweck.strip()
            and not rules.gleicher_zweck(objekt.zweck, self.empfaenger_zweck)
        )

    def wirksam_bis(self, objekt=None) -> dt.date | None:
        """The last day this Freigabe grants anything: its own end, or the object's
        Löschdatum if that comes first (LOESCH-1). None: no end at all."""
        objekt = objekt if objekt is not None else self.objekt
        loeschdatum = getattr(objekt, "loeschdatum", None)
        if loeschdatum is None:
            return self.gueltig_bis
        if self.gueltig_bis is None:
            return loeschdatum
        return min(self.gueltig_bis, loeschdatum)

    def umstaende(self, objekt=None):
        """The facts beyond object and Freigabe that rules.check needs, read now."""
        im_verbund = None
        if self.empfaenger_art == EmpfaengerArt.VERBUND and self.empfaenger_verbund_id:
            kommune_id = objekt.kommune_id if objekt is not None else self.eigentuemer_id
            im_verbund = Verbund.mitglieder.through.objects.filter(
                verbund_id=self.empfaenger_verbund_id, kommune_id=kommune_id
            ).exists()
        antrag_intern = None
        # Only VIER-AUGEN asks who proposed, and only for personal data and VS-NfD.
        if (objekt is None or objekt.vier_augen_noetig) and self.beantragt_von_id is not None:
            eigentuemer_id = objekt.kommune_id if objekt is not None else self.eigentuemer_id
            antrag_intern = self.beantragt_von.kommune_id == eigentuemer_id
        return rules.Umstaende(
            eigentuemer_im_verbund=im_verbund, antrag_aus_eigentuemer_kommune=antrag_intern
        )

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
            "art26_vereinbarung",
            "uebermittlungsgrundlage",
            "empfaenger_zweck",
            "zweckvereinbarkeit",
            "beantragt_von",
            "entschieden_von",
        }
    )

    def erteilung_pruefen(self) -> None:
        """The last guard: whatever the path, nothing is stored as granted that breaks a rule."""
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
