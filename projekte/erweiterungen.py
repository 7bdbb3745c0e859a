"""Where apps above projekte add to its pages without projekte knowing them.

An app registers, in its AppConfig.ready(), a part of the project page (a template and a
function that builds its context from the user and the project) or a link next to "Neues
Projekt". projekte renders what is registered; it never imports or links an app above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Seitenteil:
    template: str
    kontext: Callable[..., dict]


@dataclass(frozen=True)
class Anlegen:
    hinweis: str
    text: str
    url_name: str


_SEITENTEILE: list[Seitenteil] = []
_ANLEGEN: list[Anlegen] = []


def seitenteil_registrieren(*, template: str, kontext: Callable[..., dict]) -> None:
    """Add a part to the project page: `kontext(user=..., projekt=...)` gives its context."""
    teil = Seitenteil(template=template, kontext=kontext)
    if teil not in _SEITENTEILE:
        _SEITENTEILE.append(teil)


def anlegen_registrieren(*, hinweis: str, text: str, url_name: str) -> None:
    """Offer creating something else next to the new-project form."""
    eintrag = Anlegen(hinweis=hinweis, text=text, url_name=url_name)
    if eintrag not in _ANLEGEN:
        _ANLEGEN.append(eintrag)


def seitenteile(*, user, projekt) -> list[dict]:
    """The registered parts of a project page, each as {"template", "kontext"}."""
    return [
        {"template": t.template, "kontext": t.kontext(user=user, projekt=projekt)}
        for t in _SEITENTEILE
    ]


def anlegen_links() -> list[dict]:
    return [{"hinweis": a.hinweis, "text": a.text, "url": reverse(a.url_name)} for a in _ANLEGEN]
