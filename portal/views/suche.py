"""The search page: full-text search over projects and results, combined with the facets."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.seiten import SEITENGROESSE, GedeckelterPaginator
from common.suche import Anfrage, Suchfehler
from projekte import selectors as projekte_selectors
from projekte.views import folgbare
from wissen import selectors as wissen_selectors
from wissen import suche
from wissen.filter import SuchForm


@require_GET
def suche_seite(request):
    user = request.user
    optionen = projekte_selectors.facetten_optionen()
    jahre = sorted(
        set(
            projekte_selectors.jahre_gemerkt(
                user=user, art="projekte", rechnen=projekte_selectors.projekt_jahre
            )
        )
        | set(
            projekte_selectors.jahre_gemerkt(
                user=user, art="ergebnisse", rechnen=wissen_selectors.ergebnis_jahre
            )
        ),
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
        zeilen = suche.treffer(user=user, anfrage=anfrage, filter=filter, typ=typ)
        page = _seite(request, zeilen)
        if not page.paginator.count:
            ersatz = suche.vorschlag(user=user, anfrage=anfrage, filter=filter, typ=typ)
            if ersatz is not None:
                # Nothing for what was typed: the suggestion's hits, marked as such.
                kontext["vorschlag"] = ersatz.text
                kontext["vorschlag_query"] = _mit_q(request, ersatz.text)
                anfrage = ersatz
                zeilen = suche.treffer(user=user, anfrage=anfrage, filter=filter, typ=typ)
                page = GedeckelterPaginator(zeilen, SEITENGROESSE).get_page(
                    request.GET.get("seite")
                )
        kontext["page"] = page
        kontext["treffer"] = suche.seite_laden(
            user=user, anfrage=anfrage, zeilen=list(page.object_list)
        )
        query = request.GET.copy()
        query.pop("seite", None)
        kontext["query"] = query.urlencode()
    return render(request, "portal/suche.html", kontext, status=status)


# More hits than this are not counted exactly (the page says "Mehr als …").
TREFFER_DECKEL = 1000


def _seite(request, zeilen):
    paginator = GedeckelterPaginator(zeilen, SEITENGROESSE, deckel=TREFFER_DECKEL)
    return paginator.get_page(request.GET.get("seite"))


def _mit_q(request, q: str) -> str:
    query = request.GET.copy()
    query.pop("seite", None)
    query["q"] = q
    return query.urlencode()
