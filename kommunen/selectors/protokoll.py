"""Reads of the Protokoll: a Kommune's own audit log, filtered."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ..models import (
    Kommune,
    Protokoll,
)


def protokoll_der_kommune(*, kommune: Kommune) -> QuerySet[Protokoll]:
    return Protokoll.objects.filter(kommune=kommune).select_related("akteur_kommune")


def protokoll_gefiltert(
    *,
    kommune: Kommune,
    objekt: str = "",
    benutzer: str = "",
    aktion: str = "",
    von: dt.date | None = None,
    bis: dt.date | None = None,
) -> QuerySet[Protokoll]:
    """The city's audit log with the filters of the Protokoll page and its CSV export."""
    qs = protokoll_der_kommune(kommune=kommune)
    if objekt:
        qs = qs.filter(objekt_titel__icontains=objekt)
    if benutzer:
        qs = qs.filter(akteur_name__icontains=benutzer)
    if aktion:
        qs = qs.filter(aktion=aktion)
    if von:
        qs = qs.filter(zeitpunkt__date__gte=von)
    if bis:
        qs = qs.filter(zeitpunkt__date__lte=bis)
    return qs.order_by("-zeitpunkt", "-id")
