"""The shareable models, found without importing the apps that define them, and what still
points at one of them before it is deleted."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from .. import sharing
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


def loesch_hindernisse(objekt, *, ausser: Iterable[str] = ()) -> list[str]:
    """What still points at `objekt` and would be lost or left dangling by its deletion, as
    readable names (e.g. "Ergebnisse"). Its permission rows do not count (sharing drops them),
    nor the relations named in `ausser` (accessor names), which the caller removes itself."""
    model = sharing.perm_model(type(objekt))
    ausser = set(ausser)
    hindernisse = []
    for rel in type(objekt)._meta.related_objects:
        if rel.related_model is model or rel.get_accessor_name() in ausser:
            continue
        if rel.related_model._base_manager.filter(**{rel.field.name: objekt.pk}).exists():
            hindernisse.append(str(rel.related_model._meta.verbose_name_plural))
    return hindernisse
