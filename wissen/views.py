"""Views of results: thin, every read through the selectors (and so through sharing)."""

from django.shortcuts import render

from kommunen import sharing

from . import selectors


def ergebnis_detail(request, pk: int):
    ergebnis = selectors.ergebnis_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "wissen/ergebnis_detail.html",
        {
            "objekt": ergebnis,
            "gruende": sharing.explain(request.user, ergebnis),
            "darf_laden": sharing.can(request.user, "download", ergebnis),
        },
    )
