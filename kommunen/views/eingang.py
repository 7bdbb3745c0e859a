"""The Freigabe-Admins' inbox, their decisions, and the page of one Freigabe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import (
    AnfrageEntscheidungForm,
    EntscheidungForm,
)
from ..models import FreigabeStatus
from ..vokabular import Uebermittlungsgrundlage
from .zugriff import EINGANG_MAX, SEITE, fehler_liste, nur_freigabe_admin


def _mit_pruefung(freigaben, user):
    liste = list(freigaben)
    for f in liste:
        f.pruefung = selectors.pruefen_fuer(f, by=user)
    return liste


def _anhaengen(objekte, prefix: str, fehler: dict | None, eingaben: dict | None) -> None:
    """Give each item its own errors and previous input, for the form shown again."""
    for o in objekte:
        o.fehler = (fehler or {}).get(f"{prefix}{o.pk}", [])
        o.eingabe = (eingaben or {}).get(f"{prefix}{o.pk}", {})


def _eingang_context(request, *, fehler: dict | None = None, eingaben: dict | None = None):
    user = request.user
    kommune = user.kommune
    beantragt = _mit_pruefung(
        selectors.freigaben_beantragt(kommune=kommune)[: EINGANG_MAX + 1], user
    )
    pruefung = _mit_pruefung(
        selectors.freigaben_zur_pruefung(kommune=kommune)[: EINGANG_MAX + 1], user
    )
    anfragen = list(selectors.anfragen_offen(kommune=kommune)[: EINGANG_MAX + 1])
    for a in anfragen:
        a.pruefung = selectors.anfrage_pruefen(a, by=user)
    aktiv = Paginator(selectors.freigaben_aktiv(kommune=kommune), SEITE).get_page(
        request.GET.get("seite")
    )
    _anhaengen(beantragt + pruefung, "f", fehler, eingaben)
    _anhaengen(aktiv.object_list, "f", fehler, eingaben)
    _anhaengen(anfragen, "a", fehler, eingaben)
    return {
        "uebermittlungsgrundlagen": Uebermittlungsgrundlage.choices,
        "beantragt": beantragt[:EINGANG_MAX],
        "beantragt_mehr": len(beantragt) > EINGANG_MAX,
        "zur_pruefung": pruefung[:EINGANG_MAX],
        "zur_pruefung_mehr": len(pruefung) > EINGANG_MAX,
        "anfragen": anfragen[:EINGANG_MAX],
        "anfragen_mehr": len(anfragen) > EINGANG_MAX,
        "aktiv": aktiv,
        "max": EINGANG_MAX,
    }


@login_required
@require_GET
def eingang(request):
    nur_freigabe_admin(request.user)
    return render(request, "kommunen/eingang.html", _eingang_context(request))


def _zurueck(request, freigabe_pk: int | None = None):
    if request.POST.get("zurueck") == "detail" and freigabe_pk is not None:
        return redirect("kommunen:freigabe_detail", pk=freigabe_pk)
    return redirect("kommunen:eingang")


def _fehlerseite(request, *, schluessel: str, fehler: list[str], freigabe=None):
    """Show the page the form came from again, with the errors at the item, status 400."""
    eingaben = {schluessel: request.POST.dict()}
    # A summary at the top of the page leads to the item, where the errors sit at the field.
    oben = {"anker": f"begruendung-{schluessel}", "fehler": fehler}
    if request.POST.get("zurueck") == "detail" and freigabe is not None:
        context = _detail_context(request, freigabe, fehler={schluessel: fehler}, eingaben=eingaben)
        context["fehler_oben"] = oben
        return render(request, "kommunen/freigabe_detail.html", context, status=400)
    context = _eingang_context(request, fehler={schluessel: fehler}, eingaben=eingaben)
    context["fehler_oben"] = oben
    return render(request, "kommunen/eingang.html", context, status=400)


@login_required
@require_POST
def freigabe_entscheiden(request, pk: int):
    """Approve, refuse, revoke or re-approve one Freigabe of the admin's own Kommune."""
    user = request.user
    nur_freigabe_admin(user)
    freigabe = selectors.freigabe_der_kommune(kommune=user.kommune, pk=pk)
    schluessel = f"f{freigabe.pk}"
    form = EntscheidungForm(request.POST)
    if not form.is_valid():
        fehler = [m for msgs in form.errors.values() for m in msgs]
        return _fehlerseite(request, schluessel=schluessel, fehler=fehler, freigabe=freigabe)
    aktion = form.cleaned_data["aktion"]
    begruendung = form.cleaned_data["begruendung"]
    try:
        if aktion == "erteilen":
            services.freigabe_erteilen(
                freigabe=freigabe,
                by=user,
                zweckvereinbarkeit=form.cleaned_data["zweckvereinbarkeit"],
            )
            meldung = _("Freigabe Nr. %(nr)s ist erteilt.")
        elif aktion == "ablehnen":
            services.freigabe_ablehnen(freigabe=freigabe, by=user, begruendung=begruendung)
            meldung = _("Freigabe Nr. %(nr)s ist abgelehnt.")
        else:
            services.freigabe_widerrufen(freigabe=freigabe, by=user, grund=begruendung)
            meldung = _("Freigabe Nr. %(nr)s ist widerrufen.")
    except services.KeineBerechtigung:
        raise
    except ValidationError as exc:
        return _fehlerseite(
            request, schluessel=schluessel, fehler=fehler_liste(exc), freigabe=freigabe
        )
    messages.success(request, meldung % {"nr": freigabe.pk})
    return _zurueck(request, freigabe.pk)


