"""Forms that belong to no app: login with a generic German error, the password reset."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.aufgaben import einreihen
from kommunen.backends import KommunenBackend


class AnmeldeForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."),
        "inactive": _("Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."),
    }


class PasswortVergessenForm(PasswordResetForm):
    """Asks for the address a reset link goes to. Only accounts that may sign in get one: not
    deactivated users, not users of a deactivated Kommune, not accounts without a local
    password. The page says the same whatever the address (no account enumeration)."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        backend = KommunenBackend()
        return (user for user in super().get_users(email) if backend.user_can_authenticate(user))

    def save(self, *, request, use_https: bool = False, **_django):
        """Queue the mail instead of sending it in the request: the answer takes as long for
        an address without an account (no timing difference to enumerate accounts by). While
        the broker is away the mail goes out at once, as Django would send it."""
        from . import services, tasks

        domain = get_current_site(request).domain
        sprache = translation.get_language()
        for user in self.get_users(self.cleaned_data["email"]):
            if not einreihen(tasks.passwort_link_senden, user.pk, domain, use_https, sprache):
                services.passwort_link_senden(
                    user_id=user.pk, domain=domain, use_https=use_https, sprache=sprache
                )
