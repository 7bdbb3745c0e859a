"""The Protokoll of the admin's Kommune, on a page and as a CSV export."""

from __future__ import annotations

import csv
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.seiten import ohne_seite

from .. import selectors, services
from ..forms import (
    ProtokollFilterForm,
)
from ..models import Protokoll
from .zugriff import SEITE, nur_freigabe_admin


def _protokoll_filter(request) -> tuple[ProtokollFilterForm, dict, bool]:
    form = ProtokollFilterForm(request.GET or None)
    filter_: dict = {}
    gueltig = True
    if form.is_bound:
        gueltig = form.is_valid()
        if gueltig:
            filter_ = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filter_, gueltig


def _fuer_anzeige(eintraege, user) -> None:
    """Attach each row's object address, readable details and the memo of its decision.

    Rows of one city concern that city's own objects, which its admin may open; a deleted
    object keeps its rows, shown with its title and no link (its memos stay downloadable).
    """
    vorhanden = selectors.noch_vorhanden(eintraege)
    vermerke = selectors.vermerke_zu_protokoll(user=user, eintraege=eintraege)
    kommunen = selectors.Kommunennamen().laden()
    for e in eintraege:
        e.details_anzeige = selectors.details_in_worten(e, kommunen)
        v = vermerke.get(e.pk)
        e.vermerk_url = (
            reverse("kommunen:vermerk_download", args=[v.freigabe_id, v.pk])
            if v is not None and v.vorhanden
            else ""
        )
        e.objekt_url = ""
        e.objekt_geloescht = False
        if e.content_type_id and e.object_id:
            if (e.content_type_id, e.object_id) not in vorhanden:
                e.objekt_geloescht = True
                continue
            model = ContentType.objects.get_for_id(e.content_type_id).model_class()
            if model is not None and hasattr(model, "get_absolute_url"):
                e.objekt_url = model(pk=e.object_id).get_absolute_url()


def _lesen_hinweis() -> dict:
    return {
        "lesen_monate": settings.PROTOKOLL_LESEN_AUFBEWAHREN_MONATE,
        "lesen_pro_person": settings.PROTOKOLL_LESEN_PRO_PERSON,
    }


@login_required
@require_GET
def protokoll(request):
    user = request.user
    nur_freigabe_admin(user)
    form, filter_, gueltig = _protokoll_filter(request)
    qs = selectors.protokoll_gefiltert(kommune=user.kommune, **filter_)
    seite = Paginator(qs, SEITE).get_page(request.GET.get("seite"))
    _fuer_anzeige(seite.object_list, user)
    return render(
        request,
        "kommunen/protokoll.html",
        {
            "form": form,
            "seite": seite,
            "query": ohne_seite(request),
            "export_url": reverse("kommunen:protokoll_export")
            + (f"?{ohne_seite(request)}" if ohne_seite(request) else ""),
            **_lesen_hinweis(),
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
            _("Details (maschinenlesbar)"),
            _("Freigabevermerk (SHA-256)"),
        ]
    )
    aktionen = dict(Protokoll.Aktion.choices)
    kommunen = selectors.Kommunennamen().laden()
    for e in eintraege:
        yield writer.writerow(
            [
                csv_zelle(timezone.localtime(e.zeitpunkt).strftime("%Y-%m-%d %H:%M:%S")),
                csv_zelle(aktionen.get(e.aktion, e.aktion)),
                csv_zelle(e.objekt_titel),
                csv_zelle(e.object_id or ""),
                csv_zelle(e.freigabe_id_ref or ""),
                csv_zelle(e.akteur_anzeige),
                csv_zelle(e.akteur_kommune.name if e.akteur_kommune else ""),
                csv_zelle(selectors.details_text(selectors.details_in_worten(e, kommunen))),
                csv_zelle(json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
                # The memo's hash lets an auditor match the PDF in the e-file with this row.
                csv_zelle(e.vermerk_sha256 or ""),
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
    nur_freigabe_admin(user)
    form, filter_, gueltig = _protokoll_filter(request)
    if not gueltig:
        return render(
            request,
            "kommunen/protokoll.html",
            {"form": form, "seite": None, "query": "", "export_url": "", **_lesen_hinweis()},
            status=400,
        )
    qs = selectors.protokoll_gefiltert(kommune=user.kommune, **filter_).annotate(
        vermerk_sha256=F("vermerk__sha256")
    )
    # Reading the audit log is itself accountable: the export is logged before it streams.
    services.protokoll_exportiert(by=user, filter_={k: str(v) for k, v in filter_.items()})
    response = StreamingHttpResponse(
        _protokoll_csv(qs.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_dateiname(user.kommune)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
