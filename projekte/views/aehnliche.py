"""Similar work of partner cities while a project is being created: a fragment for htmx as
the title is typed, and the same list in the form re-rendered by a plain submit button (no
JavaScript). Nothing is saved on either path."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.aehnlich import ZuLang

from .. import aehnliche


def formular_werte(form, daten) -> dict:
    """The values a bound form would show, as `initial` of an unbound one: the form comes
    back as typed, without the errors of fields not filled in yet."""
    return {
        name: feld.widget.value_from_datadict(daten, None, form.add_prefix(name))
        for name, feld in form.fields.items()
        if form.add_prefix(name) in daten
    }


def vorschlaege(suche, **kriterien) -> tuple[dict, int]:
    """The template context of the suggestions (`suche` returns its lists by name) and the
    status: 400 for overlong text."""
    try:
        listen = suche(**kriterien)
    except ZuLang as exc:
        return {"aehnliche_fehler": str(exc), "aehnliche_geprueft": True}, 400
    return {**listen, "aehnliche_geprueft": True}, 200


def _projekte(**kriterien) -> dict:
    return {"aehnliche": aehnliche.aehnliche_projekte(**kriterien)}


def projekt_text(daten) -> str:
    return f"{daten.get('titel', '')} {daten.get('zusammenfassung', '')}"


def projekt_vorschlaege(*, user, daten) -> tuple[dict, int]:
    return vorschlaege(
        _projekte,
        user=user,
        text=projekt_text(daten),
        themen=daten.getlist("themen"),
    )


@login_required
@require_GET
def projekt_aehnliche(request):
    """The fragment htmx swaps in while a new project's title, summary or Themen change."""
    kontext, status = projekt_vorschlaege(user=request.user, daten=request.GET)
    return render(request, "projekte/_aehnliche.html", kontext, status=status)
