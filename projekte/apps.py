"""App configuration of the projects app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjekteConfig(AppConfig):
    name = "projekte"
    verbose_name = _("Projekte")

    def ready(self) -> None:
        from .signals import verbinden

        verbinden()
