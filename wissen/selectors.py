"""Reads of results and documents, always through kommunen.sharing."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from kommunen import sharing
from kommunen.models import Freigabe, FreigabeStatus

from .models import Ergebnis


def _basis() -> QuerySet[Ergebnis]:
    return Ergebnis.objects.select_related("kommune", "projekt")


def ergebnis_list_visible(*, user, perm: str = "view") -> QuerySet[Ergebnis]:
    return sharing.visible(user, _basis(), perm)


def ergebnis_list_eigene(*, user) -> QuerySet[Ergebnis]:
    return ergebnis_list_visible(user=user).filter(kommune_id=user.kommune_id)


def ergebnis_list_geteilt(*, user, tage: int = 30) -> QuerySet[Ergebnis]:
    seit = timezone.now() - dt.timedelta(days=tage)
    ids = Freigabe.objects.filter(
        ergebnis__isnull=False, status=FreigabeStatus.ERTEILT, entschieden_am__gte=seit
    ).values("object_id")
    qs = ergebnis_list_visible(user=user).filter(pk__in=ids)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(kommune_id=user.kommune_id)
    return qs


def ergebnis_get_visible(*, user, pk, perm: str = "view") -> Ergebnis:
    return sharing.get_visible_or_404(user, _basis(), perm, pk=pk)
