"""The audit log's writer (Protokoll) and its pseudonymisation, the refusal every service
raises, and run records."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from common import zwischenspeicher

from ..models import (
    Aufgabenlauf,
    Benutzer,
    Freigabe,
    Kommune,
    Protokoll,
)
from ..models.protokoll import LESEN_BENANNT

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
    """Append one row to the audit log, in the caller's transaction.

    A read event (Protokoll.LESEN) names its reader only while PROTOKOLL_LESEN_PRO_PERSON is on;
    otherwise it records the reader's Kommune and the token Protokoll.PSEUDONYM from the start.
    """
    if kommune is None and objekt is not None:
        kommune = objekt.kommune
    if kommune is None and freigabe is not None:
        kommune = freigabe.eigentuemer
    angemeldet = akteur is not None and akteur.is_authenticated
    person = angemeldet and (aktion not in Protokoll.LESEN or settings.PROTOKOLL_LESEN_PRO_PERSON)
    akteur_name = ""
    if angemeldet:
        akteur_name = akteur.get_username() if person else Protokoll.PSEUDONYM
    return Protokoll.objects.create(
        # Read at call time (not the field's default, bound at import), so that the row and
        # the day ansicht_protokollieren checks come from the same clock.
        zeitpunkt=timezone.now(),
        aktion=aktion,
        kommune=kommune,
        akteur=akteur if person else None,
        akteur_name=akteur_name,
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
    without a Kommune). At most one row per reader, object and local day, per Kommune when reads
    are not logged per person: a reload costs one cache read (or, without the cache, one query)
    and writes nothing; the cache learns of a row only once it is committed. Two requests at the
    very same moment may both write; a second row of the same read does no harm.
    """
    if not user.is_authenticated or user.kommune_id is None:
        return None
    if user.kommune_id == objekt.kommune_id:
        return None
    heute = timezone.localdate()
    ct = ContentType.objects.get_for_model(objekt)
    wer = user.pk if settings.PROTOKOLL_LESEN_PRO_PERSON else f"k{user.kommune_id}"
    # A committed row of today's read, remembered in the shared cache: a reload reads no table.
    gemerkt = f"protokoll:angesehen:{heute.isoformat()}:{ct.pk}:{objekt.pk}:{wer}"
    if zwischenspeicher.lesen(gemerkt):
        return None

    def merken():
        zwischenspeicher.schreiben(gemerkt, 1, 2 * 24 * 3600)

    schon = Protokoll.objects.filter(
        aktion=A.ANSICHT,
        content_type=ct,
        object_id=objekt.pk,
        zeitpunkt__gte=_tagesbeginn(heute),
        zeitpunkt__lt=_tagesbeginn(heute + dt.timedelta(days=1)),
    )
    if settings.PROTOKOLL_LESEN_PRO_PERSON:
        schon = schon.filter(akteur=user)
    else:
        schon = schon.filter(akteur__isnull=True, akteur_kommune_id=user.kommune_id)
    if schon.exists():
        transaction.on_commit(merken)
        return None
    eintrag = protokollieren(aktion=A.ANSICHT, akteur=user, objekt=objekt)
    transaction.on_commit(merken)
    return eintrag


def _tagesbeginn(tag: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(tag, dt.time.min))


def _monate_vorher(tag: dt.date, monate: int) -> dt.date:
    jahr, monat = divmod(tag.year * 12 + tag.month - 1 - monate, 12)
    monat += 1
    # The same day of the month, or the month's last day (31 March minus one month: 28/29 Feb).
    naechster = dt.date(jahr + (monat == 12), monat % 12 + 1, 1)
    return dt.date(jahr, monat, min(tag.day, (naechster - dt.timedelta(days=1)).day))


def lesen_stichtag(*, heute: dt.date | None = None) -> dt.datetime:
    """Read events before this moment are past their retention: local midnight, as many months
    ago as PROTOKOLL_LESEN_AUFBEWAHREN_MONATE says."""
    heute = heute or timezone.localdate()
    return _tagesbeginn(_monate_vorher(heute, settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE))


def protokoll_pseudonymisieren(*, stichtag: dt.datetime | None = None) -> int:
    """Replace the person in read events older than the retention period by the pseudonym.

    The Kommune of the reader, time, object, action and details stay; decisions (every other
    action) are never touched. Idempotent: a row already pseudonymised is not changed again.
    Returns the number of rows changed.

    On PostgreSQL this is the database function `wv_protokoll_pseudonymisieren` (migration
    0009), the one UPDATE the append-only trigger admits. SQLite (the embedded demo) has no
    trigger and no such function: there the same change is a plain ORM update.
    """
    stichtag = stichtag or lesen_stichtag()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT wv_protokoll_pseudonymisieren(%s)", [stichtag])
            return cursor.fetchone()[0]
    return _pseudonymisieren_orm(stichtag)


def _pseudonymisieren_orm(stichtag: dt.datetime) -> int:
    """What the database function does, for databases without it (SQLite)."""
    return (
        Protokoll.objects.filter(LESEN_BENANNT, zeitpunkt__lt=stichtag)
        .order_by()
        .update(akteur=None, akteur_name=Protokoll.PSEUDONYM)
    )


def protokoll_exportiert(*, by: Benutzer, filter_: dict) -> Protokoll:
    """Log that an admin exported their city's audit log (who read it, with which filters)."""
    return protokollieren(
        aktion=A.PROTOKOLL_EXPORTIERT, akteur=by, kommune=by.kommune, details={"filter": filter_}
    )


def aufgabenlauf_merken(*, aufgabe: str) -> None:
    """Note that a periodic task has just finished (one row per task, overwritten)."""
    Aufgabenlauf.objects.update_or_create(aufgabe=aufgabe, defaults={"zuletzt_am": timezone.now()})
