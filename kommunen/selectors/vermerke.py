"""Reads of Freigabevermerke: for the owner Kommune's Freigabe-Admins only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Freigabevermerk


def _der_kommune(user) -> QuerySet[Freigabevermerk]:
    """The memos a user may read: those of their own Kommune's Freigaben, if they are one of its
    Freigabe-Admins (they decide; a memo carries names and legal details of the city's own
    objects). Anyone else gets none."""
    if not (user.is_authenticated and user.is_active and user.ist_freigabe_admin):
        return Freigabevermerk.objects.none()
    return Freigabevermerk.objects.filter(freigabe__eigentuemer_id=user.kommune_id)


def vermerk_zum_herunterladen(*, user, freigabe_pk, pk) -> Freigabevermerk:
    """One stored memo of one Freigabe; the same 404 for missing, foreign, not yet drawn and
    not allowed, so that nothing tells whether a memo exists."""
    try:
        return (
            _der_kommune(user)
            .exclude(datei="")
            .select_related("freigabe")
            .get(pk=int(pk), freigabe_id=int(freigabe_pk))
        )
    except (Freigabevermerk.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Nicht gefunden.")) from exc


def vermerke_der_freigabe(*, user, freigabe) -> list[Freigabevermerk]:
    return list(
        _der_kommune(user)
        .filter(freigabe=freigabe)
        .select_related("protokoll")
        .defer("inhalt")
        .order_by("erstellt_am", "pk")
    )


def vermerke_zu_protokoll(*, user, eintraege: Iterable) -> dict[int, Freigabevermerk]:
    """The memos of these Protokoll rows, by row id (one query for a page)."""
    ids = [e.pk for e in eintraege if e.freigabe_id_ref]
    if not ids:
        return {}
    return {
        v.protokoll_id: v for v in _der_kommune(user).filter(protokoll_id__in=ids).defer("inhalt")
    }
