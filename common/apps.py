"""App configuration of the shared core (template filters, the search vocabulary)."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Gemeinsame Hilfen"
