"""Everyone's notifications and their e-mail setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms import (
    BenachrichtigungEinstellungForm,
    BenachrichtigungFilterForm,
)
from ..services import benachrichtigungen as benachrichtigung_services
from .zugriff import SEITE


def _sicherer_link(link: str) -> str:
    """Only paths on this site become links (no scheme, no protocol-relative address)."""
    return link if link.startswith("/") and not link.startswith("//") else ""


def _art(daten) -> tuple[BenachrichtigungFilterForm, str, bool]:
    """The kind filtered for ("" for all) and whether the filter was valid."""
    form = BenachrichtigungFilterForm(daten or None)
    if not form.is_bound:
        return form, "", True
    if form.is_valid():
        return form, form.cleaned_data["art"], True
    return form, "", False


def _seite(request, form, art: str, status: int = 200):
    user = request.user
    seite = Paginator(selectors.benachrichtigungs_gruppen(user=user, art=art), SEITE).get_page(
        request.GET.get("seite")
    )
    gruppen = selectors.benachrichtigungen_gruppiert(
        user=user, art=art, gruppen=list(seite.object_list)
    )
    for g in gruppen:
        for b in (g.neueste, *g.aeltere):
            b.sicherer_link = _sicherer_link(b.link)
    # Unfiltered, the header's count (read with the user) is the one to show.
    gezeigt_ungelesen = (
        selectors.benachrichtigungen(user=user, art=art).filter(gelesen_am__isnull=True).count()
        if art
        else None
    )
    return render(
        request,
        "kommunen/benachrichtigungen.html",
        {
            "seite": seite,
            "gruppen": gruppen,
            "form": form,
            "art": art,
            "gezeigt_ungelesen": gezeigt_ungelesen,
            "query": urlencode({"art": art}) if art else "",
        },
        status=status,
    )


@login_required
@require_GET
def benachrichtigungen(request):
    form, art, gueltig = _art(request.GET)
    return _seite(request, form, art, 200 if gueltig else 400)


@login_required
@require_POST
def benachrichtigung_gelesen(request, pk: int):
    # Another user's id changes nothing and says nothing: same redirect either way.
    benachrichtigung_services.benachrichtigung_gelesen(user=request.user, pk=pk)
    return redirect("kommunen:benachrichtigungen")


@login_required
@require_POST
def benachrichtigungen_alle_gelesen(request):
    # With a filter active only what the page shows is marked.
    form, art, gueltig = _art(request.POST)
    if not gueltig:
        return _seite(request, form, "", 400)
    n = benachrichtigung_services.benachrichtigungen_alle_gelesen(user=request.user, art=art)
    messages.success(request, _("%(n)s Benachrichtigung(en) als gelesen markiert.") % {"n": n})
    ziel = reverse("kommunen:benachrichtigungen")
    return redirect(f"{ziel}?{urlencode({'art': art})}" if art else ziel)


@login_required
def konto_benachrichtigungen(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    user = request.user
    if request.method == "POST":
        form = BenachrichtigungEinstellungForm(request.POST)
        if form.is_valid():
            benachrichtigung_services.benachrichtigung_einstellen(
                user=user, wert=form.cleaned_data["benachrichtigung"]
            )
            messages.success(request, _("Ihre Einstellung ist gespeichert."))
            return redirect("kommunen:konto_benachrichtigungen")
        status = 400
    else:
        form = BenachrichtigungEinstellungForm(initial={"benachrichtigung": user.benachrichtigung})
        status = 200
    return render(request, "kommunen/konto_benachrichtigungen.html", {"form": form}, status=status)
