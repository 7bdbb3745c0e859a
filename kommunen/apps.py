"""App configuration of the tenant and sharing core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KommunenConfig(AppConfig):
    name = "kommunen"
    verbose_name = _("Kommunen und Freigaben")

    def ready(self) -> None:
        from . import signals  # noqa: F401
