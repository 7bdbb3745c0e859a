"""The page of one Freigabe, on which its admin decides: the law it is judged by, who it reaches,
and the decision itself, with a confirmation step for granting and revoking.

Each page's decision form posts to the page's own URL, so that after a failed decision the
address is still the page's; the inbox runs `entscheiden` too.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import rules, selectors, services
from ..forms import EntscheidungForm
from .zugriff import anhaengen, fehler_liste, nur_freigabe_admin

# Decisions that change who has access: they are confirmed first.
BESTAETIGEN = ("erteilen", "widerrufen")


def _detail_context(request, freigabe, *, fehler=None, eingaben=None) -> dict:
    regeln = selectors.regeln_fuer(freigabe, by=request.user)
    # The same violations as selectors.pruefen_fuer, read once for the table and the form.
    freigabe.pruefung = [v for r in regeln for v in r.verstoesse]
    anhaengen([freigabe], "f", fehler, eingaben)
    objekt = freigabe.objekt
    return {
        "f": freigabe,
        "objekt": objekt,
        "angaben": selectors.rechtliche_angaben(objekt) if objekt is not None else [],
        "regeln": regeln,
        "neue_dokumente": selectors.neue_dokumente(freigabe),
        "zugang": selectors.zugang(freigabe),
        "historie": _mit_details(selectors.freigabe_historie(freigabe=freigabe)),
        "vermerke": selectors.vermerke_der_freigabe(user=request.user, freigabe=freigabe),
    }


def _mit_details(historie) -> list:
    eintraege = list(historie)
    kommunen = selectors.Kommunennamen()
    for e in eintraege:
        e.details_anzeige = selectors.details_in_worten(e, kommunen)
    return eintraege


def _von_eingang(request) -> bool:
    """The decision came from the inbox, or the confirmation of one did: then it leads back
    there."""
    auf_der_seite = request.resolver_match.url_name == "freigabe_detail"
    return request.POST.get("zurueck", "detail" if auf_der_seite else "eingang") == "eingang"


def _zurueck(request, freigabe_pk: int):
    if _von_eingang(request):
        return redirect("kommunen:eingang")
    return redirect("kommunen:freigabe_detail", pk=freigabe_pk)


def _fehlerseite(request, freigabe, *, fehler: list, fehlerseite=None):
    """The page the form came from again, status 400, with a summary of the errors at the top
    that links to the field (or, for a broken rule, to the rule in the rule check).
    `fehlerseite`: how the page that posted (the inbox) shows itself again."""
    schluessel = f"f{freigabe.pk}"
    auf_der_seite = request.resolver_match.url_name == "freigabe_detail"
    if fehlerseite is not None and _von_eingang(request) and not auf_der_seite:
        return fehlerseite(request, schluessel=schluessel, fehler=fehler)
    eintraege = []
    for m in fehler:
        if isinstance(m, rules.Verstoss):
            eintraege.append(
                {
                    "text": str(m),
                    "abhilfe": rules.abhilfe_fuer(m.rule),
                    "anker": f"regel-{m.rule}",
                }
            )
        else:
            eintraege.append({"text": str(m), "anker": f"begruendung-{schluessel}"})
    context = _detail_context(
        request,
        freigabe,
        fehler={schluessel: [e["text"] for e in eintraege]},
        eingaben={schluessel: request.POST.dict()},
    )
    context["fehler_oben"] = {"eintraege": eintraege}
    return render(request, "kommunen/freigabe_detail.html", context, status=400)


def _bestaetigung(request, freigabe, daten: dict):
    """The confirmation step: who gains (grant) or loses (revoke) access, and who keeps it
    through another Freigabe. Shown on the Freigabe's page; its form posts there."""
    context = _detail_context(request, freigabe)
    context["bestaetigung"] = {
        "aktion": daten["aktion"],
        "begruendung": daten["begruendung"],
        "zweckvereinbarkeit": daten["zweckvereinbarkeit"],
        "zurueck": "eingang" if _von_eingang(request) else "detail",
    }
    return render(request, "kommunen/freigabe_detail.html", context)


def entscheiden(request, freigabe, *, fehlerseite=None):
    """Decide on `freigabe` from the posted form; granting and revoking only once confirmed.
    `fehlerseite(request, schluessel=..., fehler=...)` renders a failure on the page that
    posted, where that is not the Freigabe's own page."""
    user = request.user
    form = EntscheidungForm(request.POST)
    if not form.is_valid():
        return _fehlerseite(
            request,
            freigabe,
            fehlerseite=fehlerseite,
            fehler=[m for msgs in form.errors.values() for m in msgs],
        )
    daten = form.cleaned_data
    aktion = daten["aktion"]
    if daten["stand"] and daten["stand"] != selectors.entscheidung_stand(freigabe):
        # A second click, or another admin was faster: decide nothing twice.
        messages.info(
            request,
            _(
                "Freigabe Nr. %(nr)s wurde inzwischen entschieden (jetzt: %(status)s). "
                "Es wurde nichts geändert; bitte prüfen Sie den aktuellen Stand."
            )
            % {"nr": freigabe.pk, "status": freigabe.get_status_display()},
        )
        return _zurueck(request, freigabe.pk)
    # A grant that breaks a rule has nothing to confirm: the service says why it fails.
    probe = copy.copy(freigabe)
    if daten["zweckvereinbarkeit"].strip():
        probe.zweckvereinbarkeit = daten["zweckvereinbarkeit"].strip()
    regelwidrig = aktion == "erteilen" and bool(selectors.pruefen_fuer(probe, by=user))
    if aktion in BESTAETIGEN and not daten["bestaetigt"] and not regelwidrig:
        return _bestaetigung(request, freigabe, daten)
    try:
        if aktion == "erteilen":
            services.freigabe_erteilen(
                freigabe=freigabe, by=user, zweckvereinbarkeit=daten["zweckvereinbarkeit"]
            )
            meldung = _("Freigabe Nr. %(nr)s ist erteilt.")
        elif aktion == "ablehnen":
            services.freigabe_ablehnen(freigabe=freigabe, by=user, begruendung=daten["begruendung"])
            meldung = _("Freigabe Nr. %(nr)s ist abgelehnt.")
        else:
            services.freigabe_widerrufen(freigabe=freigabe, by=user, grund=daten["begruendung"])
            meldung = _("Freigabe Nr. %(nr)s ist widerrufen.")
    except services.KeineBerechtigung:
        raise
    except rules.RegelVerstoss as exc:
        return _fehlerseite(request, freigabe, fehlerseite=fehlerseite, fehler=list(exc.verstoesse))
    except ValidationError as exc:
        return _fehlerseite(request, freigabe, fehlerseite=fehlerseite, fehler=fehler_liste(exc))
    messages.success(request, meldung % {"nr": freigabe.pk})
    return _zurueck(request, freigabe.pk)


@login_required
@require_http_methods(["GET", "POST"])
def freigabe_detail(request, pk: int):
    nur_freigabe_admin(request.user)
    freigabe = selectors.freigabe_der_kommune(kommune=request.user.kommune, pk=pk)
    if request.method == "POST":
        return entscheiden(request, freigabe)
    return render(request, "kommunen/freigabe_detail.html", _detail_context(request, freigabe))