@login_required
@require_POST
def anfrage_entscheiden(request, pk: int):
    user = request.user
    nur_freigabe_admin(user)
    anfrage = selectors.anfrage_der_kommune(kommune=user.kommune, pk=pk)
    schluessel = f"a{anfrage.pk}"
    form = AnfrageEntscheidungForm(request.POST)
    if not form.is_valid():
        fehler = [m for msgs in form.errors.values() for m in msgs]
        return _fehlerseite(request, schluessel=schluessel, fehler=fehler)
    data = form.cleaned_data
    try:
        a = services.zugangsanfrage_entscheiden(
            anfrage=anfrage,
            by=user,
            genehmigen=data["aktion"] == "genehmigen",
            begruendung=data["begruendung"],
            gueltig_bis=data["gueltig_bis"],
            auflagen=data["auflagen"],
            uebermittlungsgrundlage=data["uebermittlungsgrundlage"],
            empfaenger_zweck=data["empfaenger_zweck"],
            zweckvereinbarkeit=data["zweckvereinbarkeit"],
        )
    except services.KeineBerechtigung:
        raise
    except ValidationError as exc:
        return _fehlerseite(request, schluessel=schluessel, fehler=fehler_liste(exc))
    if a.freigabe_id:
        if a.freigabe.status == FreigabeStatus.BEANTRAGT:
            messages.success(
                request,
                _(
                    "Zugangsanfrage Nr. %(nr)s ist befürwortet. Freigabe Nr. %(f)s wartet auf "
                    "eine zweite Freigabe-Admin (VIER-AUGEN)."
                )
                % {"nr": a.pk, "f": a.freigabe_id},
            )
        else:
            messages.success(
                request,
                _("Zugangsanfrage Nr. %(nr)s ist genehmigt: Freigabe Nr. %(f)s.")
                % {"nr": a.pk, "f": a.freigabe_id},
            )
    else:
        messages.success(request, _("Zugangsanfrage Nr. %(nr)s ist abgelehnt.") % {"nr": a.pk})
    return redirect("kommunen:eingang")


# --- one Freigabe ----------------------------------------------------------------------------


def _detail_context(request, freigabe, *, fehler=None, eingaben=None) -> dict:
    freigabe.pruefung = selectors.pruefen_fuer(freigabe, by=request.user)
    _anhaengen([freigabe], "f", fehler, eingaben)
    return {
        "f": freigabe,
        "objekt": freigabe.objekt,
        "historie": _mit_details(selectors.freigabe_historie(freigabe=freigabe)),
    }


def _mit_details(historie) -> list:
    eintraege = list(historie)
    kommunen = selectors.Kommunennamen()
    for e in eintraege:
        e.details_anzeige = selectors.details_in_worten(e, kommunen)
    return eintraege


@login_required
@require_GET
def freigabe_detail(request, pk: int):
    nur_freigabe_admin(request.user)
    freigabe = selectors.freigabe_der_kommune(kommune=request.user.kommune, pk=pk)
    return render(request, "kommunen/freigabe_detail.html", _detail_context(request, freigabe))
