"""Pages of the sharing admins (inbox, matrix, Freigabe, Protokoll) and everyone's notifications."""

from __future__ import annotations

import csv
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.seiten import ohne_seite

from . import selectors, services
from .forms import (
    AnfrageEntscheidungForm,
    BenachrichtigungEinstellungForm,
    EntscheidungForm,
    MatrixFilterForm,
    ProtokollFilterForm,
)
from .models import Protokoll, Umfang
from .services import benachrichtigungen as benachrichtigung_services

EINGANG_MAX = 100
SEITE = 50


def _nur_freigabe_admin(user) -> None:
    """Admin pages: a clear 403 for other roles (they know these pages exist)."""
    if not user.ist_freigabe_admin:
        raise PermissionDenied(_("Diese Seite ist den Freigabe-Admins einer Kommune vorbehalten."))


def _fehler_liste(exc: ValidationError) -> list[str]:
    """Messages of a service's ValidationError (rule violations keep their rule id first)."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


# --- inbox -----------------------------------------------------------------------------------


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
    _nur_freigabe_admin(request.user)
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
    _nur_freigabe_admin(user)
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
            services.freigabe_erteilen(freigabe=freigabe, by=user)
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
            request, schluessel=schluessel, fehler=_fehler_liste(exc), freigabe=freigabe
        )
    messages.success(request, meldung % {"nr": freigabe.pk})
    return _zurueck(request, freigabe.pk)


@login_required
@require_POST
def anfrage_entscheiden(request, pk: int):
    user = request.user
    _nur_freigabe_admin(user)
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
        )
    except services.KeineBerechtigung:
        raise
    except ValidationError as exc:
        return _fehlerseite(request, schluessel=schluessel, fehler=_fehler_liste(exc))
    if a.freigabe_id:
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
    for e in eintraege:
        e.details_anzeige = details_lesbar(e.details)
    return eintraege


@login_required
@require_GET
def freigabe_detail(request, pk: int):
    _nur_freigabe_admin(request.user)
    freigabe = selectors.freigabe_der_kommune(kommune=request.user.kommune, pk=pk)
    return render(request, "kommunen/freigabe_detail.html", _detail_context(request, freigabe))


# --- sharing matrix --------------------------------------------------------------------------


@login_required
@require_GET
def matrix(request):
    user = request.user
    _nur_freigabe_admin(user)
    kommune = user.kommune
    typen = selectors.freigebbare_typen()
    spalten = selectors.matrix_spalten(kommune=kommune)
    form = MatrixFilterForm(request.GET or None, typen=typen, spalten=spalten)
    filter_ = {"typ": "", "empfaenger": "", "status": "", "suche": ""}
    status = 400 if form.is_bound and not form.is_valid() else 200
    if form.is_bound and form.is_valid():
        filter_.update({k: v or "" for k, v in form.cleaned_data.items()})
    sichtbare_spalten = spalten
    if filter_["empfaenger"]:
        sichtbare_spalten = [s for s in spalten if s.schluessel == filter_["empfaenger"]]
    objekte = selectors.matrix_objekte(user=user, **filter_)
    seite = Paginator(objekte, SEITE).get_page(request.GET.get("seite"))
    zeilen = selectors.matrix_zeilen(
        kommune=kommune,
        objekte=list(seite.object_list),
        spalten=sichtbare_spalten,
        status=filter_["status"],
    )
    return render(
        request,
        "kommunen/matrix.html",
        {
            "form": form,
            "spalten": sichtbare_spalten,
            "zeilen": zeilen,
            "seite": seite,
            "query": ohne_seite(request),
        },
        status=status,
    )


# --- Protokoll -------------------------------------------------------------------------------


def _protokoll_filter(request) -> tuple[ProtokollFilterForm, dict, bool]:
    form = ProtokollFilterForm(request.GET or None)
    filter_: dict = {}
    gueltig = True
    if form.is_bound:
        gueltig = form.is_valid()
        if gueltig:
            filter_ = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filter_, gueltig


DETAIL_NAMEN = {
    "anfrage": gettext_lazy("Zugangsanfrage Nr."),
    "anlass": gettext_lazy("Anlass"),
    "begruendung": gettext_lazy("Begründung"),
    "benutzer": gettext_lazy("Benutzer/in"),
    "empfaenger": gettext_lazy("Empfänger"),
    "entzogen": gettext_lazy("Rechte entzogen"),
    "erneute_pruefung": gettext_lazy("erneute Prüfung"),
    "felder": gettext_lazy("Felder"),
    "filter": gettext_lazy("Filter"),
    "grund": gettext_lazy("Grund"),
    "gueltig_bis": gettext_lazy("gültig bis"),
    "hinzugefuegt": gettext_lazy("Rechte hinzugefügt"),
    "kommune": gettext_lazy("Kommune"),
    "mitglieder": gettext_lazy("Mitglieder"),
    "nachher": gettext_lazy("nachher"),
    "regeln": gettext_lazy("Regeln"),
    "umfang": gettext_lazy("Umfang"),
    "verbund": gettext_lazy("Verbund"),
    "vorher": gettext_lazy("vorher"),
}


def _wert_lesbar(schluessel: str, wert) -> str:
    if isinstance(wert, bool):
        return _("ja") if wert else _("nein")
    if schluessel == "umfang" and wert in Umfang.values:
        return str(Umfang(wert).label)
    if isinstance(wert, list | tuple):
        return ", ".join(_wert_lesbar("", w) for w in wert)
    if isinstance(wert, dict):
        return "; ".join(f"{k}: {_wert_lesbar(k, v)}" for k, v in wert.items())
    return "" if wert is None else str(wert)


def details_lesbar(details: dict) -> list[tuple[str, str]]:
    """A Protokoll row's details as (German label, value) pairs for the page."""
    if not isinstance(details, dict):
        return [("", str(details))]
    return [(str(DETAIL_NAMEN.get(k, k)), _wert_lesbar(k, v)) for k, v in details.items()]


