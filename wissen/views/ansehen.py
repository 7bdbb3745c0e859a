"""Views of results: thin, every read through the selectors (and so through sharing)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.datenbanken import replikat_lesen
from common.seiten import seite
from common.views import anmelden_statt_404
from kommunen import selectors as kommunen_selectors
from kommunen import services as kommunen_services
from kommunen import sharing
from kommunen.forms import ZugangsanfrageForm
from kommunen.models import Protokoll, Umfang
from kommunen.views import zugang_stellen
from projekte import selectors as projekte_selectors
from projekte.views import facetten_melden, folgbare

from .. import selectors
from ..filter import ErgebnisFacettenForm


@require_GET
@replikat_lesen
def ergebnis_liste(request):
    optionen = projekte_selectors.facetten_optionen()
    form = ErgebnisFacettenForm(
        request.GET, jahre=selectors.ergebnis_jahre(user=request.user), **optionen
    )
    filter = facetten_melden(request, form)
    page = seite(request, selectors.ergebnisse_liste(user=request.user, filter=filter))
    query = request.GET.copy()
    query.pop("seite", None)
    abos = projekte_selectors.abos_von(user=request.user)
    return render(
        request,
        "wissen/ergebnis_list.html",
        {
            "form": form,
            "filter": filter,
            "page": page,
            "folgbar": folgbare(filter, optionen, abos),
            "query": query.urlencode(),
        },
    )


def _detail_kontext(request, ergebnis, *, zugang_form=None) -> dict:
    user = request.user
    eigene = user.is_authenticated and user.kommune_id == ergebnis.kommune_id
    fremd = user.is_authenticated and user.kommune_id is not None and not eigene
    # Read once for the reasons and the list of Freigaben.
    aktive = kommunen_selectors.aktive_freigaben_liste(ergebnis)
    darf_laden = sharing.can(user, "download", ergebnis)
    offene_anfrage = (
        kommunen_selectors.offene_zugangsanfrage(user=user, objekt=ergebnis) if fremd else None
    )
    zeige_anfrage = fremd and not darf_laden and offene_anfrage is None
    freigaben = kommunen_selectors.freigaben_fuer(user=user, objekt=ergebnis, aktive=aktive)
    return {
        "objekt": ergebnis,
        "gruende": sharing.explain(user, ergebnis, aktive=aktive),
        "freigaben": freigaben,
        "oeffentliche_ansicht": kommunen_selectors.nur_oeffentlich(
            user=user, objekt=ergebnis, freigaben=freigaben
        ),
        "projekt": selectors.ergebnis_projekt_sichtbar(user=user, ergebnis=ergebnis),
        "dokumente": ergebnis.dokumente_liste,
        "fassungen": selectors.dokumentfassungen(user=user, ergebnis=ergebnis),
        "darf_laden": darf_laden,
        "darf_aendern": sharing.can(user, "change", ergebnis),
        "darf_dokumente": eigene and sharing.can_change_documents(user, ergebnis),
        "darf_loeschen": eigene and sharing.can_delete(user, ergebnis),
        # The owner's staff see the proposals still waiting beside the active Freigaben.
        "beantragt": kommunen_selectors.freigaben_beantragt_von(ergebnis) if eigene else [],
        # Only the owner's roles may share (kommunen.sharing.desired_rows); ask only them.
        "darf_teilen": eigene and sharing.can(user, "share", ergebnis),
        "eigene_kommune": eigene,
        "abos": projekte_selectors.abos_von(user=user),
        "offene_anfrage": offene_anfrage,
        "zugang_form": zugang_form
        or (ZugangsanfrageForm(umfaenge=[Umfang.VOLLSTAENDIG]) if zeige_anfrage else None),
        "zugang_url": reverse("wissen:zugang", args=[ergebnis.pk]),
    }


@require_GET
@anmelden_statt_404
def ergebnis_detail(request, pk: int):
    ergebnis = selectors.ergebnis_detail_laden(user=request.user, pk=pk)
    kommunen_services.ansicht_protokollieren(user=request.user, objekt=ergebnis)
    return render(request, "wissen/ergebnis_detail.html", _detail_kontext(request, ergebnis))


@require_POST
@login_required
def ergebnis_zugang(request, pk: int):
    ergebnis = selectors.ergebnis_detail_laden(user=request.user, pk=pk)
    form = ZugangsanfrageForm(request.POST, umfaenge=[Umfang.VOLLSTAENDIG])
    if zugang_stellen(request, ergebnis, form) is None:
        return redirect(ergebnis.get_absolute_url())
    return render(
        request,
        "wissen/ergebnis_detail.html",
        _detail_kontext(request, ergebnis, zugang_form=form),
        status=400,
    )


def dateiname(name: str) -> str:
    """The original name, safe for a header: no control characters, no path."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name or "").replace("/", "_").replace("\\", "_")
    return name.strip(" .") or _("dokument")


@require_GET
@anmelden_statt_404
def dokument_download(request, pk: int, dok_pk: int):
    ergebnis, dokument = selectors.dokument_zum_herunterladen(
        user=request.user, ergebnis_pk=pk, dokument_pk=dok_pk
    )
    return _herunterladen(request, ergebnis, dokument, {"dokument": dokument.pk})


def _herunterladen(request, ergebnis, datei_zeile, details: dict) -> FileResponse:
    """The file of a document or of an earlier version, the download written to the Protokoll
    first (who read what is accountable)."""
    try:
        datei = datei_zeile.datei.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("Die Datei ist nicht verfügbar.")) from exc
    with transaction.atomic():
        kommunen_services.protokollieren(
            aktion=Protokoll.Aktion.DOWNLOAD,
            akteur=request.user,
            objekt=ergebnis,
            kommune=ergebnis.kommune,
            details={
                **details,
                "datei": datei_zeile.originalname,
                "sha256": datei_zeile.sha256,
            },
        )
    return _datei_antwort(datei, datei_zeile.originalname, datei_zeile.mime)


def _datei_antwort(datei, name: str, mime: str) -> FileResponse:
    response = FileResponse(
        datei,
        as_attachment=True,
        filename=dateiname(name),
        content_type=mime or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@anmelden_statt_404
def fassung_download(request, pk: int, dok_pk: int, fassung_pk: int):
    """An earlier version of a document, for the owner's staff only (404 for anyone else)."""
    ergebnis, fassung = selectors.fassung_zum_herunterladen(
        user=request.user, ergebnis_pk=pk, dokument_pk=dok_pk, fassung_pk=fassung_pk
    )
    return _herunterladen(
        request, ergebnis, fassung, {"dokument": fassung.dokument_id, "fassung": fassung.pk}
    )
