"""Password reset by mail for local accounts: Django's views with German pages, rate limits,
and the same answer whether an address belongs to an account or not."""

import hashlib
import logging

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_zuruecksetzen
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from kommunen.backends import KommunenBackend

from ..forms import PasswortVergessenForm

log = logging.getLogger(__name__)

_VIERTELSTUNDE = 15 * 60
_STUNDE = 60 * 60


def _zaehlen(schluessel: str, dauer: int) -> int:
    """Count one more request under `schluessel` in the shared cache, for `dauer` seconds
    from the first one."""
    cache.add(schluessel, 0, dauer)
    try:
        return cache.incr(schluessel)
    except ValueError:  # expired between add and incr
        cache.set(schluessel, 1, dauer)
        return 1


@method_decorator(never_cache, name="dispatch")
class PasswortVergessen(auth_views.PasswordResetView):
    form_class = PasswortVergessenForm
    template_name = "registration/passwort_vergessen.html"
    success_url = reverse_lazy("passwort_vergessen_gesendet")

    def post(self, request, *args, **kwargs):
        # Per client address, like the login lockout (django-axes reads it the same way behind
        # the trusted proxies). Generous: a city hall's staff share one address.
        client = get_client_ip_address(request) or "unbekannt"
        if _zaehlen(f"passwort:client:{client}", _VIERTELSTUNDE) > (
            settings.PASSWORT_ANFRAGEN_JE_CLIENT
        ):
            log.warning("Passwort-Links: zu viele Anfragen von %s", client)
            return render(request, "registration/passwort_zu_viele.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Per address, whether or not an account has it: a mailbox is not flooded, and the
        # answer stays the same (the page never says whether a mail went out).
        adresse = form.cleaned_data["email"].strip().lower()
        schluessel = "passwort:adresse:" + hashlib.sha256(adresse.encode()).hexdigest()
        if _zaehlen(schluessel, _STUNDE) > settings.PASSWORT_MAILS_JE_ADRESSE:
            log.warning("Passwort-Links: Höchstzahl je Adresse erreicht, keine Mail")
            return super(auth_views.PasswordResetView, self).form_valid(form)
        # The form queues the mail (portal.services.passwort_link_senden renders it).
        return super().form_valid(form)


@method_decorator(never_cache, name="dispatch")
class PasswortVergessenGesendet(auth_views.PasswordResetDoneView):
    template_name = "registration/passwort_vergessen_gesendet.html"

    def get_context_data(self, **kwargs):
        stunden = settings.PASSWORD_RESET_TIMEOUT // _STUNDE
        return {**super().get_context_data(**kwargs), "stunden": stunden}


class PasswortNeu(auth_views.PasswordResetConfirmView):
    template_name = "registration/passwort_neu.html"
    success_url = reverse_lazy("passwort_neu_gesetzt")

    def form_valid(self, form):
        antwort = super().form_valid(form)
        # Whoever set it read the account's mail: the login lockout for this account from this
        # client ends, so "Jetzt anmelden" works. Other addresses keep their count.
        axes_zuruecksetzen(
            ip=get_client_ip_address(self.request), username=form.user.get_username()
        )
        return antwort

    def get_user(self, uidb64):
        # A link sent before the account or its Kommune was deactivated opens nothing.
        user = super().get_user(uidb64)
        if user is not None and not KommunenBackend().user_can_authenticate(user):
            return None
        return user


@method_decorator(never_cache, name="dispatch")
class PasswortNeuGesetzt(auth_views.PasswordResetCompleteView):
    template_name = "registration/passwort_neu_gesetzt.html"
