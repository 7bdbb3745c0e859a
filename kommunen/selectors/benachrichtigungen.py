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


def benachrichtigung_zum_link(*, user, link: str) -> Benachrichtigung | None:
    """The user's newest notification that led to `link`: when the page there is gone for
    her (the object no longer shared, withdrawn or deleted), it says so instead of a bare
    "not found". Nothing is told that the notification did not already say."""
    if user is None or not user.is_authenticated or not link.startswith("/"):
        return None
    return (
        benachrichtigungen(user=user)
        .filter(link=link)
        .only("betreff", "erstellt_am")
        .order_by("-erstellt_am", "-pk")
        .first()
    )
