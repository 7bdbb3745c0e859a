"""Similar projects of partner cities, shown while a project or result is being created.

Only what the user may see (visible()), never their own Kommune's: the point is to find
what others already did, and one's own projects are in one's own list. A project is similar
when its title, summary, Kommune, Themen or Initiativen share a distinctive word with the
text typed so far (common.aehnlich), or when it carries one of the chosen Themen; both add to
its rank. One query, whatever the number of projects.
"""

from __future__ import annotations

from django.db.models import Count, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from common.aehnlich import anfrage_aus_text, text_bedingung, text_rang
from kommunen import sharing

from . import selectors
from .models import Projekt

ANZAHL = 5
MAX_THEMEN = 50
# A shared Thema weighs like a good match of one word in the summary.
THEMA_GEWICHT = 0.2


def themen_ids(werte) -> list[int]:
    """The Thema ids of a form's values; what is no id is left out (a filter, not a write)."""
    ids = []
    for w in list(werte)[:MAX_THEMEN]:
        try:
            ids.append(int(w.pk if hasattr(w, "pk") else w))
        except (TypeError, ValueError):
            continue
    return ids


def gemeinsame_themen(ids: list[int], *, projekt: str = "pk"):
    """How many of the Themen `ids` a project carries: a subquery on the outer row's field
    `projekt` (the project itself, or a result's project)."""
    if not ids:
        return Value(0, output_field=IntegerField())
    return Coalesce(
        Subquery(
            Projekt.themen.through.objects.filter(projekt_id=OuterRef(projekt), thema_id__in=ids)
            .order_by()
            .values("projekt_id")
            .annotate(n=Count("thema_id"))
            .values("n")
        ),
        Value(0),
        output_field=IntegerField(),
    )


def aehnliche_projekte(*, user, text: str, themen=(), anzahl: int = ANZAHL) -> list[Projekt]:
    """Partners' projects visible to `user` most like `text` and the Themen. Raises
    common.aehnlich.ZuLang for overlong text."""
    anfrage = anfrage_aus_text(text)
    ids = themen_ids(themen)
    if anfrage is None and not ids:
        return []
    bedingung = Q()
    if anfrage is not None:
        bedingung |= text_bedingung(anfrage)
    if ids:
        bedingung |= Q(
            pk__in=Projekt.themen.through.objects.filter(thema_id__in=ids).values("projekt_id")
        )
    qs = selectors.projekte_sichtbar(user=user).filter(bedingung, sharing.vorfilter(user))
    if getattr(user, "kommune_id", None) is not None:
        qs = qs.exclude(kommune_id=user.kommune_id)
    rang = text_rang(anfrage) + Value(THEMA_GEWICHT, output_field=FloatField()) * (
        gemeinsame_themen(ids)
    )
    return list(
        qs.annotate(aehnlichkeit=rang)
        .defer("beschreibung", "suchtext", "suchvektor")
        .order_by("-aehnlichkeit", "-erstellt_am", "-pk")[:anzahl]
    )
