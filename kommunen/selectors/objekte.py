"""The shareable models, found without importing the apps that define them."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from ..models import (
    Freigebbar,
)


@cache
def freigebbare_modelle() -> tuple[type[Freigebbar], ...]:
    """Every concrete model that inherits Freigebbar (Projekt, Ergebnis, ...), stable order."""
    return tuple(
        sorted(
            (
                m
                for m in apps.get_models()
                if issubclass(m, Freigebbar) and not m._meta.abstract and not m._meta.proxy
            ),
            key=lambda m: m._meta.label,
        )
    )


def freigebbare_typen() -> list[tuple[str, str, ContentType]]:
    """(model name, verbose name, content type) of each shareable model, for filters."""
    cts = ContentType.objects.get_for_models(*freigebbare_modelle())
    return [(m._meta.model_name, str(m._meta.verbose_name), cts[m]) for m in freigebbare_modelle()]
