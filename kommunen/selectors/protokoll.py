"""Reads of the Protokoll: a Kommune's own audit log, filtered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
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


def noch_vorhanden(eintraege: Iterable[Protokoll]) -> set[tuple[int, int]]:
    """(content type id, object id) of the rows' objects that still exist: a row outlives the
    object it tells of (deleted objects keep their Protokoll). One query per object type."""
    ids: dict[int, set[int]] = {}
    for e in eintraege:
        if e.content_type_id and e.object_id:
            ids.setdefault(e.content_type_id, set()).add(e.object_id)
    vorhanden = set()
    for ct_id, pks in ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for pk in model._base_manager.filter(pk__in=pks).values_list("pk", flat=True):
            vorhanden.add((ct_id, pk))
    return vorhanden
