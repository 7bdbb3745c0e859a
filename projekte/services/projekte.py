"""Writes of projects: create and edit, with permissions, Protokoll and search index in step."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import RECHTLICHE_FELDER, Kommune, Protokoll
from kommunen.services import (
    KeineBerechtigung,
    benachrichtigen,
    darf_anlegen,
    felder_anwenden,
    felder_pruefen,
    nach_aenderung,
    objekt_loeschen,
)

from ..models import Beteiligung, Initiative, Projekt, Thema
from ..suche import projekt_suchvektor_aktualisieren

PROJEKT_FELDER = frozenset(
    {
        "titel",
        "zusammenfassung",
        "beschreibung",
        "status",
        "laufzeit_von",
        "laufzeit_bis",
        "budget_eur",
        "budget_umfang",
        "kontakt",
        "rahmenvertrag",
        "vsnfd_ansprechstelle",
        *RECHTLICHE_FELDER,
    }
)


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


def _kommunen_lesen(kommunen: Iterable) -> list[Kommune]:
    """The Kommunen named by a framework agreement, as stored rows; unknown ids are refused."""
    ids = set()
    for k in kommunen:
        try:
            ids.add(k.pk if isinstance(k, Kommune) else int(k))
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                {"rahmenvertrag_kommunen": _("Diese Kommune gibt es nicht.")}
            ) from exc
    gefunden = list(Kommune.objects.filter(pk__in=ids))
    if len(gefunden) != len(ids):
        raise ValidationError({"rahmenvertrag_kommunen": _("Diese Kommune gibt es nicht.")})
    return gefunden


@transaction.atomic
def projekt_anlegen(
    *,
    by,
    themen: Iterable[Thema] = (),
    initiativen: Iterable[Initiative] = (),
    beteiligungen: Iterable[dict] = (),
    rahmenvertrag_kommunen: Iterable[Kommune] = (),
    **felder,
) -> Projekt:
    """A herausgabe user creates a project of their own Kommune."""
    if not darf_anlegen(by):
        raise KeineBerechtigung(_("Projekte legen Herausgeberinnen und Herausgeber an."))
    felder_pruefen(felder, PROJEKT_FELDER)
    projekt = Projekt(kommune_id=by.kommune_id, erstellt_von=by, **felder)
    projekt.full_clean()
    abrufberechtigt = _kommunen_lesen(rahmenvertrag_kommunen)
    projekt.rahmenvertrag_pruefen(abrufberechtigt)
    projekt.save()
    _m2m_setzen(projekt.themen, themen, Thema)
    _m2m_setzen(projekt.initiativen, initiativen, Initiative)
    _m2m_setzen(projekt.rahmenvertrag_kommunen, abrufberechtigt, Kommune)
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
    rahmenvertrag_kommunen: Iterable[Kommune] | None = None,
    **felder,
) -> Projekt:
    """Edit a project. Descriptive edits are logged; legal edits re-check its Freigaben.
    The framework agreement and the Kommunen it names are the owner's, like legal fields."""
    felder_pruefen(felder, PROJEKT_FELDER)
    # Re-read under a row lock: the legal snapshot must be the stored one, not a form's copy.
    p = Projekt.objects.select_for_update().get(pk=projekt.pk)
    if not sharing.can(by, "change", p):
        raise KeineBerechtigung(_("Sie dürfen dieses Projekt nicht bearbeiten."))
    vorher = p.legal_snapshot()
    gespeichert = {k.pk for k in p.rahmenvertrag_kommunen.all()}
    abrufberechtigt = None
    if rahmenvertrag_kommunen is not None:
        abrufberechtigt = _kommunen_lesen(rahmenvertrag_kommunen)
    rahmen_geaendert = (
        "rahmenvertrag" in felder and felder["rahmenvertrag"] != p.rahmenvertrag
    ) or (abrufberechtigt is not None and {k.pk for k in abrufberechtigt} != gespeichert)
    if rahmen_geaendert and by.kommune_id != p.kommune_id:
        raise KeineBerechtigung(
            _(
                "Den Rahmenvertrag und die abrufberechtigten Kommunen ändert nur die Kommune, "
                "der das Projekt gehört."
            )
        )
    geaendert = felder_anwenden(p, felder, by)
    p.full_clean()
    p.rahmenvertrag_pruefen(gespeichert if abrufberechtigt is None else abrufberechtigt)
    p.save()
    if themen is not None and _m2m_setzen(p.themen, themen, Thema):
        geaendert.append("themen")
    if initiativen is not None and _m2m_setzen(p.initiativen, initiativen, Initiative):
        geaendert.append("initiativen")
    if abrufberechtigt is not None and _m2m_setzen(
        p.rahmenvertrag_kommunen, abrufberechtigt, Kommune
    ):
        geaendert.append("rahmenvertrag_kommunen")
    if beteiligungen is not None and _beteiligungen_setzen(p, beteiligungen):
        geaendert.append("beteiligungen")
    beschreibend = [n for n in geaendert if n not in RECHTLICHE_FELDER]
    # What the change did to the Freigaben, for the page's message.
    p.folgen = nach_aenderung(objekt=p, by=by, beschreibend=beschreibend, vorher=vorher)
    projekt_suchvektor_aktualisieren(p.pk)
    return p


# The project's own parts, deleted with it: its Beteiligungen, and the reuse interest other
# Kommunen declared in it (they are told). Anything else pointing at it (results) refuses.
PROJEKT_TEILE = ("beteiligungen", "nachnutzungen")


@transaction.atomic
def projekt_loeschen(*, projekt: Projekt, by) -> Protokoll:
    """The owner's Herausgabe deletes a project that no result refers to any more.

    Its Freigaben end and the Protokoll keeps title and who deleted it
    (kommunen.services.objekt_loeschen)."""
    p = sharing.lock(projekt)  # the one lock order: object first
    if not sharing.can_delete(by, p):
        raise KeineBerechtigung(
            _("Projekte löscht nur die Herausgabe der Kommune, der sie gehören.")
        )
    interessiert = [n.benutzer for n in p.nachnutzungen.select_related("benutzer")]
    titel, kommune = str(p), p.kommune
    zeile = objekt_loeschen(
        objekt=p,
        by=by,
        mitloeschen=PROJEKT_TEILE,
        details={"nachnutzungen": len(interessiert)},
    )
    benachrichtigen(
        empfaenger=interessiert,
        ereignis="projekt_geloescht",
        betreff=lambda: _("Projekt gelöscht: %(titel)s") % {"titel": titel},
        text=lambda: (
            _(
                "%(kommune)s hat das Projekt „%(titel)s“ gelöscht; Ihr Interesse an der "
                "Nachnutzung "
                "ist damit erledigt. Bei Fragen wenden Sie sich bitte direkt an %(kommune)s."
            )
            % {"kommune": kommune, "titel": titel}
        ),
    )
    return zeile
