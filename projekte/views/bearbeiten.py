"""Views to create and edit projects and to propose Freigaben (herausgabe): thin, via services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kommunen import selectors as kommunen_selectors
from kommunen import services as kommunen_services
from kommunen.views import (
    folgen_meldung,
    folgen_vor_dem_speichern,
    freigabe_regelpruefung,
    freigabe_vorschlagen,
    objekt_loeschen_seite,
    objekt_zurueckziehen_seite,
)

from .. import erweiterungen, selectors, services
from ..forms import BeteiligungFormSet, ProjektForm, beteiligungen_aus
from .aehnliche import formular_werte, projekt_vorschlaege

# The submit button that asks for similar work instead of saving (projekt_form.html).
AEHNLICHE_PRUEFEN = "aehnliche"


def _daten(request):
    return request.POST if request.method == "POST" else None


def _projekt_formular(request, *, projekt=None):
    """Shared by create and edit: validate form and formset, call the service, re-render."""
    user = request.user
    mit_rechtlichem = projekt is None or projekt.kommune_id == user.kommune_id
    form = ProjektForm(
        _daten(request),
        instance=projekt,
        mit_rechtlichem=mit_rechtlichem,
        eigene_kommune_id=user.kommune_id,
    )
    formset = BeteiligungFormSet(_daten(request), instance=projekt, prefix="beteiligung")
    aehnliche = request.method == "POST" and request.POST.get("aktion") == AEHNLICHE_PRUEFEN
    if aehnliche and projekt is None:
        return _mit_vorschlaegen(request, form, formset)
    folgen = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        folgen = folgen_vor_dem_speichern(request, projekt, form.service_felder())
    if request.method == "POST" and form.is_valid() and formset.is_valid() and folgen is None:
        argumente = {
            **form.service_felder(),
            "themen": form.cleaned_data["themen"],
            "initiativen": form.cleaned_data["initiativen"],
            "beteiligungen": beteiligungen_aus(formset),
            "by": user,
        }
        if "rahmenvertrag_kommunen" in form.fields:  # the owner's only
            argumente["rahmenvertrag_kommunen"] = form.cleaned_data["rahmenvertrag_kommunen"]
        try:
            if projekt is None:
                gespeichert = services.projekt_anlegen(**argumente)
                messages.success(request, _("Das Projekt wurde angelegt."))
            else:
                gespeichert = services.projekt_aendern(projekt=projekt, **argumente)
                messages.success(request, folgen_meldung(gespeichert.folgen))
        except ValidationError as exc:
            form.fehler_uebernehmen(exc)
        else:
            return redirect(gespeichert.get_absolute_url())
    status = 400 if request.method == "POST" and folgen is None else 200
    return render(
        request,
        "projekte/projekt_form.html",
        {
            "form": form,
            "formset": formset,
            "objekt": projekt,
            "folgen": folgen,
            "anlegen_links": erweiterungen.anlegen_links(),
        },
        status=status,
    )


def _mit_vorschlaegen(request, form, formset):
    """The form as typed, with partners' similar projects; nothing is validated or saved."""
    kontext, status = projekt_vorschlaege(user=request.user, daten=request.POST)
    form = ProjektForm(
        initial=formular_werte(form, request.POST),
        mit_rechtlichem=True,
        eigene_kommune_id=request.user.kommune_id,
    )
    return render(
        request,
        "projekte/projekt_form.html",
        {
            "form": form,
            "formset": formset,
            "objekt": None,
            "anlegen_links": erweiterungen.anlegen_links(),
            **kontext,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def projekt_neu(request):
    if not kommunen_services.darf_anlegen(request.user):
        raise PermissionDenied(_("Projekte legen Herausgeberinnen und Herausgeber an."))
    return _projekt_formular(request)


@login_required
@require_http_methods(["GET", "POST"])
def projekt_bearbeiten(request, pk: int):
    projekt = selectors.projekt_sichtbar(user=request.user, pk=pk, perm="change")
    return _projekt_formular(request, projekt=projekt)


@login_required
@require_http_methods(["GET", "POST"])
def projekt_freigeben(request, pk: int):
    projekt = selectors.projekt_sichtbar(user=request.user, pk=pk, perm="share")
    return freigabe_vorschlagen(
        request, projekt, pruef_url=reverse("projekte:freigabe_pruefen", args=[projekt.pk])
    )


@login_required
@require_POST
def projekt_freigabe_pruefen(request, pk: int):
    projekt = selectors.projekt_sichtbar(user=request.user, pk=pk, perm="share")
    return freigabe_regelpruefung(request, projekt)


@login_required
@require_http_methods(["GET", "POST"])
def projekt_loeschen(request, pk: int):
    """Confirmation page, then deletion (owner's Herausgabe only; 404 for anyone else)."""
    projekt = selectors.projekt_zum_loeschen(user=request.user, pk=pk)
    return objekt_loeschen_seite(
        request,
        projekt,
        loeschen=lambda: services.projekt_loeschen(projekt=projekt, by=request.user),
        zurueck="projekte:liste",
        angaben=lambda: {
            "hindernisse": kommunen_selectors.loesch_hindernisse(
                projekt, ausser=services.PROJEKT_TEILE
            ),
            "nachnutzungen": projekt.nachnutzungen.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def projekt_zurueckziehen(request, pk: int):
    """Confirmation page with a reason, then withdrawal (owner's Herausgabe; 404 otherwise)."""
    projekt = selectors.projekt_zum_loeschen(user=request.user, pk=pk)
    return objekt_zurueckziehen_seite(request, projekt)
