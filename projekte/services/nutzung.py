"""Writes of the reuse side: follow (Abo) and declared interest in reuse (Nachnutzung)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import Benutzer, Kommune, Rolle

from ..models import Abo, Initiative, Nachnutzung, Projekt, Thema

ABO_ZIELE = {"thema": Thema, "initiative": Initiative, "kommune": Kommune}


def _ziel(art: str, ziel_id) -> tuple[str, object]:
    modell = ABO_ZIELE.get(art)
    if modell is None:
        raise ValidationError(_("Unbekannte Art von Abo."))
    qs = modell._default_manager.all()
    if modell is Kommune:
        qs = qs.filter(aktiv=True)
    try:
        return art, qs.get(pk=int(ziel_id))
    except (modell.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(_("Das gibt es nicht (mehr).")) from exc


@transaction.atomic
def abo_setzen(*, benutzer: Benutzer, art: str, ziel_id, folgen: bool) -> tuple[object, bool]:
    """Follow or unfollow a Thema, an Initiative or a Kommune. Returns (target, changed)."""
    if benutzer is None or not benutzer.is_authenticated:
        raise ValidationError(_("Bitte melden Sie sich an."))
    art, ziel = _ziel(art, ziel_id)
    vorhanden = Abo.objects.filter(benutzer=benutzer, **{art: ziel})
    if not folgen:
        geloescht, _details = vorhanden.delete()
        return ziel, bool(geloescht)
    if vorhanden.exists():
        return ziel, False
    abo = Abo(benutzer=benutzer, **{art: ziel})
    abo.full_clean()
    try:
        with transaction.atomic():
            abo.save()
    except IntegrityError:  # a second click that raced the first: already followed
        return ziel, False
    return ziel, True


@transaction.atomic
def nachnutzung_erklaeren(
    *,
    projekt: Projekt,
    by: Benutzer,
    nachricht: str = "",
    rahmenvertrag_abrufen: bool = False,
    einsparung_eur: Decimal | None = None,
) -> Nachnutzung:
    """Declare interest in reusing a partner's project; its owner sees it with the contact.

    A call-off from the project's framework agreement is declared only by a Kommune the
    agreement names (§ 21 Abs. 2 VgV; § 15 UVgO); any other is refused and nothing is stored.
    """
    if not sharing.can(by, "view", projekt) or by.kommune_id is None:
        raise kommunen_services.KeineBerechtigung(_("Nicht gefunden."))
    if by.kommune_id == projekt.kommune_id:
        raise ValidationError(_("Das Projekt gehört Ihrer eigenen Kommune."))
    if rahmenvertrag_abrufen:
        # Judge the stored agreement under the project's row lock (the one lock order), so
        # that an edit removing this Kommune cannot slip in between check and save.
        projekt = sharing.lock(projekt)
        if not projekt.rahmenvertrag:
            raise ValidationError(
                _(
                    "Dieses Projekt hat keinen Rahmenvertrag, aus dem abgerufen werden könnte. "
                    "Sie können Konzept und Leistungsbeschreibung für eine eigene Ausschreibung "
                    "nachnutzen."
                )
            )
        if not projekt.rahmenvertrag_kommunen.filter(pk=by.kommune_id).exists():
            raise ValidationError(projekt.abruf_verweigert_text())
    if Nachnutzung.objects.filter(projekt=projekt, benutzer=by).exists():
        raise ValidationError(_("Sie haben Ihr Interesse an diesem Projekt schon bekundet."))
    nachnutzung = Nachnutzung(
        projekt=projekt,
        benutzer=by,
        kommune_id=by.kommune_id,
        nachricht=nachricht.strip(),
        rahmenvertrag_abrufen=bool(rahmenvertrag_abrufen),
        einsparung_eur=einsparung_eur,
    )
    nachnutzung.full_clean(exclude=["projekt", "benutzer", "kommune"])
    nachnutzung.save()
    nachnutzende_zaehlen(projekt)
    empfaenger = list(
        Benutzer.objects.filter(
            kommune_id=projekt.kommune_id, rolle=Rolle.HERAUSGABE, is_active=True
        )
    )
    abruf = ""
    if nachnutzung.rahmenvertrag_abrufen:
        abruf = _(
            "Gewünscht ist ein Abruf aus Ihrem Rahmenvertrag „%(rahmenvertrag)s“, der "
            "%(kommune)s als abrufberechtigt nennt."
        ) % {"rahmenvertrag": projekt.rahmenvertrag, "kommune": by.kommune}
    kommunen_services.benachrichtigen(
        empfaenger=empfaenger,
        ereignis="nachnutzung",
        betreff=lambda: _("Interesse an Nachnutzung: %(titel)s") % {"titel": projekt},
        # The call-off wish goes before the user's message; the sentence itself is unchanged.
        text=lambda: (
            _("%(wer)s (%(kommune)s, %(mail)s) möchte „%(titel)s“ nachnutzen. %(nachricht)s")
            % {
                "wer": by.get_full_name() or by.get_username(),
                "kommune": by.kommune,
                "mail": by.email or "-",
                "titel": projekt,
                "nachricht": " ".join(t for t in (abruf, nachnutzung.nachricht) if t),
            }
        ),
        link=projekt.get_absolute_url(),
    )
    return nachnutzung


@transaction.atomic
def einsparung_setzen(
    *, projekt: Projekt, nachnutzung_id, by: Benutzer, einsparung_eur: Decimal | None
) -> Nachnutzung:
    """Record or change the estimate of what reusing `projekt` saved the user's Kommune.

    The estimate is the reusing Kommune's own statement: any of its users may correct it, no
    one else may touch it. A declaration of another Kommune, or one of another project, is
    "not found" (the caller answers 404), and nothing changes."""
    if by is None or not by.is_authenticated or by.kommune_id is None:
        raise kommunen_services.KeineBerechtigung(_("Nicht gefunden."))
    try:
        nachnutzung = (
            Nachnutzung.objects.select_for_update()
            .filter(projekt=projekt, kommune_id=by.kommune_id)
            .get(pk=int(nachnutzung_id))
        )
    except (Nachnutzung.DoesNotExist, TypeError, ValueError) as exc:
        raise kommunen_services.KeineBerechtigung(_("Nicht gefunden.")) from exc
    if not sharing.can(by, "view", projekt):
        raise kommunen_services.KeineBerechtigung(_("Nicht gefunden."))
    nachnutzung.einsparung_eur = einsparung_eur
    nachnutzung.full_clean(exclude=["projekt", "benutzer", "kommune"])
    nachnutzung.save(update_fields=["einsparung_eur"])
    return nachnutzung


@transaction.atomic
def nachnutzung_zurueckziehen(*, projekt: Projekt, by: Benutzer) -> bool:
    geloescht, _details = Nachnutzung.objects.filter(projekt=projekt, benutzer=by).delete()
    nachnutzende_zaehlen(projekt)
    return bool(geloescht)


def nachnutzende_zaehlen(projekt: Projekt) -> int:
    """Store how many Kommunen declared reuse of the project (the search's rank reads it)."""
    n = Nachnutzung.objects.filter(projekt=projekt).values("kommune").distinct().count()
    Projekt.objects.filter(pk=projekt.pk).update(nachnutzende_kommunen=n)
    return n
