"""Reads of the user's notifications: always the user's own, optionally of one kind, grouped
per object for the notifications page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from ..models import (
    Benachrichtigung,
)


def art_q(art: str) -> Q:
    """Notifications of one kind: `ereignis` is the kind or "<kind>:<key>"."""
    return Q(ereignis=art) | Q(ereignis__startswith=f"{art}:")


def benachrichtigungen(*, user, art: str = "") -> QuerySet[Benachrichtigung]:
    qs = Benachrichtigung.objects.filter(empfaenger=user)
    return qs.filter(art_q(art)) if art else qs


# Notices about one object share its address (`link`); one without a link stands alone.
_GRUPPE = Case(
    When(link="", then=Concat(Value("#"), Cast("pk", CharField()))),
    default=F("link"),
    output_field=CharField(),
)


def benachrichtigungs_gruppen(*, user, art: str = "") -> QuerySet[dict]:
    """One row per object: its key, newest time, number of notices and of unread ones.
    Objects with unread notices first, then the most recent first (for a Paginator)."""
    return (
        benachrichtigungen(user=user, art=art)
        .annotate(gruppe=_GRUPPE)
        .values("gruppe")
        .annotate(
            neueste=Max("erstellt_am"),
            anzahl=Count("pk"),
            ungelesen=Count("pk", filter=Q(gelesen_am__isnull=True)),
        )
        .order_by(Case(When(ungelesen__gt=0, then=0), default=1), "-neueste", "gruppe")
    )


@dataclass
class Gruppe:
    """The notices about one object: the newest shown, the older ones behind it."""

    neueste: Benachrichtigung
    aeltere: list[Benachrichtigung] = field(default_factory=list)

    @property
    def anzahl(self) -> int:
        return 1 + len(self.aeltere)

    @property
    def ungelesen(self) -> int:
        return sum(1 for b in [self.neueste, *self.aeltere] if b.gelesen_am is None)


def benachrichtigungen_gruppiert(*, user, art: str = "", gruppen: list[dict]) -> list[Gruppe]:
    """The notices of the given groups (a page of `benachrichtigungs_gruppen`), in one query."""
    schluessel = [g["gruppe"] for g in gruppen]
    nach_gruppe: dict[str, list[Benachrichtigung]] = {s: [] for s in schluessel}
    zeilen = (
        benachrichtigungen(user=user, art=art)
        .annotate(gruppe=_GRUPPE)
        .filter(gruppe__in=schluessel)
        .order_by("-erstellt_am", "-pk")
    )
    for b in zeilen:
        nach_gruppe[b.gruppe].append(b)
    return [
        Gruppe(neueste=nach_gruppe[s][0], aeltere=nach_gruppe[s][1:])
        for s in schluessel
        if nach_gruppe[s]
    ]


def benachrichtigung_zum_link(*, user, link: str) -> Benachrichtigung | None:
    """The user's newest notification that led to `link`: when the page there is gone for
    her (the object no longer shared, withdrawn or deleted), it says so instead of a bare
    "not found". Nothing is told that the notification did not already say."""
    if user is None or not user.is_authenticated or not link.startswith("/"):
        return None
    return (
        benachrichtigungen(user=user)
        .filter(link=link)
        .only("betreff", "uebersetzungen", "erstellt_am")
        .order_by("-erstellt_am", "-pk")
        .first()
    )
