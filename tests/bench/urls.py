"""URLconf of the benchmark: the portal's URLs plus a trivial view and stand-in list pages.

The stand-ins (/bench/projekte/, /bench/suche/) render a list through the same selectors and
`sharing.visible()` the portal uses, for as long as the portal has no list or search page of
its own; `run.py` prefers the real pages when they resolve.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from common.suche import Anfrage
from projekte import selectors as projekte_selectors
from projekte.suche import projekt_treffer
from wissen import selectors as wissen_selectors
from wissen.suche import ergebnis_treffer

_LISTE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}
<h1>Projekte</h1><p>{{ seite.paginator.count }} Treffer, Seite {{ seite.number }}</p>
{% include "portal/_objektliste.html" with projekte=seite.object_list ergebnisse=ergebnisse \
leer="Keine" %}
{% endblock %}"""
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def projekte_liste(request):
    qs = projekte_selectors.projekte_sichtbar(user=request.user)
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("thema"):
        qs = qs.filter(themen__pk=int(request.GET["thema"]))
    seite = Paginator(qs, 20).get_page(request.GET.get("seite"))
    return HttpResponse(_LISTE.render({"seite": seite, "ergebnisse": []}, request))


@login_required
def suche(request):
    # The real search's matching (stems, compounds) but no suggestion for a query that finds
    # nothing: the measurements use /suche/, which does both.
    anfrage = Anfrage.aus(request.GET.get("q", ""))
    projekte = projekt_treffer(
        projekte_selectors.projekte_sichtbar(user=request.user), anfrage, user=request.user
    ).order_by("-rang", "-id")
    # Documents' text counts only where the user may download (wissen.suche).
    ergebnisse = ergebnis_treffer(
        wissen_selectors.ergebnisse_sichtbar(user=request.user), anfrage, user=request.user
    ).order_by("-rang", "-id")
    seite = Paginator(projekte, 20).get_page(request.GET.get("seite"))
    return HttpResponse(_LISTE.render({"seite": seite, "ergebnisse": ergebnisse[:20]}, request))


urlpatterns = [
    path("bench/ok/", ok, name="bench-ok"),
    path("bench/projekte/", projekte_liste, name="bench-projekte"),
    path("bench/suche/", suche, name="bench-suche"),
    path("", include("portal.urls")),
]

handler403 = "portal.views.fehler_403"
handler404 = "portal.views.fehler_404"
handler500 = "portal.views.fehler_500"
