"""Views of the portal: `seiten.py` the start page, health check and error pages;
`suche.py` the search over projects and results."""

from .seiten import (
    csrf_fehler,
    datenschutz,
    fehler_400,
    fehler_403,
    fehler_404,
    fehler_500,
    healthz,
    neu_anlegen,
    rechtsgrundlagen,
    robots,
    start,
)
from .suche import suche_seite

__all__ = [
    "csrf_fehler",
    "datenschutz",
    "fehler_400",
    "fehler_403",
    "fehler_404",
    "fehler_500",
    "healthz",
    "neu_anlegen",
    "rechtsgrundlagen",
    "robots",
    "start",
    "suche_seite",
]
