"""Everyone's notifications and their e-mail setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..forms import (
    BenachrichtigungEinstellungForm,
)
from ..services import benachrichtigungen as benachrichtigung_services
from .zugriff import SEITE


def _sicherer_link(link: str) -> str:
    """Only paths on this site become links (no scheme, no protocol-relative address)."""
    return link if link.startswith("/") and not link.startswith("//") else ""


@login_required
@require_GET
def benachrichtigungen(request):
    seite = Paginator(selectors.benachrichtigungen_liste(user=request.user), SEITE).get_page(
        request.GET.get("seite")
    )
    for b in seite.object_list:
        b.sicherer_link = _sicherer_link(b.link)
    return render(request, "kommunen/benachrichtigungen.html", {"seite": seite})


@login_required
@require_POST
def benachrichtigung_gelesen(request, pk: int):
    # Another user's id changes nothing and says nothing: same redirect either way.
    benachrichtigung_services.benachrichtigung_gelesen(user=request.user, pk=pk)
    return redirect("kommunen:benachrichtigungen")


@login_required
@require_POST
def benachrichtigungen_alle_gelesen(request):
    n = benachrichtigung_services.benachrichtigungen_alle_gelesen(user=request.user)
    messages.success(request, _("%(n)s Benachrichtigung(en) als gelesen markiert.") % {"n": n})
    return redirect("kommunen:benachrichtigungen")


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
