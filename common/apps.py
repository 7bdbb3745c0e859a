"""App configuration of the helper package (template filters; no models)."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Gemeinsame Hilfen"
