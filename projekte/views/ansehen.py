"""Views of projects: thin, every read through the selectors (and so through sharing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.datenbanken import replikat_lesen
from common.seiten import ohne_seite, seite
from common.views import anmelden_statt_404
from kommunen import selectors as kommunen_selectors
from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.forms import ZugangsanfrageForm
from kommunen.models import Umfang
from kommunen.views import fehler_ans_formular, zugang_stellen

from .. import erweiterungen, selectors
from ..filter import Auswahl, FacettenForm
from ..forms import EinsparungForm, NachnutzungForm
from ..services import nutzung as services_nutzung


def facetten_melden(request, form) -> dict:
    for meldung in form.fehlermeldungen():
        messages.warning(request, meldung)
    return form.filter()


def folgbare(filter: dict, optionen: dict, abos: dict) -> list[dict]:
    """Follow buttons for the Kommune, Thema and Initiative chosen as facets."""
    buttons = []
    for art, liste in (
        ("kommune", optionen["kommunen"]),
        ("thema", optionen["themen"]),
        ("initiative", optionen["initiativen"]),
    ):
        gewaehlt = filter.get(art)
        if isinstance(liste, Auswahl):
            ziel = liste.objekt(gewaehlt)
        else:
            ziel = next((o for o in liste if o.pk == gewaehlt), None)
        if ziel is not None:
            buttons.append({"art": art, "ziel": ziel, "verfolgt": ziel.pk in abos[art]})
    return buttons


def weiter_url(request, standard: str) -> str:
    ziel = request.POST.get("weiter") or ""
    if url_has_allowed_host_and_scheme(
        ziel, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ziel
    return standard


# --- list -------------------------------------------------------------------------------------


@require_GET
@replikat_lesen
def projekt_liste(request):
    optionen = selectors.facetten_optionen()
    form = FacettenForm(request.GET, jahre=selectors.projekt_jahre(user=request.user), **optionen)
    filter = facetten_melden(request, form)
    page = seite(request, selectors.projekte_liste(user=request.user, filter=filter))
    abos = selectors.abos_von(user=request.user)
    return render(
        request,
        "projekte/projekt_list.html",
        {
            "form": form,
            "filter": filter,
            "page": page,
            "folgbar": folgbare(filter, optionen, abos),
            "query": ohne_seite(request),
        },
    )


# --- detail -----------------------------------------------------------------------------------


def _detail_kontext(
    request, projekt, *, zugang_form=None, nachnutzung_form=None, einsparung_form=None
) -> dict:
    user = request.user
    eigene = user.is_authenticated and user.kommune_id == projekt.kommune_id
    fremd = user.is_authenticated and user.kommune_id is not None and not eigene
    # Read once for the reasons and the list of Freigaben.
    aktive = kommunen_selectors.aktive_freigaben_liste(projekt)
    darf_laden = sharing.can(user, "download", projekt)
    darf_aendern = sharing.can(user, "change", projekt)
    offene_anfrage = (
        kommunen_selectors.offene_zugangsanfrage(user=user, objekt=projekt) if fremd else None
    )
    umfaenge = []
    if fremd and offene_anfrage is None:
        if not darf_laden:
            umfaenge.append(Umfang.VOLLSTAENDIG)
        if not darf_aendern:
            umfaenge.append(Umfang.MITARBEIT)
    nachnutzungen = selectors.nachnutzungen_fuer(user=user, projekt=projekt)
    meine = next((n for n in nachnutzungen if n.benutzer_id == user.pk), None)
    freigaben = kommunen_selectors.freigaben_fuer(user=user, objekt=projekt, aktive=aktive)
    return {
        "objekt": projekt,
        "gruende": sharing.explain(user, projekt, aktive=aktive),
        "freigaben": freigaben,
        "oeffentliche_ansicht": kommunen_selectors.nur_oeffentlich(
            user=user, objekt=projekt, freigaben=freigaben
        ),
        "seitenteile": erweiterungen.seitenteile(user=user, projekt=projekt),
        "eigene_kommune": eigene,
        "darf_aendern": darf_aendern,
        # Only the owner's roles may share (kommunen.sharing.desired_rows); ask only them.
        "darf_teilen": eigene and sharing.can(user, "share", projekt),
        "darf_loeschen": eigene and sharing.can_delete(user, projekt),
        # The owner's staff see the proposals still waiting beside the active Freigaben.
        "beantragt": kommunen_selectors.freigaben_beantragt_von(projekt) if eigene else [],
        "abos": selectors.abos_von(user=user),
        "offene_anfrage": offene_anfrage,
        "zugang_form": zugang_form or (ZugangsanfrageForm(umfaenge=umfaenge) if umfaenge else None),
        "zugang_url": reverse("projekte:zugang", args=[projekt.pk]),
        "nachnutzungen": nachnutzungen if eigene else [],
        # The owner's list says who wants to call off from the framework agreement.
        "abruf_spalte": eigene
        and (bool(projekt.rahmenvertrag) or any(n.rahmenvertrag_abrufen for n in nachnutzungen)),
        "meine_nachnutzung": meine,
        "einsparung_form": einsparung_form
        or (
            EinsparungForm(
                initial={"nachnutzung": meine.pk, "einsparung_eur": meine.einsparung_eur}
            )
            if meine is not None
            else None
        ),
        "nachnutzung_form": nachnutzung_form
        or (
            NachnutzungForm(projekt=projekt, kommune_id=user.kommune_id)
            if fremd and meine is None
            else None
        ),
    }


@require_GET
@anmelden_statt_404
def projekt_detail(request, pk: int):
    projekt = selectors.projekt_detail_laden(user=request.user, pk=pk)
    kommunen_services.ansicht_protokollieren(user=request.user, objekt=projekt)
    return render(request, "projekte/projekt_detail.html", _detail_kontext(request, projekt))


@require_POST
@login_required
def projekt_zugang(request, pk: int):
    projekt = selectors.projekt_detail_laden(user=request.user, pk=pk)
    form = ZugangsanfrageForm(request.POST)
    fehler = zugang_stellen(request, projekt, form)
    if fehler is None:
        return redirect(projekt.get_absolute_url())
    return render(
        request,
        "projekte/projekt_detail.html",
        _detail_kontext(request, projekt, zugang_form=form),
        status=400,
    )


@require_POST
@login_required
def projekt_nachnutzung(request, pk: int):
    projekt = selectors.projekt_detail_laden(user=request.user, pk=pk)
    if request.user.kommune_id is None or request.user.kommune_id == projekt.kommune_id:
        raise Http404(_("Nicht gefunden."))
    if request.POST.get("aktion") == "zurueckziehen":
        if services_nutzung.nachnutzung_zurueckziehen(projekt=projekt, by=request.user):
            messages.success(request, _("Ihr Interesse an der Nachnutzung ist zurückgezogen."))
        return redirect(projekt.get_absolute_url())
    form = NachnutzungForm(request.POST, projekt=projekt, kommune_id=request.user.kommune_id)
    if form.is_valid():
        try:
            services_nutzung.nachnutzung_erklaeren(
                projekt=projekt,
                by=request.user,
                nachricht=form.cleaned_data["nachricht"],
                rahmenvertrag_abrufen=form.cleaned_data["rahmenvertrag_abrufen"],
                einsparung_eur=form.cleaned_data["einsparung_eur"],
            )
        except PermissionDenied as exc:
            raise Http404(_("Nicht gefunden.")) from exc
        except ValidationError as exc:
            fehler_ans_formular(form, exc)
        else:
            messages.success(
                request,
                _("%(kommune)s sieht jetzt Ihr Interesse und Ihre Kontaktdaten.")
                % {"kommune": projekt.kommune},
            )
            return redirect(projekt.get_absolute_url())
    return render(
        request,
        "projekte/projekt_detail.html",
        _detail_kontext(request, projekt, nachnutzung_form=form),
        status=400,
    )


@require_POST
@login_required
def projekt_einsparung(request, pk: int):
    """The reusing Kommune changes its estimate of what it saved. A forged id of another
    Kommune's declaration is "not found" (404), like a project the user cannot see."""
    projekt = selectors.projekt_detail_laden(user=request.user, pk=pk)
    form = EinsparungForm(request.POST)
    if form.is_valid():
        try:
            services_nutzung.einsparung_setzen(
                projekt=projekt,
                nachnutzung_id=form.cleaned_data["nachnutzung"],
                by=request.user,
                einsparung_eur=form.cleaned_data["einsparung_eur"],
            )
        except PermissionDenied as exc:
            raise Http404(_("Nicht gefunden.")) from exc
        except ValidationError as exc:
            fehler_ans_formular(form, exc)
        else:
            messages.success(request, _("Die geschätzte Einsparung ist gespeichert."))
            return redirect(projekt.get_absolute_url())
    elif "nachnutzung" in form.errors:
        raise Http404(_("Nicht gefunden."))
    return render(
        request,
        "projekte/projekt_detail.html",
        _detail_kontext(request, projekt, einsparung_form=form),
        status=400,
    )


# --- follow -----------------------------------------------------------------------------------


@require_POST
@login_required
def folgen(request):
    folgen = request.POST.get("aktion") != "entfolgen"
    zurueck = weiter_url(request, reverse("projekte:liste"))
    try:
        ziel, geaendert = services_nutzung.abo_setzen(
            benutzer=request.user,
            art=request.POST.get("art", ""),
            ziel_id=request.POST.get("id"),
            folgen=folgen,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(zurueck)
    if folgen:
        text = _("Sie folgen jetzt „%(ziel)s“.") if geaendert else _("Sie folgen „%(ziel)s“ schon.")
    else:
        text = _("Sie folgen „%(ziel)s“ nicht mehr.")
    messages.success(request, text % {"ziel": ziel})
    return redirect(zurueck)
