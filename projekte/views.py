"""Views of projects: thin, every read through the selectors (and so through sharing)."""

from django.shortcuts import render

from kommunen import sharing

from . import selectors


def projekt_detail(request, pk: int):
    projekt = selectors.projekt_get_visible(user=request.user, pk=pk)
    return render(
        request,
        "projekte/projekt_detail.html",
        {"objekt": projekt, "gruende": sharing.explain(request.user, projekt)},
    )
