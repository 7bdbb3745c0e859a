"""Writes of projects: create and edit, with permissions, Protokoll and search index in step."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import RECHTLICHE_FELDER, Protokoll
from kommunen.services import KeineBerechtigung

from .models import Beteiligung, Initiative, Projekt, Thema
from .suche import projekt_suchvektor_aktualisieren

LEGAL = frozenset(RECHTLICHE_FELDER)
PROJEKT_FELDER = frozenset(
    {
        "titel",
        "zusammenfassung",
        "beschreibung",
        "status",
        "laufzeit_von",
        "laufzeit_bis",
        "budget_eur",
        "kontakt",
        "vsnfd_ansprechstelle",
        *LEGAL,
    }
)


def felder_pruefen(felder: dict, erlaubt: frozenset[str]) -> None:
    """Refuse anything but the editable fields: owner, author and ids never come from input."""
    unbekannt = sorted(set(felder) - erlaubt)
    if unbekannt:
        raise ValidationError(
            _("Diese Felder können nicht gesetzt werden: %(felder)s.")
            % {"felder": ", ".join(unbekannt)}
        )


def darf_anlegen(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "ist_herausgabe", False)
        and user.kommune.aktiv
    )


def felder_anwenden(objekt, felder: dict, by) -> list[str]:
    """Set `felder` on `objekt`; returns the names that changed. Legal fields: owner only."""
    geaendert = [name for name, wert in felder.items() if getattr(objekt, name) != wert]
    if any(name in LEGAL for name in geaendert) and by.kommune_id != objekt.kommune_id:
        raise KeineBerechtigung(
            _("Die rechtlichen Angaben ändert nur die Kommune, der das Objekt gehört.")
        )
    for name in geaendert:
        setattr(objekt, name, felder[name])
    return geaendert


def feldnamen(model, namen: Iterable[str]) -> list[str]:
    """Readable (German) names of changed fields for the Protokoll and notifications."""
    beziehungen = {
        "themen": _("Themen"),
        "initiativen": _("Initiativen"),
        "beteiligungen": _("Beteiligung"),
    }
    ergebnis = []
    for name in namen:
        if name in beziehungen:
            ergebnis.append(str(beziehungen[name]))
            continue
        try:
            ergebnis.append(str(model._meta.get_field(name).verbose_name))
        except LookupError:
            ergebnis.append(name)
    return ergebnis


def nach_aenderung(*, objekt, by, beschreibend: list[str], vorher: dict) -> None:
    """Tell the sharing core what kind of change happened (descriptive or legal)."""
    kommunen_services.beschreibung_geaendert(
        objekt=objekt, by=by, felder=feldnamen(type(objekt), beschreibend)
    )
    if objekt.legal_snapshot() != vorher:
        kommunen_services.rechtliches_geaendert(objekt=objekt, by=by, vorher=vorher)


def _beteiligungen_setzen(projekt: Projekt, beteiligungen: Iterable[dict]) -> bool:
    """Replace the project's Beteiligungen; True if they changed."""
    neu = [
        Beteiligung(
            projekt=projekt,
            akteur=b["akteur"],
            art=b["art"],
            beschreibung=b.get("beschreibung", ""),
        )
        for b in beteiligungen
    ]
    for b in neu:
        b.full_clean()
    alt = list(projekt.beteiligungen.order_by("pk").values_list("akteur", "art", "beschreibung"))
    if alt == [(b.akteur, b.art, b.beschreibung) for b in neu]:
        return False
    projekt.beteiligungen.all().delete()
    Beteiligung.objects.bulk_create(neu)
    return True


def _m2m_setzen(manager, neu: Iterable, model) -> bool:
    ids = {x.pk if isinstance(x, model) else int(x) for x in neu}
    if set(manager.values_list("pk", flat=True)) == ids:
        return False
    manager.set(ids)
    return True


@transaction.atomic
def projekt_anlegen(
    *,
    by,
    themen: Iterable[Thema] = (),
    initiativen: Iterable[Initiative] = (),
    beteiligungen: Iterable[dict] = (),
    **felder,
) -> Projekt:
    """A herausgabe user creates a project of their own Kommune."""
    if not darf_anlegen(by):
        raise KeineBerechtigung(_("Projekte legen Herausgeberinnen und Herausgeber an."))
    felder_pruefen(felder, PROJEKT_FELDER)
    projekt = Projekt(kommune_id=by.kommune_id, erstellt_von=by, **felder)
    projekt.full_clean()
    projekt.save()
    _m2m_setzen(projekt.themen, themen, Thema)
    _m2m_setzen(projekt.initiativen, initiativen, Initiative)
    _beteiligungen_setzen(projekt, beteiligungen)
    sharing.sync_permissions(projekt)
    kommunen_services.protokollieren(
        aktion=Protokoll.Aktion.OBJEKT_ERSTELLT, akteur=by, objekt=projekt
    )
    projekt_suchvektor_aktualisieren(projekt.pk)
    return projekt


@transaction.atomic
def projekt_aendern(
    *,
    projekt: Projekt,
    by,
    themen: Iterable[Thema] | None = None,
    initiativen: Iterable[Initiative] | None = None,
    beteiligungen: Iterable[dict] | None = None,
    **felder,
) -> Projekt:
    """Edit a project. Descriptive edits are logged; legal edits re-check its Freigaben."""
    felder_pruefen(felder, PROJEKT_FELDER)
    # Re-read under a row lock: the legal snapshot must be the stored one, not a form's copy.
    p = Projekt.objects.select_for_update().get(pk=projekt.pk)
    if not sharing.can(by, "change", p):
        raise KeineBerechtigung(_("Sie dürfen dieses Projekt nicht bearbeiten."))
    vorher = p.legal_snapshot()
    geaendert = felder_anwenden(p, felder, by)
    p.full_clean()
    p.save()
    if themen is not None and _m2m_setzen(p.themen, themen, Thema):
        geaendert.append("themen")
    if initiativen is not None and _m2m_setzen(p.initiativen, initiativen, Initiative):
        geaendert.append("initiativen")
    if beteiligungen is not None and _beteiligungen_setzen(p, beteiligungen):
        geaendert.append("beteiligungen")
    beschreibend = [n for n in geaendert if n not in LEGAL]
    nach_aenderung(objekt=p, by=by, beschreibend=beschreibend, vorher=vorher)
    projekt_suchvektor_aktualisieren(p.pk)
    return p
