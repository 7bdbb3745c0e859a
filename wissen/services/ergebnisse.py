"""Writes of results and documents: create, edit, delete, upload (checked by content)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import RECHTLICHE_FELDER, Einstufung, Protokoll
from kommunen.rules import mit_verweis
from kommunen.services import (
    KeineBerechtigung,
    darf_anlegen,
    felder_anwenden,
    felder_pruefen,
    nach_aenderung,
    objekt_loeschen,
)
from projekte.models import Initiative, Projekt, Thema

from .. import dateipruefung
from ..models import Dokument, Dokumentfassung, Ergebnis
from ..suche import ergebnis_suchvektor_aktualisieren
from .dokumente import dateien_loeschen

log = logging.getLogger(__name__)

ERGEBNIS_FELDER = frozenset(
    {
        "titel",
        "zusammenfassung",
        "text",
        "art",
        "datum",
        "autoren",
        "projekt",
        "vsnfd_ansprechstelle",
        *RECHTLICHE_FELDER,
    }
)
ENDUNG_ZU_MIME = dateipruefung.MIME


def _projekt_pruefen(projekt: Projekt | None, *, kommune_id: int, by) -> None:
    """A result links only to a project of its own Kommune (no foreign or forged ids)."""
    if projekt is None:
        return
    if (
        not isinstance(projekt, Projekt)
        or projekt.kommune_id != kommune_id
        or not sharing.can(by, "view", projekt)
    ):
        raise ValidationError(
            {"projekt": _("Verknüpfen lassen sich nur Projekte Ihrer eigenen Kommune.")}
        )


def _zuordnen(manager, neu: Iterable | None, model, feld: str) -> bool:
    """Set a result's Themen or Initiativen; unknown ids are refused. Returns whether the set
    changed."""
    if neu is None:
        return False
    ids = {x.pk if isinstance(x, model) else int(x) for x in neu}
    if model.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({feld: _("Diese Auswahl gibt es nicht (mehr).")})
    if set(manager.values_list("pk", flat=True)) == ids:
        return False
    manager.set(ids)
    return True


@transaction.atomic
def ergebnis_anlegen(
    *,
    by,
    themen: Iterable[Thema] | None = None,
    initiativen: Iterable[Initiative] | None = None,
    **felder,
) -> Ergebnis:
    """A herausgabe user creates a result of their own Kommune."""
    if not darf_anlegen(by):
        raise KeineBerechtigung(_("Ergebnisse legen Herausgeberinnen und Herausgeber an."))
    felder_pruefen(felder, ERGEBNIS_FELDER)
    _projekt_pruefen(felder.get("projekt"), kommune_id=by.kommune_id, by=by)
    ergebnis = Ergebnis(kommune_id=by.kommune_id, erstellt_von=by, **felder)
    ergebnis.full_clean()
    ergebnis.save()
    _zuordnen(ergebnis.themen, themen, Thema, "themen")
    _zuordnen(ergebnis.initiativen, initiativen, Initiative, "initiativen")
    sharing.sync_permissions(ergebnis)
    kommunen_services.protokollieren(
        aktion=Protokoll.Aktion.OBJEKT_ERSTELLT, akteur=by, objekt=ergebnis
    )
    ergebnis_suchvektor_aktualisieren(ergebnis.pk)
    return ergebnis


@transaction.atomic
def ergebnis_aendern(
    *,
    ergebnis: Ergebnis,
    by,
    themen: Iterable[Thema] | None = None,
    initiativen: Iterable[Initiative] | None = None,
    **felder,
) -> Ergebnis:
    """Edit a result. Descriptive edits are logged; legal edits re-check its Freigaben."""
    felder_pruefen(felder, ERGEBNIS_FELDER)
    e = Ergebnis.objects.select_for_update().get(pk=ergebnis.pk)
    if not sharing.can(by, "change", e):
        raise KeineBerechtigung(_("Sie dürfen dieses Ergebnis nicht bearbeiten."))
    if "projekt" in felder and felder["projekt"] != e.projekt:
        _projekt_pruefen(felder["projekt"], kommune_id=e.kommune_id, by=by)
    vorher = e.legal_snapshot()
    geaendert = felder_anwenden(e, felder, by)
    if e.einstufung == Einstufung.VS_NFD and e.dokumente.exists():
        raise ValidationError(
            {
                "einstufung": mit_verweis(
                    _(
                        "Dieses Ergebnis hat Dokumente. VS-NfD-Unterlagen dürfen hier nicht "
                        "gespeichert sein; bitte lassen Sie die Dokumente zuerst vom "
                        "Plattformbetrieb entfernen."
                    ),
                    "VSNFD-1",
                )
            }
        )
    e.full_clean()
    e.save()
    if _zuordnen(e.themen, themen, Thema, "themen"):
        geaendert.append("themen")
    if _zuordnen(e.initiativen, initiativen, Initiative, "initiativen"):
        geaendert.append("initiativen")
    # What the change did to the Freigaben, for the page's message.
    e.folgen = nach_aenderung(
        objekt=e,
        by=by,
        beschreibend=[n for n in geaendert if n not in RECHTLICHE_FELDER],
        vorher=vorher,
    )
    ergebnis_suchvektor_aktualisieren(e.pk)
    return e


@transaction.atomic
def ergebnis_loeschen(*, ergebnis: Ergebnis, by) -> Protokoll:
    """The owner's Herausgabe deletes a result with its documents (e.g. at its Löschdatum).

    Its Freigaben end and the Protokoll keeps title, documents (name and hash) and who
    deleted it (kommunen.services.objekt_loeschen); the files leave the storage once the
    deletion is committed, so a refused or failed deletion keeps them."""
    e = sharing.lock(ergebnis)  # the one lock order: object first
    if not sharing.can_delete(by, e):
        raise KeineBerechtigung(
            _("Ergebnisse löscht nur die Herausgabe der Kommune, der sie gehören.")
        )
    dokumente = list(e.dokumente.defer("text").order_by("pk"))
    namen = [d.datei.name for d in dokumente] + [
        f.datei.name for f in Dokumentfassung.objects.filter(dokument__ergebnis=e)
    ]
    zeile = objekt_loeschen(
        objekt=e,
        by=by,
        mitloeschen=["dokumente"],
        details={
            "dokumente": [
                {"name": d.originalname, "sha256": d.sha256, "groesse": d.groesse}
                for d in dokumente
            ]
        },
    )
    speicher = Dokument._meta.get_field("datei").storage
    transaction.on_commit(lambda: dateien_loeschen(speicher, namen))
    return zeile


# --- text extraction ----------------------------------------------------------------------
