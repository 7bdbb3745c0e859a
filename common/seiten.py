"""Paging of lists: one page of a queryset and the query string without its page number."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

SEITENGROESSE = 20


def seite(request, qs, groesse: int = SEITENGROESSE) -> Page:
    """One page of `qs`: a malformed or too large number gives the first or last page."""
    return Paginator(qs, groesse).get_page(request.GET.get("seite"))


def ohne_seite(request) -> str:
    """The request's query string without `seite`, for the links of the page navigation."""
    q = request.GET.copy()
    q.pop("seite", None)
    return q.urlencode()


class GedeckelterPaginator(Paginator):
    """Counts at most `deckel` rows: the exact count of a frequent word's hits costs more than
    it tells anyone. Beyond the cap, `gedeckelt` is true and the pages end at the cap."""

    def __init__(self, object_list, per_page, deckel: int = 1000, gezaehlt: int | None = None):
        super().__init__(object_list, per_page)
        self.deckel = deckel
        self._vorgezaehlt = gezaehlt

    @cached_property
    def _gezaehlt(self) -> int:
        if self._vorgezaehlt is not None:  # counted already, up to deckel + 1
            return self._vorgezaehlt
        # Without ORDER BY: counting up to the cap needs no rank and no sort.
        return self.object_list.order_by()[: self.deckel + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._gezaehlt, self.deckel)

    def nummer(self, wert) -> int:
        """The page number a request asks for, as get_page() reads it: a malformed number is
        page 1, one past the end the last page."""
        try:
            return self.validate_number(wert)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return self.num_pages

    @property
    def gedeckelt(self) -> bool:
        return self._gezaehlt > self.deckel
