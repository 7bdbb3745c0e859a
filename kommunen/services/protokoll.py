"""The audit log's writer (Protokoll), the refusal every service raises, and run records."""

from __future__ import annotations

import datetime as dt

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
        # Read at call time (not the field's default, bound at import), so that the row and
        # the day ansicht_protokollieren checks come from the same clock.
        zeitpunkt=timezone.now(),
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


def ansicht_protokollieren(*, user, objekt) -> Protokoll | None:
    """Log that a user of another Kommune opened the detail page of a shared object.

    Staff reading their own Kommune's objects and anonymous visitors are not logged (nor users
    without a Kommune). At most one row per reader, object and local day: a reload costs one
    query and writes nothing. Two requests at the very same moment may both write; a second row
    of the same read does no harm.
    """
    if not user.is_authenticated or user.kommune_id is None:
        return None
    if user.kommune_id == objekt.kommune_id:
        return None
    heute = timezone.localdate()
    schon = Protokoll.objects.filter(
        aktion=A.ANSICHT,
        content_type=ContentType.objects.get_for_model(objekt),
        object_id=objekt.pk,
        zeitpunkt__gte=_tagesbeginn(heute),
        zeitpunkt__lt=_tagesbeginn(heute + dt.timedelta(days=1)),
    )
    if schon.filter(akteur=user).exists():
        return None
    return protokollieren(aktion=A.ANSICHT, akteur=user, objekt=objekt)


def _tagesbeginn(tag: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tag, dt.time.min))


def protokoll_exportiert(*, by: Benutzer, filter_: dict) -> Protokoll:
    """Log that an admin exported their city's audit log (who read it, with which filters)."""
    return protokollieren(
        aktion=A.PROTOKOLL_EXPORTIERT, akteur=by, kommune=by.kommune, details={"filter": filter_}
    )


def aufgabenlauf_merken(*, aufgabe: str) -> None:
    """Note that a periodic task has just finished (one row per task, overwritten)."""
    Aufgabenlauf.objects.update_or_create(aufgabe=aufgabe, defaults={"zuletzt_am": timezone.now()})
