"""Reads of the user's notifications."""

from __future__ import annotations

from django.db.models import F, QuerySet

from ..models import (
    Benachrichtigung,
)


def benachrichtigungen(*, user) -> QuerySet[Benachrichtigung]:
    return Benachrichtigung.objects.filter(empfaenger=user)


def benachrichtigungen_liste(*, user) -> QuerySet[Benachrichtigung]:
    """Unread first, newest first within each group."""
    return benachrichtigungen(user=user).order_by(
        F("gelesen_am").asc(nulls_first=True), "-erstellt_am", "-pk"
    )
