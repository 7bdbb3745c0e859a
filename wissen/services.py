"""Writes of results and documents: create, edit, upload (checked by content), extract text."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.aufgaben import einreihen
from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.models import RECHTLICHE_FELDER, Einstufung, Protokoll
from kommunen.services import (
    KeineBerechtigung,
    darf_anlegen,
    felder_anwenden,
    felder_pruefen,
    nach_aenderung,
    objekt_loeschen,
)
from projekte.models import Projekt

from . import dateipruefung, extraktion
from .models import Dokument, Ergebnis
from .suche import ergebnis_suchvektor_aktualisieren

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
MIME_ZU_ENDUNG = {mime: endung for endung, mime in ENDUNG_ZU_MIME.items()}


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


VSNFD_DOKUMENTE = gettext_lazy(
    "VSNFD-1: Zu VS-NfD-Objekten werden keine Dokumente gespeichert – der Wissensverbund ist "
    "kein zugelassenes VS-IT-System. Bitte in den Metadaten angeben, wo die Unterlagen "
    "angefragt werden können."
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
                "einstufung": _(
                    "VSNFD-1: Dieses Ergebnis hat Dokumente. VS-NfD-Unterlagen dürfen hier nicht "
                    "gespeichert sein; bitte lassen Sie die Dokumente zuerst vom Plattformbetrieb "
                    "entfernen."
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
        except OSError:
            log.exception("File %s of a deleted result not removed", name)


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
        dok.datei.save(pruefung.sha256, datei, save=False)
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


def extraktion_einreihen(dokument_id: int) -> None:
    """Queue the extraction. If the broker is down the upload still stands (`einreihen` logs
    it): the periodic `extraktion_nachholen` picks the waiting document up later."""
    from .tasks import dokument_extrahieren

    try:
        einreihen(dokument_extrahieren, dokument_id)
    except Exception:  # noqa: BLE001 - eager mode runs the task here; the upload stands
        log.exception("Extraction of document %s failed; the periodic job retries", dokument_id)


NACHHOLEN_NACH = dt.timedelta(minutes=10)
# No run lives longer than the task's hard time limit (240 s): one begun earlier than this
# is dead (the worker was killed or lost) and is started again.
LAEUFT_HOECHSTENS = dt.timedelta(minutes=5)


def extraktion_nachholen(*, jetzt: dt.datetime | None = None) -> int:
    """Re-queue documents whose extraction never started (broker was down) or stalled."""
    jetzt = jetzt or timezone.now()
    ids = list(
        Dokument.objects.filter(
            Q(extraktion=Dokument.Extraktion.WARTET, hochgeladen_am__lt=jetzt - NACHHOLEN_NACH)
            | Q(
                extraktion=Dokument.Extraktion.LAEUFT,
                extraktion_begonnen__lt=jetzt - LAEUFT_HOECHSTENS,
            )
            | Q(
                extraktion=Dokument.Extraktion.LAEUFT,
                extraktion_begonnen__isnull=True,
                hochgeladen_am__lt=jetzt - LAEUFT_HOECHSTENS,
            )
        ).values_list("pk", flat=True)[:200]
    )
    for pk in ids:
        extraktion_einreihen(pk)
    return len(ids)


def _datei_entfernen(dok: Dokument, name: str | None) -> None:
    if name:
        dok.datei.storage.delete(name)


# --- text extraction ----------------------------------------------------------------------

FORTSCHRITT_SCHRITT = 5


def dokument_text_extrahieren(*, dokument_id: int) -> str | None:
    """Extract a document's text for search: wartet -> laeuft -> fertig | fehler.

    Safe to run twice: a finished document is left alone; a run interrupted while "laeuft"
    (worker lost, task redelivered) starts over."""
    with transaction.atomic():
        dok = (
            Dokument.objects.select_for_update()
            .select_related("ergebnis")
            .filter(pk=dokument_id)
            .first()
        )
        if dok is None or dok.extraktion == Dokument.Extraktion.FERTIG:
            return dok.extraktion if dok else None
        dok.extraktion = Dokument.Extraktion.LAEUFT
        dok.extraktion_fortschritt = 0
        dok.extraktion_fehler = ""
        dok.extraktion_begonnen = timezone.now()
        dok.save(
            update_fields=[
                "extraktion",
                "extraktion_fortschritt",
                "extraktion_fehler",
                "extraktion_begonnen",
            ]
        )

    gemeldet = 0

    def fortschritt(prozent: int) -> None:
        # Few writes: every 5 percentage points, so the page's poll sees movement.
        nonlocal gemeldet
        prozent = max(0, min(100, int(prozent)))
        if prozent - gemeldet >= FORTSCHRITT_SCHRITT:
            Dokument.objects.filter(pk=dokument_id).update(extraktion_fortschritt=prozent)
            gemeldet = prozent

    art = MIME_ZU_ENDUNG.get(dok.mime, "")
    try:
        with dok.datei.open("rb") as f:
            text, gekuerzt = extraktion.extrahieren(
                f, art, fortschritt, max_zeichen=settings.EXTRAKTION_MAX_ZEICHEN
            )
    except extraktion.ExtraktionsFehler as exc:
        return extraktion_fehlgeschlagen(
            dokument_id=dokument_id, grund=exc.grund, teiltext=exc.teiltext
        )
    except FileNotFoundError:
        return extraktion_fehlgeschlagen(
            dokument_id=dokument_id, grund=_("Die gespeicherte Datei wurde nicht gefunden.")
        )
    if gekuerzt:
        log.info("Text of document %s cut at %s characters", dokument_id, len(text))
    try:
        with transaction.atomic():
            Dokument.objects.filter(pk=dokument_id).update(
                text=text,
                extraktion=Dokument.Extraktion.FERTIG,
                extraktion_fortschritt=100,
                extraktion_fehler="",
            )
            ergebnis_suchvektor_aktualisieren(dok.ergebnis_id)
    except OperationalError as exc:
        if not _zu_gross_fuer_suchindex(exc):
            raise  # a passing database problem: the task retries
        return _nicht_indexierbar(dokument_id)
    return Dokument.Extraktion.FERTIG


NICHT_INDEXIERBAR = gettext_lazy(
    "Der Text dieses Dokuments ist zu umfangreich für den Suchindex; das Dokument ist "
    "gespeichert, aber über seinen Inhalt nicht auffindbar. Bitte eine kürzere Fassung "
    "oder Auszüge hochladen."
)


def _zu_gross_fuer_suchindex(exc: Exception) -> bool:
    # SQLSTATE 54000 program_limit_exceeded: "string is too long for tsvector" (1 MB of
    # lexemes and positions). A character cap cannot rule it out: distinct words cost more.
    return getattr(exc.__cause__, "sqlstate", None) == "54000"


def _nicht_indexierbar(dokument_id: int) -> str:
    log.warning("Text of document %s is too large for the search index", dokument_id)
    return extraktion_fehlgeschlagen(dokument_id=dokument_id, grund=str(NICHT_INDEXIERBAR))


def extraktion_fehlgeschlagen(*, dokument_id: int, grund: str, teiltext: str = "") -> str:
    """Record a failed extraction with its German reason; what was read still feeds search,
    unless even that is too large for the index (then the document keeps no text)."""
    teiltext = teiltext.replace("\x00", " ")[: settings.EXTRAKTION_MAX_ZEICHEN]
    try:
        _fehler_speichern(dokument_id, grund, teiltext)
    except OperationalError as exc:
        if not (teiltext and _zu_gross_fuer_suchindex(exc)):
            raise
        _fehler_speichern(dokument_id, str(NICHT_INDEXIERBAR), "")
    return Dokument.Extraktion.FEHLER


def _fehler_speichern(dokument_id: int, grund: str, text: str) -> None:
    with transaction.atomic():
        Dokument.objects.filter(pk=dokument_id).update(
            text=text,
            extraktion=Dokument.Extraktion.FEHLER,
            extraktion_fehler=grund[:300],
        )
        ergebnis_id = (
            Dokument.objects.filter(pk=dokument_id).values_list("ergebnis_id", flat=True).first()
        )
        if ergebnis_id is not None:
            ergebnis_suchvektor_aktualisieren(ergebnis_id)
