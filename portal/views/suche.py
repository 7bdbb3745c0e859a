"""The search page: full-text search over projects and results, combined with the facets."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.datenbanken import replikat_lesen
from common.suche import Anfrage, Suchfehler
from projekte import selectors as projekte_selectors
from projekte.views import folgbare
from wissen import selectors as wissen_selectors
from wissen import suche
from wissen.filter import SuchForm


@require_GET
@replikat_lesen
def suche_seite(request):
    user = request.user
    optionen = projekte_selectors.facetten_optionen()
    jahre = sorted(
        set(projekte_selectors.projekt_jahre(user=user))
        | set(wissen_selectors.ergebnis_jahre(user=user)),
        reverse=True,
    )
    form = SuchForm(request.GET, jahre=jahre, **optionen)
    for meldung in form.fehlermeldungen():
        messages.warning(request, meldung)
    filter = form.filter()
    q = filter.pop("q", "").strip()
    typ = filter.pop("typ", "alle")
    kontext = {
        "form": form,
        "filter": filter,
        "q": q,
        "page": None,
        "treffer": [],
        "folgbar": folgbare(filter, optionen, projekte_selectors.abos_von(user=user)),
    }
    status = 200
    if "q" in form.errors:
        status = 400
    elif q:
        try:
            anfrage = Anfrage.aus(q)
        except Suchfehler as fehler:
            kontext["hinweis"] = _(fehler.meldung)
            return render(request, "portal/suche.html", kontext, status=400)
        ergebnis = suche.suchseite(
            user=user, anfrage=anfrage, filter=filter, typ=typ, seite=request.GET.get("seite")
        )
        if ergebnis.vorschlag:
            # Nothing for what was typed: the suggestion's hits, marked as such.
            kontext["vorschlag"] = ergebnis.anfrage.text
            kontext["vorschlag_query"] = _mit_q(request, ergebnis.anfrage.text)
        kontext["page"] = ergebnis.page
        kontext["treffer"] = suche.seite_laden(
            user=user, anfrage=ergebnis.anfrage, zeilen=list(ergebnis.page.object_list)
        )
        query = request.GET.copy()
        query.pop("seite", None)
        kontext["query"] = query.urlencode()
    return render(request, "portal/suche.html", kontext, status=status)


def _mit_q(request, q: str) -> str:
    query = request.GET.copy()
    query.pop("seite", None)
    query["q"] = q
    return query.urlencode()
