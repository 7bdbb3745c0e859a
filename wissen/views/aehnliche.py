"""Similar work of partner cities while a result is being created (projekte.views.aehnliche
for the pattern): a fragment for htmx, and the form re-rendered by a plain submit button.
Nothing is saved on either path."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projekte.views import projekt_text, vorschlaege

from .. import aehnliche


def ergebnis_vorschlaege(*, user, daten) -> tuple[dict, int]:
    return vorschlaege(
        aehnliche.aehnliche_arbeit,
        user=user,
        text=projekt_text(daten),
        projekt_id=daten.get("projekt") or None,
        themen=daten.getlist("themen"),
    )


@login_required
@require_GET
def ergebnis_aehnliche(request):
    """The fragment htmx swaps in while a new result's title, summary or project change."""
    kontext, status = ergebnis_vorschlaege(user=request.user, daten=request.GET)
    return render(request, "projekte/_aehnliche.html", kontext, status=status)
