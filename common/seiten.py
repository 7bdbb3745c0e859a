"""Paging of lists: one page of a queryset and the query string without its page number."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

SEITENGROESSE = 20


def seite(request, qs, groesse: int = SEITENGROESSE) -> Page:
    """One page of `qs`: a malformed or too large number gives the first or last page."""
    return Paginator(qs, groesse).get_page(request.GET.get("seite"))


def ohne_seite(request) -> str:
    """The request's query string without `seite`, for the links of the page navigation."""
    q = request.GET.copy()
    q.pop("seite", None)
    return q.urlencode()
