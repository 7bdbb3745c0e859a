"""Views to create and edit results, upload documents and follow their text extraction."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import anmelden_statt_404
from kommunen import selectors as kommunen_selectors
from kommunen.forms import DokumentLoeschenForm
from kommunen.services import darf_anlegen
from kommunen.views import (
    fehler_ans_formular,
    folgen_meldung,
    folgen_vor_dem_speichern,
    freigabe_regelpruefung,
    freigabe_vorschlagen,
    objekt_loeschen_seite,
    objekt_zurueckziehen_seite,
)
from projekte import selectors as projekte_selectors
from projekte.views import formular_werte

from .. import dateipruefung, selectors, services
from ..forms import DokumentForm, ErgebnisForm
from .aehnliche import ergebnis_vorschlaege

# The submit button that asks for similar work instead of saving (ergebnis_form.html).
AEHNLICHE_PRUEFEN = "aehnliche"


def _daten(request):
    return request.POST if request.method == "POST" else None


def _ergebnis_formular(request, *, ergebnis=None):
    user = request.user
    kommune_id = ergebnis.kommune_id if ergebnis is not None else user.kommune_id
    projekte = (
        projekte_selectors.projekte_sichtbar(user=user)
        .filter(kommune_id=kommune_id)
        .order_by("titel")
    )
    form = ErgebnisForm(
        _daten(request),
        instance=ergebnis,
        projekte=projekte,
        mit_rechtlichem=ergebnis is None or ergebnis.kommune_id == user.kommune_id,
    )
    aehnliche = request.method == "POST" and request.POST.get("aktion") == AEHNLICHE_PRUEFEN
    if aehnliche and ergebnis is None:
        # The form as typed, with partners' similar work; nothing is validated or saved.
        kontext, status = ergebnis_vorschlaege(user=user, daten=request.POST)
        form = ErgebnisForm(
            initial=formular_werte(form, request.POST), projekte=projekte, mit_rechtlichem=True
        )
        return render(
            request,
            "wissen/ergebnis_form.html",
            {"form": form, "objekt": None, **kontext},
            status=status,
        )
    folgen = None
    if request.method == "POST" and form.is_valid():
        folgen = folgen_vor_dem_speichern(request, ergebnis, form.service_felder())
    if request.method == "POST" and form.is_valid() and folgen is None:
        try:
            zuordnung = {
                "themen": form.cleaned_data["themen"],
                "initiativen": form.cleaned_data["initiativen"],
            }
            if ergebnis is None:
                gespeichert = services.ergebnis_anlegen(
                    by=user, **form.service_felder(), **zuordnung
                )
                messages.success(
                    request,
                    _("Das Ergebnis wurde angelegt. Sie können jetzt Dokumente hochladen."),
                )
            else:
                gespeichert = services.ergebnis_aendern(
                    ergebnis=ergebnis, by=user, **form.service_felder(), **zuordnung
                )
                messages.success(request, folgen_meldung(gespeichert.folgen))
        except ValidationError as exc:
            form.fehler_uebernehmen(exc)
        else:
            return redirect(gespeichert.get_absolute_url())
    return render(
        request,
        "wissen/ergebnis_form.html",
        {"form": form, "objekt": ergebnis, "folgen": folgen},
        status=400 if request.method == "POST" and folgen is None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ergebnis_neu(request):
    if not darf_anlegen(request.user):
        raise PermissionDenied(_("Ergebnisse legen Herausgeberinnen und Herausgeber an."))
    return _ergebnis_formular(request)


@login_required
@require_http_methods(["GET", "POST"])
def ergebnis_bearbeiten(request, pk: int):
    ergebnis = selectors.ergebnis_sichtbar(user=request.user, pk=pk, perm="change")
    return _ergebnis_formular(request, ergebnis=ergebnis)


@csrf_exempt  # checked below, after the size limit is in place (Django's upload handlers)
@login_required
@require_http_methods(["GET", "POST"])
def dokument_neu(request, pk: int):
    # The permission check comes first: for a user who may not upload here, not one byte of
    # the body is read (the CSRF check below would otherwise parse the whole upload).
    ergebnis = selectors.ergebnis_fuer_dokumente(user=request.user, pk=pk)
    begrenzung = dateipruefung.GroesseBegrenzen(request, max_bytes=settings.UPLOAD_MAX_BYTES)
    request.upload_handlers.insert(0, begrenzung)
    return _dokument_neu(request, ergebnis, begrenzung)


@csrf_protect
def _dokument_neu(request, ergebnis, begrenzung):
    max_mb = max(1, settings.UPLOAD_MAX_BYTES // (1024 * 1024))
    dokumente = list(ergebnis.dokumente.defer("text"))
    form = DokumentForm(_daten(request), request.FILES or None, max_mb=max_mb, dokumente=dokumente)
    if begrenzung.zu_gross:
        form.add_error("datei", dateipruefung.zu_gross_meldung(settings.UPLOAD_MAX_BYTES))
    elif request.method == "POST" and form.is_valid():
        ersetzt = form.cleaned_data.get("ersetzt")
        try:
            if ersetzt is None:
                dok = services.dokument_hochladen(
                    ergebnis=ergebnis, datei=form.cleaned_data["datei"], by=request.user
                )
            else:
                dok = services.dokument_ersetzen(
                    ergebnis=ergebnis,
                    dokument_pk=ersetzt,
                    datei=form.cleaned_data["datei"],
                    by=request.user,
                )
        except ValidationError as exc:
            form.fehler_uebernehmen(exc)
        else:
            satz = (
                _("„%(name)s“ wurde hochgeladen; der Text wird jetzt für die Suche erkannt.")
                if ersetzt is None
                else _(
                    "„%(name)s“ ist die neue Fassung; die bisherige bleibt für Ihre Kommune in "
                    "der Versionsgeschichte. Der Text wird jetzt für die Suche erkannt."
                )
            )
            messages.success(request, satz % {"name": dok.originalname})
            return redirect(ergebnis.get_absolute_url())
    return render(
        request,
        "wissen/dokument_form.html",
        {
            "form": form,
            "objekt": ergebnis,
            "dokumente": dokumente,
            "vsnfd": ergebnis.einstufung == "vs_nfd",
            # Said before the upload: which Freigaben a new version would hold back.
            "folgen": kommunen_selectors.dokument_folgen(ergebnis),
            "folgen_titel": _("Was das Hochladen bewirkt"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dokument_loeschen(request, pk: int, dok_pk: int):
    """Confirmation page, then the document and its earlier versions are deleted (owner's
    Herausgabe only; 404 for anyone else)."""
    ergebnis, dokument = selectors.dokument_zum_aendern(
        user=request.user, ergebnis_pk=pk, dokument_pk=dok_pk
    )
    form = DokumentLoeschenForm(_daten(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.dokument_loeschen(
                ergebnis=ergebnis,
                dokument_pk=dokument.pk,
                by=request.user,
                grund=form.cleaned_data["grund"],
            )
        except ValidationError as exc:
            fehler_ans_formular(form, exc)
        else:
            messages.success(
                request,
                _(
                    "„%(name)s“ wurde gelöscht, mit seinen früheren Fassungen. Das Protokoll "
                    "hält fest, wer es wann gelöscht hat."
                )
                % {"name": dokument.originalname},
            )
            return redirect(ergebnis.get_absolute_url())
    return render(
        request,
        "wissen/dokument_loeschen.html",
        {
            "form": form,
            "objekt": ergebnis,
            "dokument": dokument,
            "fassungen": dokument.fassungen.count(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@anmelden_statt_404
def dokument_status(request, pk: int, dok: int):
    """The extraction state of one document as a fragment (polled by htmx while running).

    Documents are part of what a `metadaten` Freigabe withholds: their names and states too.
    The public sees the documents but not how the portal processes them.
    """
    ergebnis = selectors.ergebnis_sichtbar(user=request.user, pk=pk, perm="download")
    dokument = ergebnis.dokumente.filter(pk=dok).first()
    freigaben = kommunen_selectors.freigaben_fuer(user=request.user, objekt=ergebnis)
    if dokument is None or kommunen_selectors.nur_oeffentlich(
        user=request.user, objekt=ergebnis, freigaben=freigaben
    ):
        raise Http404(_("Nicht gefunden."))
    return render(request, "wissen/_dokument_status.html", {"dok": dokument, "objekt": ergebnis})


@login_required
@require_http_methods(["GET", "POST"])
def ergebnis_freigeben(request, pk: int):
    ergebnis = selectors.ergebnis_sichtbar(user=request.user, pk=pk, perm="share")
    return freigabe_vorschlagen(
        request, ergebnis, pruef_url=reverse("wissen:freigabe_pruefen", args=[ergebnis.pk])
    )


@login_required
@require_POST
def ergebnis_freigabe_pruefen(request, pk: int):
    ergebnis = selectors.ergebnis_sichtbar(user=request.user, pk=pk, perm="share")
    return freigabe_regelpruefung(request, ergebnis)


@login_required
@require_http_methods(["GET", "POST"])
def ergebnis_loeschen(request, pk: int):
    """Confirmation page, then deletion (owner's Herausgabe only; 404 for anyone else)."""
    ergebnis = selectors.ergebnis_zum_loeschen(user=request.user, pk=pk)
    return objekt_loeschen_seite(
        request,
        ergebnis,
        loeschen=lambda: services.ergebnis_loeschen(ergebnis=ergebnis, by=request.user),
        zurueck="wissen:liste",
        angaben=lambda: {"dokumente": ergebnis.dokumente.count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ergebnis_zurueckziehen(request, pk: int):
    """Confirmation page with a reason, then withdrawal (owner's Herausgabe; 404 otherwise)."""
    ergebnis = selectors.ergebnis_zum_loeschen(user=request.user, pk=pk)
    return objekt_zurueckziehen_seite(request, ergebnis)
