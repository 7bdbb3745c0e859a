"""Lists that depend only on the user's group set, kept in the shared cache.

A list page needs three things that cost a scan of everything the user may see: the number of
objects, the page's place in their order (OFFSET reads every row before it), and the years to
filter by. All users of a Kommune and role share one group set, so these are computed once per
group set and filter, and kept under `sharing.gruppensatz_schluessel()`: a change of the rights
or of the objects a group may see raises that group's generation, and the next request of a
set that holds the group computes them anew. The search keeps its counts the same way.

The cache decides order and number only. The rows of a page are read by id through visible()
again, so a Freigabe that ends is invisible on the very next request even if the cache could
not be told (Redis down at the moment of the change); the count is then off until the entry
ends (LISTE_SEKUNDEN).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Sequence

from django.db.models import QuerySet

from common import zwischenspeicher
from common.datenbanken import primaer

from . import sharing

# How long an entry lives when no change makes it obsolete before.
LISTE_SEKUNDEN = 600


def filter_schluessel(filter: dict) -> str:
    """A filter (ids and words, as the facet forms give them) as part of a cache key."""
    return json.dumps(filter, sort_keys=True, default=str)


class SichtbareListe(Sequence):
    """The visible objects of `qs` (already through visible(), filtered and ordered) as a
    sequence for Django's Paginator: the ordered ids come from the cache or one query of ids,
    each slice reads its rows by id through `qs`, that is through visible() again."""

    def __init__(self, user, qs: QuerySet, *, art: str, filter: dict):
        self.qs = qs
        self.schluessel = sharing.gruppensatz_schluessel(user, art, filter_schluessel(filter))
        self._ids: array | None = None

    def ids(self) -> array:
        if self._ids is None:
            gespeichert = zwischenspeicher.lesen(self.schluessel) if self.schluessel else None
            if gespeichert is not None:
                ids = array("q")
                ids.frombytes(gespeichert)
            else:
                # Kept beyond the request: read where the generation was raised, never from a
                # replica that may lag behind it (common.datenbanken).
                with primaer():
                    ids = array("q", self.qs.prefetch_related(None).values_list("pk", flat=True))
                if self.schluessel:
                    zwischenspeicher.schreiben(self.schluessel, ids.tobytes(), LISTE_SEKUNDEN)
            self._ids = ids
        return self._ids

    def count(self) -> int:
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            nummer = range(len(self))[index]  # IndexError as a list gives it
            return self[nummer : nummer + 1][0]
        ids = self.ids()[index].tolist()
        if not ids:
            return []
        zeilen = {obj.pk: obj for obj in self.qs.filter(pk__in=ids)}
        return [zeilen[pk] for pk in ids if pk in zeilen]


def gemerkt(user, art: str, rechnen: Callable[[], list], *teile) -> list:
    """A small value per group set (the years of a list's filter), computed by `rechnen()`
    when the cache holds none under the current generation."""
    schluessel = sharing.gruppensatz_schluessel(user, art, *teile)
    wert = zwischenspeicher.lesen(schluessel) if schluessel else None
    if wert is None:
        with primaer():
            wert = rechnen()
        if schluessel:
            zwischenspeicher.schreiben(schluessel, wert, LISTE_SEKUNDEN)
    return wert


def jahre(user, art: str, sichtbar: Callable[[], QuerySet], jahr) -> list[int]:
    """The years (`jahr`, an expression per row) of the objects `sichtbar()` gives the user,
    newest first, kept per group set like gemerkt()."""
    return gemerkt(
        user,
        art,
        lambda: [
            j
            for j in sichtbar()
            .annotate(jahr=jahr)
            .order_by("-jahr")
            .values_list("jahr", flat=True)
            .distinct()
            if j is not None
        ],
    )
