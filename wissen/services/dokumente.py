"""Writes of a result's documents: upload (checked by content), replace, delete.

Only the owner's Herausgabe changes documents (`sharing.can_change_documents`). A new or
replaced document holds back the documents of every Freigabe that shares them until an admin
grants again (VERSION-1, `kommunen.services.dokumente_geaendert`). A replaced document keeps
its earlier versions for the owner (`Dokumentfassung`); recipients only ever get the current
one. A deleted document's files, earlier versions included, leave the store once the deletion
is committed; the Protokoll keeps name, hash and size.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.ablage import SPEICHER_FEHLER
from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import Einstufung, Protokoll
from kommunen.rules import mit_verweis_lazy
from kommunen.services import KeineBerechtigung

from .. import dateipruefung
from ..models import Dokument, Dokumentfassung, Ergebnis
from ..suche import ergebnis_suchvektor_aktualisieren
from .extraktion import extraktion_einreihen

log = logging.getLogger(__name__)

VSNFD_DOKUMENTE = mit_verweis_lazy(
    gettext_lazy(
        "Zu VS-NfD-Objekten werden keine Dokumente gespeichert – der Wissensverbund ist "
        "kein zugelassenes VS-IT-System. Bitte in den Metadaten angeben, wo die Unterlagen "
        "angefragt werden können."
    ),
    "VSNFD-1",
)
NICHT_GESPEICHERT = gettext_lazy(
    "Die Datei konnte gerade nicht in der Dokumentenablage gespeichert werden. Bitte "
    "versuchen Sie es später noch einmal; bleibt der Fehler, wenden Sie sich an den "
    "Plattformbetrieb."
)
SCHON_VORHANDEN = gettext_lazy(
    "Diese Datei ist bei diesem Ergebnis schon vorhanden (gleicher Inhalt)."
)
GRUND_MAX = 500

# What a new extraction starts from: the text and state of the previous version are gone.
EXTRAKTION_NEU = {
    "text": "",
    "extraktion": Dokument.Extraktion.WARTET,
    "extraktion_fehler": "",
    "extraktion_fortschritt": 0,
    "extraktion_seite": 0,
    "extraktion_begonnen": None,
    "textquelle": "",
    "seiten": None,
    "ocr_seiten": 0,
    "ocr_konfidenz": None,
}


def _ergebnis_sperren(ergebnis: Ergebnis, by) -> Ergebnis:
    e = sharing.lock(ergebnis)  # the one lock order: object, then its Freigaben
    if not sharing.can_change_documents(by, e):
        raise KeineBerechtigung(
            _(
                "Dokumente eines Ergebnisses fügt nur die Herausgabe der besitzenden Kommune hinzu "
                "oder ersetzt sie. Bitte wenden Sie sich an sie."
            )
        )
    return e


def _speichern(dok, datei, pruefung, ergebnis_pk: int) -> str:
    """Store the checked file under its hash; returns the stored name."""
    datei.seek(0)
    # The stored name derives from the hash (see models.dokument_pfad), never from input.
    try:
        dok.datei.save(pruefung.sha256, datei, save=False)
    except SPEICHER_FEHLER as exc:
        log.exception("Document of result %s not stored", ergebnis_pk)
        raise ValidationError({"datei": NICHT_GESPEICHERT}) from exc
    return dok.datei.name


def _neu_pruefen(e: Ergebnis, datei):
    if e.einstufung == Einstufung.VS_NFD:
        raise ValidationError({"datei": VSNFD_DOKUMENTE})
    pruefung = dateipruefung.pruefen(datei)
    if e.dokumente.filter(sha256=pruefung.sha256).exists():
        raise ValidationError({"datei": SCHON_VORHANDEN})
    return pruefung


@transaction.atomic
def dokument_hochladen(*, ergebnis: Ergebnis, datei, by) -> Dokument:
    """Store one checked file of a result and queue its text extraction.

    Refusals (type, size, duplicate, VS-NfD) raise ValidationError on "datei" and leave
    nothing behind: no row, no file."""
    e = _ergebnis_sperren(ergebnis, by)
    pruefung = _neu_pruefen(e, datei)
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
        gespeichert = _speichern(dok, datei, pruefung, e.pk)
        dok.full_clean(exclude=["datei"])
        with transaction.atomic():
            dok.save()
        kommunen_services.protokollieren(
            aktion=Protokoll.Aktion.DOKUMENT_HINZUGEFUEGT,
            akteur=by,
            objekt=e,
            details=_protokoll_angaben(dok),
        )
        kommunen_services.dokumente_geaendert(objekt=e, by=by)
    except IntegrityError as exc:
        _datei_entfernen(dok.datei.storage, gespeichert, dok.pk)
        raise ValidationError({"datei": SCHON_VORHANDEN}) from exc
    except BaseException:
        _datei_entfernen(dok.datei.storage, gespeichert, dok.pk)
        raise

    pk = dok.pk
    transaction.on_commit(lambda: extraktion_einreihen(pk))
    return dok


@transaction.atomic
def dokument_ersetzen(*, ergebnis: Ergebnis, dokument_pk: int, datei, by) -> Dokument:
    """Replace a document by a new version: the document keeps its place (and its address),
    its earlier version stays in its history for the owner, its text is extracted anew, and
    the Freigaben that share documents hold them back until an admin grants again."""
    e = _ergebnis_sperren(ergebnis, by)
    dok = Dokument.objects.select_for_update().filter(ergebnis=e, pk=dokument_pk).first()
    if dok is None:
        raise ValidationError(
            {"ersetzt": _("Dieses Dokument gibt es bei diesem Ergebnis nicht (mehr).")}
        )
    pruefung = _neu_pruefen(e, datei)
    vorher = Dokumentfassung(
        dokument=dok,
        datei=dok.datei.name,
        originalname=dok.originalname,
        groesse=dok.groesse,
        sha256=dok.sha256,
        mime=dok.mime,
        hochgeladen_von_id=dok.hochgeladen_von_id,
        hochgeladen_am=dok.hochgeladen_am,
        ersetzt_von=by,
        ersetzt_am=timezone.now(),
    )
    neu = Dokument(ergebnis=e, sha256=pruefung.sha256)
    gespeichert = None
    try:
        gespeichert = _speichern(neu, datei, pruefung, e.pk)
        vorher.save()
        felder = {
            "datei": gespeichert,
            "originalname": pruefung.originalname,
            "groesse": pruefung.groesse,
            "sha256": pruefung.sha256,
            "mime": pruefung.mime,
            "hochgeladen_von": by,
            "hochgeladen_am": vorher.ersetzt_am,
            **EXTRAKTION_NEU,
        }
        with transaction.atomic():
            Dokument.objects.filter(pk=dok.pk).update(**felder)
        kommunen_services.protokollieren(
            aktion=Protokoll.Aktion.DOKUMENT_ERSETZT,
            akteur=by,
            objekt=e,
            details={
                "dokument": dok.pk,
                "ersetzt": {"name": vorher.originalname, "sha256": vorher.sha256},
                "name": pruefung.originalname,
                "sha256": pruefung.sha256,
                "groesse": pruefung.groesse,
            },
        )
        # The old text leaves the index now, not when the new one has been read.
        ergebnis_suchvektor_aktualisieren(e.pk)
        kommunen_services.dokumente_geaendert(objekt=e, by=by)
    except IntegrityError as exc:
        if gespeichert != vorher.datei.name:
            _datei_entfernen(neu.datei.storage, gespeichert, dok.pk)
        raise ValidationError({"datei": SCHON_VORHANDEN}) from exc
    except BaseException:
        if gespeichert != vorher.datei.name:
            _datei_entfernen(neu.datei.storage, gespeichert, dok.pk)
        raise
    dok.refresh_from_db()
    transaction.on_commit(lambda: extraktion_einreihen(dok.pk))
    return dok


@transaction.atomic
def dokument_loeschen(*, ergebnis: Ergebnis, dokument_pk: int, by, grund: str = "") -> None:
    """Delete a document with its earlier versions; their files leave the store on commit.

    Removing a document narrows what a Freigabe shares, so no Freigabe is re-checked; the
    Protokoll keeps what was deleted, by whom and why."""
    e = _ergebnis_sperren(ergebnis, by)
    grund = (grund or "").strip()
    if len(grund) > GRUND_MAX:
        raise ValidationError(
            {"grund": _("Der Grund ist zu lang (höchstens %(n)s Zeichen).") % {"n": GRUND_MAX}}
        )
    dok = Dokument.objects.select_for_update().filter(ergebnis=e, pk=dokument_pk).first()
    if dok is None:
        raise ValidationError(_("Dieses Dokument gibt es bei diesem Ergebnis nicht (mehr)."))
    fassungen = list(dok.fassungen.all())
    namen = [dok.datei.name, *(f.datei.name for f in fassungen)]
    kommunen_services.protokollieren(
        aktion=Protokoll.Aktion.DOKUMENT_ENTFERNT,
        akteur=by,
        objekt=e,
        details={
            **_protokoll_angaben(dok),
            "fassungen": len(fassungen),
            **({"grund": grund} if grund else {}),
        },
    )
    dok.delete()
    ergebnis_suchvektor_aktualisieren(e.pk)
    speicher = Dokument._meta.get_field("datei").storage
    transaction.on_commit(lambda: dateien_loeschen(speicher, namen))


def _protokoll_angaben(dok: Dokument) -> dict:
    """What the Protokoll keeps of a document: enough to prove which file it was."""
    return {
        "dokument": dok.pk,
        "name": dok.originalname,
        "sha256": dok.sha256,
        "groesse": dok.groesse,
    }


def dateien_loeschen(speicher, namen: list[str]) -> None:
    """Remove deleted documents' files; a file another document or version still uses stays
    (files are named by Kommune and hash, so two results of one Kommune may share one)."""
    for name in dict.fromkeys(n for n in namen if n):
        if _noch_benutzt(name):
            continue
        try:
            speicher.delete(name)
        except SPEICHER_FEHLER:
            log.exception("File %s of a deleted document not removed", name)


def _datei_entfernen(speicher, name: str | None, ausser: int | None) -> None:
    # Called while a refusal or failure propagates: a store that fails here too must not
    # replace that error with its own. A file another row (not the failed one) uses stays.
    if not name or _noch_benutzt(name, ausser=ausser):
        return
    try:
        speicher.delete(name)
    except SPEICHER_FEHLER:
        log.exception("File %s of a failed upload not removed", name)


def _noch_benutzt(name: str, *, ausser: int | None = None) -> bool:
    """Whether a document (other than `ausser`) or an earlier version still names the file."""
    return (
        Dokument.objects.filter(datei=name).exclude(pk=ausser).exists()
        or Dokumentfassung.objects.filter(datei=name).exists()
    )
