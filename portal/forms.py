"""Forms that belong to no app: the login form with a generic German error."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class AnmeldeForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."),
        "inactive": _("Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."),
    }
