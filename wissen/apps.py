"""App configuration of the results app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WissenConfig(AppConfig):
    name = "wissen"
    verbose_name = _("Ergebnisse")