def _fuer_anzeige(eintraege) -> None:
    """Attach each row's object address and readable details.

    Rows of one city concern that city's own objects, which its admin may open.
    """
    for e in eintraege:
        e.details_anzeige = details_lesbar(e.details)
        e.objekt_url = ""
        if e.content_type_id and e.object_id:
            model = ContentType.objects.get_for_id(e.content_type_id).model_class()
            if model is not None and hasattr(model, "get_absolute_url"):
                e.objekt_url = model(pk=e.object_id).get_absolute_url()


@login_required
@require_GET
def protokoll(request):
    user = request.user
    _nur_freigabe_admin(user)
    form, filter_, gueltig = _protokoll_filter(request)
    qs = selectors.protokoll_gefiltert(kommune=user.kommune, **filter_)
    seite = Paginator(qs, SEITE).get_page(request.GET.get("seite"))
    _fuer_anzeige(seite.object_list)
    return render(
        request,
        "kommunen/protokoll.html",
        {
            "form": form,
            "seite": seite,
            "query": ohne_seite(request),
            "export_url": reverse("kommunen:protokoll_export")
            + (f"?{ohne_seite(request)}" if ohne_seite(request) else ""),
        },
        status=200 if gueltig else 400,
    )


CSV_GEFAEHRLICH = ("=", "+", "-", "@", "\t", "\r")


def csv_zelle(wert) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection, OWASP)."""
    text = "" if wert is None else str(wert)
    if text.startswith(CSV_GEFAEHRLICH):
        return "'" + text
    return text


class _Puffer:
    def write(self, value):
        return value


def _protokoll_csv(eintraege):
    writer = csv.writer(_Puffer(), delimiter=";")
    yield "\ufeff"  # byte order mark: Excel then opens the file as UTF-8
    yield writer.writerow(
        [
            _("Zeitpunkt"),
            _("Aktion"),
            _("Objekt"),
            _("Objekt-ID"),
            _("Freigabe-Nr."),
            _("Benutzer/in"),
            _("Kommune der Benutzer/in"),
            _("Details"),
        ]
    )
    aktionen = dict(Protokoll.Aktion.choices)
    for e in eintraege:
        yield writer.writerow(
            [
                csv_zelle(timezone.localtime(e.zeitpunkt).strftime("%Y-%m-%d %H:%M:%S")),
                csv_zelle(aktionen.get(e.aktion, e.aktion)),
                csv_zelle(e.objekt_titel),
                csv_zelle(e.object_id or ""),
                csv_zelle(e.freigabe_id_ref or ""),
                csv_zelle(e.akteur_name),
                csv_zelle(e.akteur_kommune.name if e.akteur_kommune else ""),
                csv_zelle(json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
            ]
        )


def _dateiname(kommune) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", kommune.slug.lower()).strip("-") or "kommune"
    return f"protokoll-{slug}-{timezone.localdate():%Y-%m-%d}.csv"


@login_required
def protokoll_export(request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    user = request.user
    _nur_freigabe_admin(user)
    form, filter_, gueltig = _protokoll_filter(request)
    if not gueltig:
        return render(
            request,
            "kommunen/protokoll.html",
            {"form": form, "seite": None, "query": "", "export_url": ""},
            status=400,
        )
    qs = selectors.protokoll_gefiltert(kommune=user.kommune, **filter_)
    # Reading the audit log is itself accountable: the export is logged before it streams.
    services.protokoll_exportiert(by=user, filter_={k: str(v) for k, v in filter_.items()})
    response = StreamingHttpResponse(
        _protokoll_csv(qs.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_dateiname(user.kommune)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- notifications (every logged-in user) ----------------------------------------------------


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
