"""Forms that belong to no app: login with a generic German error, the password reset."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

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
