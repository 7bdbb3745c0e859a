"""The Freigabe-Admins' inbox, their decisions, and the page of one Freigabe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import rules, selectors, services
from ..forms import (
    AnfrageEntscheidungForm,
)
from ..models import FreigabeStatus
from ..vokabular import Uebermittlungsgrundlage
from .entscheidung import entscheiden
from .zugriff import EINGANG_MAX, SEITE, anhaengen, fehler_liste, nur_freigabe_admin


def mit_pruefung(freigaben, user):
    liste = list(freigaben)
    for f in liste:
        f.pruefung = selectors.pruefen_fuer(f, by=user)
    return liste


def _eingang_context(request, *, fehler: dict | None = None, eingaben: dict | None = None):
    user = request.user
    kommune = user.kommune
    beantragt = mit_pruefung(
        selectors.freigaben_beantragt(kommune=kommune)[: EINGANG_MAX + 1], user
    )
    pruefung = mit_pruefung(
        selectors.freigaben_zur_pruefung(kommune=kommune)[: EINGANG_MAX + 1], user
    )
    anfragen = list(selectors.anfragen_offen(kommune=kommune)[: EINGANG_MAX + 1])
    for a in anfragen:
        a.pruefung = selectors.anfrage_pruefen(a, by=user)
    aktiv = Paginator(selectors.freigaben_aktiv(kommune=kommune), SEITE).get_page(
        request.GET.get("seite")
    )
    anhaengen(beantragt + pruefung, "f", fehler, eingaben)
    anhaengen(aktiv.object_list, "f", fehler, eingaben)
    anhaengen(anfragen, "a", fehler, eingaben)
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
@require_http_methods(["GET", "POST"])
def eingang(request):
    """The inbox; its decision forms post here, so that a failed decision shows the inbox
    again at its own address (status 400) and a successful one redirects back."""
    user = request.user
    nur_freigabe_admin(user)
    if request.method == "POST":
        if "anfrage" in request.POST:
            anfrage = selectors.anfrage_der_kommune(
                kommune=user.kommune, pk=request.POST.get("anfrage")
            )
            return _anfrage_entscheiden(request, anfrage)
        freigabe = selectors.freigabe_der_kommune(
            kommune=user.kommune, pk=request.POST.get("freigabe")
        )
        return entscheiden(request, freigabe, fehlerseite=fehlerseite_eingang)
    return render(request, "kommunen/eingang.html", _eingang_context(request))


@login_required
@require_POST
def freigabe_entscheiden(request, pk: int):
    """Approve, refuse, revoke or re-approve one Freigabe of the admin's own Kommune (the
    address the inbox's forms used before they posted to the inbox itself)."""
    nur_freigabe_admin(request.user)
    freigabe = selectors.freigabe_der_kommune(kommune=request.user.kommune, pk=pk)
    return entscheiden(request, freigabe, fehlerseite=fehlerseite_eingang)


def fehlerseite_eingang(request, *, schluessel: str, fehler: list, status: int = 400):
    """The inbox again, with the errors at the item and a summary at the top."""
    eingaben = {schluessel: request.POST.dict()}
    texte = [str(m) for m in fehler]
    context = _eingang_context(request, fehler={schluessel: texte}, eingaben=eingaben)
    # A summary at the top of the page leads to the item, where the errors sit at the field.
    context["fehler_oben"] = {
        "eintraege": [
            {
                "text": str(m),
                "anker": f"begruendung-{schluessel}",
                "abhilfe": rules.abhilfe_fuer(m.rule) if isinstance(m, rules.Verstoss) else "",
            }
            for m in fehler
        ]
    }
    return render(request, "kommunen/eingang.html", context, status=status)


@login_required
@require_POST
def anfrage_entscheiden(request, pk: int):
    """Decide one access request (the address the inbox's forms used before they posted to
    the inbox itself)."""
    nur_freigabe_admin(request.user)
    anfrage = selectors.anfrage_der_kommune(kommune=request.user.kommune, pk=pk)
    return _anfrage_entscheiden(request, anfrage)


def _anfrage_entscheiden(request, anfrage):
    user = request.user
    schluessel = f"a{anfrage.pk}"
    form = AnfrageEntscheidungForm(request.POST)
    if not form.is_valid():
        fehler = [m for msgs in form.errors.values() for m in msgs]
        return fehlerseite_eingang(request, schluessel=schluessel, fehler=fehler)
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
        return fehlerseite_eingang(request, schluessel=schluessel, fehler=fehler_liste(exc))
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
