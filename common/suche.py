"""The search core every app shares: parse a query, match and rank it, highlight safely.

PostgreSQL full-text search over stored tsvectors (`german`), with a plain case-insensitive
match as the SQLite fallback of the demo. Text that not everyone who sees an object may read
(a result's documents) is a `Geschuetzt` part of the search: matched, ranked and quoted only
on the rows where its condition holds (see docs/decisions/0005-suchindex.md).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SUCHKONFIGURATION = "german"
MAX_LAENGE = 300


def volltext() -> bool:
    """PostgreSQL full-text search, or the SQLite fallback."""
    return connection.vendor == "postgresql"


def woerter(q: str) -> list[str]:
    return re.findall(r"\w+", q)[:20]


@dataclass(frozen=True)
class Anfrage:
    """One parsed search: the raw text, the tsquery and fresh highlight markers."""

    text: str
    start: str
    stopp: str

    @classmethod
    def aus(cls, text: str) -> Anfrage:
        # Random markers per request: text in the database cannot forge them, and they are
        # swapped for <mark> only after the whole snippet has been HTML-escaped.
        token = secrets.token_hex(6)
        return cls(text=text, start=f"wvmarkA{token}", stopp=f"wvmarkZ{token}")

    @property
    def query(self) -> SearchQuery:
        return SearchQuery(self.text, search_type="websearch", config=SUCHKONFIGURATION)

    def markiert(self, text: str | None) -> SafeString:
        """Escape everything, then turn the markers (and only them) into <mark> tags."""
        sicher = escape(text or "")
        sicher = sicher.replace(self.start, "<mark>").replace(self.stopp, "</mark>")
        return mark_safe(sicher)  # noqa: S308 - escaped above; only our own tags added

    def markiert_einfach(self, text: str | None) -> SafeString:
        """SQLite fallback: highlight the words of the query in an escaped text."""
        text = text or ""
        begriffe = [re.escape(w) for w in woerter(self.text)]
        if not begriffe:
            return escape(text)
        teile = re.split(f"({'|'.join(begriffe)})", text, flags=re.IGNORECASE)
        html = "".join(
            f"<mark>{escape(t)}</mark>" if i % 2 else str(escape(t)) for i, t in enumerate(teile)
        )
        return mark_safe(html)  # noqa: S308 - every piece escaped


@dataclass(frozen=True)
class Geschuetzt:
    """Text a row is found by only where `erlaubt` holds, e.g. a result's documents only for
    those who may download them (see docs/decisions/0005-suchindex.md).

    `vektor` is a stored tsvector of the metadata *and* the protected text, so that a query
    whose words are spread over both still matches where it may; `felder` are the protected
    text's own fields for the SQLite fallback; `erlaubt` is a condition on the row (an
    `Exists` over `sharing.visible(...)`).
    """

    vektor: str
    felder: tuple[str, ...]
    erlaubt: Q | Exists


def einfacher_treffer(felder: list[str], q: str, geschuetzt: Geschuetzt | None = None) -> Q:
    """SQLite fallback: every word of the query occurs in one of the fields (or in the
    protected fields, on the rows where that is allowed)."""
    bedingung = Q()
    for wort in woerter(q):
        eines = Q()
        for feld in felder:
            eines |= Q(**{f"{feld}__icontains": wort})
        if geschuetzt is not None and geschuetzt.felder:
            darin = Q()
            for feld in geschuetzt.felder:
                darin |= Q(**{f"{feld}__icontains": wort})
            eines |= darin & geschuetzt.erlaubt
        bedingung &= eines
    return bedingung


def treffer_rang(
    qs: QuerySet, anfrage: Anfrage, felder: list[str], geschuetzt: Geschuetzt | None = None
) -> QuerySet:
    """Filter `qs` (already visible()) to the hits of the query, annotated with `rang`.

    Without `geschuetzt` only the metadata (`suchvektor`, or `felder` on SQLite) is searched.
    With it, the protected text counts too, but only where `geschuetzt.erlaubt` holds: there
    the match and the rank come from the fuller vector.
    """
    if volltext():
        query = anfrage.query
        treffer = Q(suchvektor=query)
        rang = SearchRank(F("suchvektor"), query)
        if geschuetzt is not None:
            treffer |= Q(**{geschuetzt.vektor: query}) & geschuetzt.erlaubt
            rang = Case(
                When(
                    geschuetzt.erlaubt,
                    # A row written before its fuller vector (bulk imports) ranks by metadata.
                    then=SearchRank(Coalesce(F(geschuetzt.vektor), F("suchvektor")), query),
                ),
                default=rang,
                output_field=FloatField(),
            )
        return qs.filter(treffer).annotate(rang=rang)
    erstes = (woerter(anfrage.text) or [""])[0]
    return qs.filter(einfacher_treffer(felder, anfrage.text, geschuetzt)).annotate(
        rang=Case(
            When(titel__icontains=erstes, then=Value(1.0)),
            default=Value(0.5),
            output_field=FloatField(),
        )
    )
