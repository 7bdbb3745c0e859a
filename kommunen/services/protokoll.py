"""The audit log's writer (Protokoll), the refusal every service raises, and run records."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ..models import (
    Aufgabenlauf,
    Benutzer,
    Freigabe,
    Kommune,
    Protokoll,
)

A = Protokoll.Aktion


class KeineBerechtigung(PermissionDenied):
    pass


def protokollieren(
    *,
    aktion: str,
    akteur=None,
    objekt=None,
    kommune: Kommune | None = None,
    freigabe: Freigabe | None = None,
    details: dict | None = None,
) -> Protokoll:
    """Append one row to the audit log, in the caller's transaction."""
    if kommune is None and objekt is not None:
        kommune = objekt.kommune
    if kommune is None and freigabe is not None:
        kommune = freigabe.eigentuemer
    angemeldet = akteur is not None and akteur.is_authenticated
    return Protokoll.objects.create(
        aktion=aktion,
        kommune=kommune,
        akteur=akteur if angemeldet else None,
        akteur_name=akteur.get_username() if angemeldet else "",
        akteur_kommune_id=getattr(akteur, "kommune_id", None) if angemeldet else None,
        content_type=ContentType.objects.get_for_model(objekt) if objekt is not None else None,
        object_id=objekt.pk if objekt is not None else None,
        objekt_titel=str(objekt)[:300] if objekt is not None else "",
        freigabe_id_ref=freigabe.pk if freigabe is not None else None,
        details=details or {},
    )


def protokoll_exportiert(*, by: Benutzer, filter_: dict) -> Protokoll:
    """Log that an admin exported their city's audit log (who read it, with which filters)."""
    return protokollieren(
        aktion=A.PROTOKOLL_EXPORTIERT, akteur=by, kommune=by.kommune, details={"filter": filter_}
    )


def aufgabenlauf_merken(*, aufgabe: str) -> None:
    """Note that a periodic task has just finished (one row per task, overwritten)."""
    Aufgabenlauf.objects.update_or_create(aufgabe=aufgabe, defaults={"zuletzt_am": timezone.now()})
