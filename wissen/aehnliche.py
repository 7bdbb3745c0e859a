"""Similar work of partner cities while a result is being created: partners' results and
projects visible to the user, like the title and summary typed so far or sharing a Thema
with the result or its project (projekte.aehnliche for projects). Results are compared by their
metadata only, never by their documents' text. Two queries for the lists, one for the
project's Themen."""

from __future__ import annotations

from django.db.models import FloatField, Q, Value

from common.aehnlich import anfrage_aus_text, text_bedingung, text_rang
from kommunen import sharing
from projekte import aehnliche as projekte_aehnliche
from projekte import selectors as projekte_selectors
from projekte.models import Projekt

from . import selectors
from .models import Ergebnis


def projekt_themen(*, user, projekt_id) -> list[int]:
    """The Themen of the chosen project, if the user may see it; none otherwise."""
    try:
        pk = int(projekt_id)
    except (TypeError, ValueError):
        return []
    sichtbar = projekte_selectors.projekte_sichtbar(user=user).filter(pk=pk).values("pk")
    return list(
        Projekt.themen.through.objects.filter(projekt_id__in=sichtbar).values_list(
            "thema_id", flat=True
        )[: projekte_aehnliche.MAX_THEMEN]
    )


def aehnliche_ergebnisse(
    *, user, text: str, themen=(), anzahl: int = projekte_aehnliche.ANZAHL
) -> list[Ergebnis]:
    """Partners' results visible to `user` most like `text`, or from a project with one of
    the Themen. Raises common.aehnlich.ZuLang for overlong text."""
    anfrage = anfrage_aus_text(text)
    ids = projekte_aehnliche.themen_ids(themen)
    if anfrage is None and not ids:
        return []
    bedingung = Q()
    if anfrage is not None:
        bedingung |= text_bedingung(anfrage)
    if ids:
        bedingung |= Q(
            projekt_id__in=Projekt.themen.through.objects.filter(thema_id__in=ids).values(
                "projekt_id"
            )
        ) | Q(pk__in=Ergebnis.themen.through.objects.filter(thema_id__in=ids).values("ergebnis_id"))
    qs = selectors.ergebnisse_sichtbar(user=user).filter(bedingung, sharing.vorfilter(user))
    if getattr(user, "kommune_id", None) is not None:
        qs = qs.exclude(kommune_id=user.kommune_id)
    rang = text_rang(anfrage) + Value(
        projekte_aehnliche.THEMA_GEWICHT, output_field=FloatField()
    ) * projekte_aehnliche.gemeinsame_themen(ids, projekt="projekt_id")
    return list(
        qs.annotate(aehnlichkeit=rang)
        .defer("text", "suchtext", "suchtext_dokumente", "suchvektor", "suchvektor_mit_dokumenten")
        .order_by("-aehnlichkeit", "-erstellt_am", "-pk")[:anzahl]
    )


def aehnliche_arbeit(*, user, text: str, projekt_id=None, themen=()) -> dict:
    """What the result form shows: partners' similar results and projects, by the words
    typed, the Themen chosen and those of the chosen project."""
    themen = projekte_aehnliche.themen_ids(themen)
    if projekt_id:
        themen += projekt_themen(user=user, projekt_id=projekt_id)
    return {
        "aehnliche_ergebnisse": aehnliche_ergebnisse(user=user, text=text, themen=themen),
        "aehnliche": projekte_aehnliche.aehnliche_projekte(user=user, text=text, themen=themen),
    }
