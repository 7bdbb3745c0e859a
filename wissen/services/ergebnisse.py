"""Writes of results and documents: create, edit, delete, upload (checked by content)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.ablage import SPEICHER_FEHLER
from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import RECHTLICHE_FELDER, Einstufung, Protokoll
from kommunen.rules import mit_verweis, mit_verweis_lazy
from kommunen.services import (
    KeineBerechtigung,
    darf_anlegen,
    felder_anwenden,
    felder_pruefen,
    nach_aenderung,
    objekt_loeschen,
)
from projekte.models import Projekt

from .. import dateipruefung
from ..models import Dokument, Ergebnis
from ..suche import ergebnis_suchvektor_aktualisieren
from .extraktion import extraktion_einreihen

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


VSNFD_DOKUMENTE = mit_verweis_lazy(
    gettext_lazy(
        "Zu VS-NfD-Objekten werden keine Dokumente gespeichert – der Wissensverbund ist "
        "kein zugelassenes VS-IT-System. Bitte in den Metadaten angeben, wo die Unterlagen "
        "angefragt werden können."
    ),
    "VSNFD-1",
)


@transaction.atomic
def ergebnis_anlegen(*, by, **felder) -> Ergebnis:
    """A herausgabe user creates a result of their own Kommune."""
    if not darf_anlegen(by):
        raise KeineBerechtigung(_("Ergebnisse legen Herausgeberinnen und Herausgeber an."))
    felder_pruefen(felder, ERGEBNIS_FELDER)
    _projekt_pruefen(felder.get("projekt"), kommune_id=by.kommune_id, by=by)
    ergebnis = Ergebnis(kommune_id=by.kommune_id, erstellt_von=by, **felder)
    ergebnis.full_clean()
    ergebnis.save()
    sharing.sync_permissions(ergebnis)
    kommunen_services.protokollieren(
        aktion=Protokoll.Aktion.OBJEKT_ERSTELLT, akteur=by, objekt=ergebnis
    )
    ergebnis_suchvektor_aktualisieren(ergebnis.pk)
    return ergebnis


@transaction.atomic
def ergebnis_aendern(*, ergebnis: Ergebnis, by, **felder) -> Ergebnis:
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
    nach_aenderung(
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
    namen = [d.datei.name for d in dokumente if d.datei.name]
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
    transaction.on_commit(lambda: _dateien_loeschen(speicher, namen))
    return zeile


def _dateien_loeschen(speicher, namen: list[str]) -> None:
    """Remove deleted documents' files; a file another document still uses stays."""
    for name in namen:
        if Dokument.objects.filter(datei=name).exists():
            continue
        try:
            speicher.delete(name)
        except SPEICHER_FEHLER:
            log.exception("File %s of a deleted result not removed", name)


NICHT_GESPEICHERT = gettext_lazy(
    "Die Datei konnte gerade nicht in der Dokumentenablage gespeichert werden. Bitte "
    "versuchen Sie es später noch einmal; bleibt der Fehler, wenden Sie sich an den "
    "Plattformbetrieb."
)


@transaction.atomic
def dokument_hochladen(*, ergebnis: Ergebnis, datei, by) -> Dokument:
    """Store one checked file of a result and queue its text extraction.

    Refusals (type, size, duplicate, VS-NfD) raise ValidationError on "datei" and leave
    nothing behind: no row, no file."""
    e = Ergebnis.objects.select_for_update().get(pk=ergebnis.pk)
    if not sharing.can_change_documents(by, e):
        raise KeineBerechtigung(
            _(
                "Dokumente eines Ergebnisses fügt nur die Herausgabe der besitzenden Kommune hinzu "
                "oder ersetzt sie. Bitte wenden Sie sich an sie."
            )
        )
    if e.einstufung == Einstufung.VS_NFD:
        raise ValidationError({"datei": VSNFD_DOKUMENTE})
    pruefung = dateipruefung.pruefen(datei)
    if e.dokumente.filter(sha256=pruefung.sha256).exists():
        raise ValidationError(
            {"datei": _("Diese Datei ist bei diesem Ergebnis schon vorhanden (gleicher Inhalt).")}
        )
    dok = Dokument(
        ergebnis=e,
        originalname=pruefung.originalname,
        groesse=pruefung.groesse,
        sha256=pruefung.sha256,
        mime=pruefung.mime,
        hochgeladen_von=by,
    )
    gespeichert = None
    try:
        datei.seek(0)
        # The stored name derives from the hash (see models.dokument_pfad), never from input.
        try:
            dok.datei.save(pruefung.sha256, datei, save=False)
        except SPEICHER_FEHLER as exc:
            log.exception("Document of result %s not stored", e.pk)
            raise ValidationError({"datei": NICHT_GESPEICHERT}) from exc
        gespeichert = dok.datei.name
        dok.full_clean(exclude=["datei"])
        with transaction.atomic():
            dok.save()
        kommunen_services.protokollieren(
            aktion=Protokoll.Aktion.DOKUMENT_HINZUGEFUEGT,
            akteur=by,
            objekt=e,
            details={
                "dokument": dok.pk,
                "name": dok.originalname,
                "sha256": dok.sha256,
                "groesse": dok.groesse,
            },
        )
        kommunen_services.dokumente_geaendert(objekt=e, by=by)
    except IntegrityError as exc:
        _datei_entfernen(dok, gespeichert)
        raise ValidationError(
            {"datei": _("Diese Datei ist bei diesem Ergebnis schon vorhanden (gleicher Inhalt).")}
        ) from exc
    except BaseException:
        _datei_entfernen(dok, gespeichert)
        raise

    pk = dok.pk
    transaction.on_commit(lambda: extraktion_einreihen(pk))
    return dok


def _datei_entfernen(dok: Dokument, name: str | None) -> None:
    # Called while a refusal or failure propagates: a store that fails here too must not
    # replace that error with its own.
    if name:
        try:
            dok.datei.storage.delete(name)
        except SPEICHER_FEHLER:
            log.exception("File %s of a failed upload not removed", name)


# --- text extraction ----------------------------------------------------------------------
