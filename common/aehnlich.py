"""Similar work: what a text being typed (a new project's or result's title and summary) has in
common with stored objects, for the suggestions shown while creating one.

A search asks for all of its words; a similarity asks for any of the text's distinctive words
and ranks by how many and how prominent the matches are. The words are read like the index
reads them (common.sprache) and matched against the same stored vectors (common.suche), so
only metadata is compared: never a document's text, which not everyone who sees an object may
read. Which rows are compared is the caller's business: always a visible() queryset.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchRank
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .sprache import ist_fuellwort, stamm
from .suche import Anfrage, einfacher_treffer, volltext
from .suchsyntax import Begriff, Suchausdruck

# Longer text is refused (title and summary of the forms together stay below it).
MAX_ZEICHEN = 2000
# The text's most distinctive words that are compared (the longest, each stem once).
MAX_WOERTER = 12
ZU_LANG = _("Der Text für den Vergleich ist zu lang (höchstens 2000 Zeichen).")

_WORT = re.compile(r"[^\W\d_]{3,60}")


class ZuLang(ValueError):
    """The text to compare is longer than MAX_ZEICHEN."""


def anfrage_aus_text(text: str) -> Anfrage | None:
    """An any-of-these-words query from free text, or None if it has no distinctive word.
    Raises ZuLang for text over MAX_ZEICHEN."""
    if len(text) > MAX_ZEICHEN:
        raise ZuLang(str(ZU_LANG))
    woerter: dict[str, str] = {}
    for wort in _WORT.findall(text):
        if ist_fuellwort(wort):
            continue
        s = stamm(wort)
        if s and s not in woerter.values():
            woerter[wort] = s
    if not woerter:
        return None
    # The longest words first: in German they are the compounds that name the subject.
    auswahl = sorted(woerter, key=lambda w: (-len(w), w))[:MAX_WOERTER]
    ausdruck = Suchausdruck(gruppen=(tuple(Begriff(woerter=(w,)) for w in auswahl),), ohne=())
    # No highlighting: the markers are never used.
    return Anfrage(text=" ".join(auswahl), ausdruck=ausdruck, start="", stopp="")


def text_bedingung(anfrage: Anfrage) -> Q:
    """Rows whose stored metadata vector (SQLite: stems) holds any of the query's words."""
    if volltext():
        return Q(suchvektor=anfrage.query)
    return einfacher_treffer("suchtext", anfrage)


def text_rang(anfrage: Anfrage | None):
    """How well the metadata matches (0 where it does not, or without a query)."""
    if anfrage is None:
        return Value(0.0, output_field=FloatField())
    if volltext():
        return Coalesce(
            SearchRank(F("suchvektor"), anfrage.query), Value(0.0), output_field=FloatField()
        )
    return Value(0.1, output_field=FloatField())
