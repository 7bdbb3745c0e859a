"""Reads of projects, always through kommunen.sharing."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from kommunen import sharing
from kommunen.models import Freigabe, FreigabeStatus

from .models import Projekt


def _basis() -> QuerySet[Projekt]:
    return Projekt.objects.select_related("kommune")


def projekt_list_visible(*, user, perm: str = "view") -> QuerySet[Projekt]:
    return sharing.visible(user, _basis(), perm)


def projekt_list_eigene(*, user) -> QuerySet[Projekt]:
    return projekt_list_visible(user=user).filter(kommune_id=user.kommune_id)


def projekt_list_geteilt(*, user, tage: int = 30) -> QuerySet[Projekt]:
    """Partners' projects visible to the user whose Freigabe was granted in the last days."""
    seit = timezone.now() - dt.timedelta(days=tage)
    ids = Freigabe.objects.filter(
        projekt__isnull=False, status=FreigabeStatus.ERTEILT, entschieden_am__gte=seit
    ).values("object_id")
    qs = projekt_list_visible(user=user).filter(pk__in=ids)
    if getattr(user, "kommune_id", None):
        qs = qs.exclude(kommune_id=user.kommune_id)
    return qs


def projekt_get_visible(*, user, pk, perm: str = "view") -> Projekt:
    return sharing.get_visible_or_404(user, _basis(), perm, pk=pk)
