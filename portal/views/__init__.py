"""Views of the portal: `seiten.py` the start page, health check and error pages;
`rechtstexte.py` Impressum, Datenschutzerklärung and Barrierefreiheit;
`suche.py` the search over projects and results."""

from .rechtstexte import barrierefreiheit, datenschutz, impressum
from .seiten import (
    csrf_fehler,
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
    "barrierefreiheit",
    "csrf_fehler",
    "datenschutz",
    "fehler_400",
    "fehler_403",
    "fehler_404",
    "fehler_500",
    "healthz",
    "impressum",
    "neu_anlegen",
    "rechtsgrundlagen",
    "robots",
    "start",
    "suche_seite",
]
