"""Pages that span the apps: start page per role, legal rule table, health check, error pages,
robots.txt."""

import os
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kommunen import rules
from kommunen import selectors as kommunen_selectors
from kommunen.services import darf_anlegen
from projekte import selectors as projekte_selectors
from wissen import selectors as wissen_selectors


def start(request):
    user = request.user
    context = {}
    if user.is_authenticated:
        context["neu_geteilt_projekte"] = projekte_selectors.projekte_geteilt(user=user, tage=30)[
            :10
        ]
        context["neu_geteilt_ergebnisse"] = wissen_selectors.ergebnisse_geteilt(user=user, tage=30)[
            :10
        ]
        context["abos"] = projekte_selectors.abo_liste(user=user)
        if context["abos"]:
            context["verfolgt_projekte"] = projekte_selectors.projekte_verfolgt(user=user)[:10]
            context["verfolgt_ergebnisse"] = wissen_selectors.ergebnisse_verfolgt(user=user)[:10]
        if user.kommune_id:
            context["eigene_projekte"] = projekte_selectors.projekte_eigene(user=user)[:10]
            context["eigene_ergebnisse"] = wissen_selectors.ergebnisse_eigene(user=user)[:10]
        if user.ist_freigabe_admin:
            context["offen"] = kommunen_selectors.eingang_zaehlen(kommune=user.kommune)
    else:
        context["oeffentlich_projekte"] = projekte_selectors.projekte_sichtbar(user=user)[:10]
        context["oeffentlich_ergebnisse"] = wissen_selectors.ergebnisse_sichtbar(user=user)[:10]
    return render(request, "portal/start.html", context)


@require_GET
@never_cache
def healthz(request):
    state = {"database": "ok", "cache": "ok", "broker": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is unusable
        state["database"] = "error"
        status = 503
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            state["cache"] = "error"
    except Exception:  # noqa: BLE001
        state["cache"] = "error"
    state["broker"] = _broker_state()
    if state["database"] == "ok":
        try:
            with transaction.atomic():
                state["beat"] = kommunen_selectors.beat_zustand()
                state["rueckstand"] = {
                    **kommunen_selectors.rueckstand(),
                    **wissen_selectors.extraktion_rueckstand(),
                }
        except DatabaseError:  # e.g. not migrated yet: say so, the web itself still answers
            state["beat"] = {"zustand": "unbekannt", "zuletzt": {}}
    probleme = _probleme(state)
    gesamt = "ok" if not probleme else "eingeschraenkt"
    if status != 200:
        gesamt = "error"
    # Only a missing database is 503: the container's health check must not restart the web
    # while Redis is away (the pages still work); monitoring alerts on "eingeschraenkt".
    return JsonResponse({"status": gesamt, "probleme": probleme, **state}, status=status)


RUECKSTAND_ZU_ALT_S = 15 * 60


def _probleme(state: dict) -> list[str]:
    """What an operator should look at although users may not feel it yet."""
    probleme = [teil for teil in ("database", "cache", "broker") if state[teil] == "error"]
    if state["broker"] != "eager" and state.get("beat", {}).get("zustand") not in (None, "ok"):
        probleme.append("beat")
    for name, wert in state.get("rueckstand", {}).items():
        if name.endswith("_aeltestes_s") and wert is not None and wert > RUECKSTAND_ZU_ALT_S:
            probleme.append(name.removesuffix("_aeltestes_s"))
    return probleme


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"


@require_GET
def rechtsgrundlagen(request):
    """The legal rule table for everyone, from kommunen.rules (the same as docs/regeln.md)."""
    regeln = [
        {
            "id": r.id,
            "wann": r.wann,
            "dann": r.dann,
            "wirkung": rules.WIRKUNG[r.wirkung],
            "grundlage": r.grundlage,
            "abhilfe": r.abhilfe,
        }
        for r in rules.REGELN
    ]
    return render(request, "portal/rechtsgrundlagen.html", {"regeln": regeln})


def fehler_400(request, exception=None):
    return render(request, "400.html", status=400)


def csrf_fehler(request, reason=""):
    """Django's CSRF failure page, in German, saying what to do. The reason stays in the log."""
    return render(request, "403_csrf.html", status=403)


def fehler_403(request, exception=None):
    return render(request, "403.html", status=403)


def fehler_404(request, exception=None):
    # A page a notification once led to: say it is no longer shared, not just "not found".
    user = getattr(request, "user", None)
    benachrichtigung = None
    if user is not None and user.is_authenticated:
        try:
            benachrichtigung = kommunen_selectors.benachrichtigung_zum_link(
                user=user, link=request.path
            )
        except DatabaseError:
            benachrichtigung = None
    if benachrichtigung is not None:
        return render(
            request, "nicht_mehr_geteilt.html", {"benachrichtigung": benachrichtigung}, status=404
        )
    return render(request, "404.html", status=404)


# SQLSTATEs of a database that is away for a moment: connection exceptions (class 08), and a
# server shutting down, crashed or still starting (57P01-57P03).
_DATENBANK_WEG = {"57P01", "57P02", "57P03"}


def datenbank_weg(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached now (not that a query was wrong)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _DATENBANK_WEG


def fehler_500(request):
    """The error page. Rendered without the request's context: when the database is away,
    the context (user, session, counts) would fail again. That case answers 503 with a
    German page and Retry-After; the connection health check reconnects by itself."""
    if datenbank_weg(sys.exc_info()[1]):
        antwort = HttpResponse(render_to_string("503.html"), status=503)
        antwort["Retry-After"] = "30"
        return antwort
    return HttpResponse(render_to_string("500.html"), status=500)


# Pages for signed-in work, forms and the operator's admin: nothing a search engine should
# follow. What an anonymous visitor may see (public objects) stays open.
_NICHT_FUER_SUCHMASCHINEN = (
    "login",
    "logout",
    "suche",
    "dashboard",
    "healthz",
    "set_language",
    "kommunen:eingang",
    "kommunen:protokoll",
    "kommunen:benachrichtigungen",
    "admin:index",
)


# Pages under one address prefix (the password reset with its links that carry a token): the
# prefix the named pages share.
_BEREICHE_NICHT_FUER_SUCHMASCHINEN = (("passwort_vergessen", "passwort_neu_gesetzt"),)


def _gemeinsamer_pfad(*namen: str) -> str:
    praefix = os.path.commonprefix([reverse(name) for name in namen])
    return praefix[: praefix.rindex("/") + 1]


@require_GET
def robots(request):
    """robots.txt, from the URL map (so that it follows when an address changes)."""
    zeilen = ["User-agent: *"]
    for name in _NICHT_FUER_SUCHMASCHINEN:
        zeilen.append(f"Disallow: {reverse(name)}")
    for namen in _BEREICHE_NICHT_FUER_SUCHMASCHINEN:
        zeilen.append(f"Disallow: {_gemeinsamer_pfad(*namen)}")
    return HttpResponse("\n".join(zeilen) + "\n", content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def neu_anlegen(request):
    """„Neu anlegen“: Projekt and Ergebnis side by side, for the Herausgabe."""
    if not darf_anlegen(request.user):
        raise PermissionDenied(
            _("Projekte und Ergebnisse legen Herausgeberinnen und Herausgeber an.")
        )
    return render(request, "portal/neu.html")
