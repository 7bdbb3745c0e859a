"""The sharing matrix of the admin's Kommune."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.seiten import ohne_seite

from .. import selectors
from ..forms import (
    MatrixFilterForm,
)
from .zugriff import SEITE, nur_freigabe_admin


@login_required
@require_GET
def matrix(request):
    user = request.user
    nur_freigabe_admin(user)
    kommune = user.kommune
    typen = selectors.freigebbare_typen()
    spalten = selectors.matrix_spalten(kommune=kommune)
    form = MatrixFilterForm(request.GET or None, typen=typen, spalten=spalten)
    filter_ = {"typ": "", "empfaenger": "", "status": "", "suche": ""}
    status = 400 if form.is_bound and not form.is_valid() else 200
    if form.is_bound and form.is_valid():
        filter_.update({k: v or "" for k, v in form.cleaned_data.items()})
    sichtbare_spalten = spalten
    if filter_["empfaenger"]:
        sichtbare_spalten = [s for s in spalten if s.schluessel == filter_["empfaenger"]]
    objekte = selectors.matrix_objekte(user=user, **filter_)
    seite = Paginator(objekte, SEITE).get_page(request.GET.get("seite"))
    zeilen = selectors.matrix_zeilen(
        kommune=kommune,
        objekte=list(seite.object_list),
        spalten=sichtbare_spalten,
        status=filter_["status"],
    )
    return render(
        request,
        "kommunen/matrix.html",
        {
            "form": form,
            "spalten": sichtbare_spalten,
            "zeilen": zeilen,
            "seite": seite,
            "query": ohne_seite(request),
        },
        status=status,
    )
