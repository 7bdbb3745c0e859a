"""The search core every app shares: parse a query, match and rank it, highlight safely.

A query is parsed once (common/suchsyntax.py: all words, `oder`/`OR`, `-wort`, „Phrase“) and
its words analysed like the index (common/sprache.py: stems, ä/ae/a alike). PostgreSQL
matches a `simple` tsquery of stems against stored tsvectors of stems; a stem of four letters
or more also finds the compounds it ends („Säule“ → „Ladesäule“, from the vocabulary in
common.models.Suchwort) and, from five letters, those it begins. SQLite (the demo) matches the
same stems in stored text. Text that not everyone who sees an object may read (a result's
documents) is a `Geschuetzt` part of the search: matched, ranked and quoted only on the rows
where its condition holds (docs/decisions/0005-suchindex.md, 0013-deutsche-suche.md).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, connections
from django.db.models import Case, Exists, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from .sprache import analysiert, gefaltet, gefaltet_stammnah, ist_fuellwort, stamm
from .suchsyntax import MAX_LAENGE, Begriff, Suchausdruck, Suchfehler, zerlegen

# Excerpts are cut by PostgreSQL's own German parser and stemmer (close to ours).
SUCHKONFIGURATION = "german"
# Stored vectors and queries hold our stems as they are.
INDEXKONFIGURATION = "simple"
MIN_ZUSAMMENGESETZT = 4  # a stem this long also finds the compounds it ends
MIN_PRAEFIX = 5  # a stem this long also finds the words it begins
MAX_ERWEITERUNGEN = 40
FRISCH = dt.timedelta(days=365)
FRISCH_BONUS = 1.1
# Each Kommune that declared reuse of a project adds 5 %, at most 20 % (with the year's bonus
# at most 32 %, less than the gap between the tiers below: 0.61 / 0.40).
NACHNUTZUNG_BONUS = 0.05
NACHNUTZUNG_HOECHSTENS = 4
# Tiers of the stored vector, each with an expression index (PostgreSQL): the title's words
# (weight A), then title and summary with Kommune, Themen, Initiativen and Art (A, B). ts_rank
# weighs A 1.0, B 0.4, C 0.2, D 0.1: for one word, a hit in a tier ranks above every hit
# outside it (one title hit 0.61, any number of summary hits at most 0.40, and the year's
# bonus of 10 % does not close the gap). When a tier holds a whole page of a frequent word's
# hits, only the tier is ranked. For several words, or a word with the compounds it ends,
# the rank adds up over the words, and a hit outside the tier that has many of them can rank
# above one inside it: there the tier is the best candidates, not the exact order.
STUFEN = {"titel": "{a}", "kopf": "{a,b}"}

__all__ = [
    "MAX_LAENGE",
    "STUFEN",
    "Anfrage",
    "Geschuetzt",
    "Suchfehler",
    "in_stufe",
    "stufen_aliase",
    "treffer_rang",
    "volltext",
]


def volltext() -> bool:
    """PostgreSQL full-text search, or the SQLite fallback."""
    return connection.vendor == "postgresql"


def vektor(*teile: tuple[str, str]) -> SearchVector:
    """The stored vector of texts with their weights ("A" title … "D" documents)."""
    ausdruck = None
    for text, gewicht in teile:
        v = SearchVector(Value(analysiert(text)), config=INDEXKONFIGURATION, weight=gewicht)
        ausdruck = v if ausdruck is None else ausdruck + v
    return ausdruck


def suchtext(*texte: str) -> str:
    """The stems of texts as the SQLite fallback stores them: " a b c " (spaces around)."""
    staemme = " ".join(filter(None, (analysiert(t) for t in texte)))
    return f" {staemme} " if staemme else ""


def _lexem(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def _staemme(b: Begriff) -> list[str]:
    """The stems a term searches for; a single stop word searches nothing (a phrase or a
    hyphenated word keeps them: „Einer für Alle“)."""
    if len(b.woerter) == 1 and ist_fuellwort(b.woerter[0]):
        return []
    return [s for s in (stamm(w) for w in b.woerter) if s]


def _praefix(b: Begriff, s: str) -> str | None:
    """The folded whole word as a prefix, where the stemmer cut the word much shorter."""
    if len(b.woerter) != 1:
        return None
    p = gefaltet_stammnah(b.woerter[0])
    return p if len(p) >= MIN_PRAEFIX and p != s and not s.startswith(p) else None


@dataclass(frozen=True)
class Anfrage:
    """One parsed search: the raw text, its expression, and fresh highlight markers."""

    text: str
    ausdruck: Suchausdruck
    start: str
    stopp: str
    erweiterungen: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def aus(cls, text: str) -> Anfrage:
        """Parse `text`; raises Suchfehler with a German message for what cannot be searched."""
        ausdruck = zerlegen(text)
        woerter = [w for b in ausdruck.begriffe() for w in b.woerter]
        if not any(_staemme(b) for b in ausdruck.begriffe()) and len(woerter) > 1:
            # Only filler words, but several („Einer für Alle“, „Wir für uns“): the name of
            # something, searched as the phrase it is.
            ausdruck = Suchausdruck(
                gruppen=((Begriff(woerter=tuple(woerter), phrase=True),),), ohne=ausdruck.ohne
            )
        if not any(_staemme(b) for b in ausdruck.begriffe()):
            raise Suchfehler(
                gettext_noop(
                    "Die Suche enthält nur Füllwörter wie „und“ oder „der“. Bitte geben Sie "
                    "ein Wort ein, das vorkommen soll."
                )
            )
        # Random markers per request: text in the database cannot forge them, and they are
        # swapped for <mark> only after the whole snippet has been HTML-escaped.
        token = secrets.token_hex(6)
        return cls(
            text=text,
            ausdruck=ausdruck,
            start=f"wvmarkA{token}",
            stopp=f"wvmarkZ{token}",
            erweiterungen=_erweiterungen(ausdruck) if volltext() else {},
        )

    def _term(self, b: Begriff) -> str | None:
        staemme = _staemme(b)
        if not staemme:
            return None
        if len(staemme) > 1:
            return "(" + " <-> ".join(_lexem(s) for s in staemme) + ")"
        (s,) = staemme
        formen = [_lexem(s) + (":*" if len(s) >= MIN_PRAEFIX else "")]
        if p := _praefix(b, s):
            formen.append(_lexem(p) + ":*")
        formen += [_lexem(e) for e in self.erweiterungen.get(s, ())]
        return "(" + " | ".join(formen) + ")"

    def tsquery(self) -> str:
        teile = []
        for gruppe in self.ausdruck.gruppen:
            terme = [t for t in map(self._term, gruppe) if t]
            if terme:
                teile.append("(" + " | ".join(terme) + ")")
        teile += [f"!{t}" for t in map(self._term, self.ausdruck.ohne) if t]
        return " & ".join(teile)

    @property
    def query(self) -> SearchQuery:
        return SearchQuery(self.tsquery(), search_type="raw", config=INDEXKONFIGURATION)

    def markiert(self, text: str | None) -> SafeString:
        """Escape everything, then turn the markers (and only them) into <mark> tags."""
        sicher = escape(text or "")
        sicher = sicher.replace(self.start, "<mark>").replace(self.stopp, "</mark>")
        return mark_safe(sicher)  # noqa: S308 - escaped above; only our own tags added

    def markiert_einfach(self, text: str | None) -> SafeString:
        """SQLite fallback: highlight the words whose stem is one of the query's."""
        gesucht = {s for b in self.ausdruck.begriffe() for s in _staemme(b)}
        teile = re.split(r"([^\W_]+)", text or "")
        html = "".join(
            f"<mark>{escape(t)}</mark>" if i % 2 and _passt(stamm(t), gesucht) else str(escape(t))
            for i, t in enumerate(teile)
        )
        return mark_safe(html)  # noqa: S308 - every piece escaped


def _passt(s: str, gesucht: set[str]) -> bool:
    if not s:
        return False
    return any(
        s == g
        or (len(g) >= MIN_PRAEFIX and s.startswith(g))
        or (len(g) >= MIN_ZUSAMMENGESETZT and s.endswith(g))
        for g in gesucht
    )


def _erweiterungen(ausdruck: Suchausdruck) -> dict[str, tuple[str, ...]]:
    """Stems of the vocabulary that end in a query stem: the compounds it is the last part
    of („saul“ → „ladesaul“). One query, over the trigram index of the vocabulary."""
    from .models import Suchwort

    staemme = {
        s
        for b in (*ausdruck.begriffe(), *ausdruck.ohne)
        if len(b.woerter) == 1
        for s in _staemme(b)
        if len(s) >= MIN_ZUSAMMENGESETZT
    }
    if not staemme:
        return {}
    bedingung = Q()
    for s in staemme:
        bedingung |= Q(stamm__endswith=s)
    gefunden: dict[str, set[str]] = {s: set() for s in staemme}
    for kandidat in (
        Suchwort.objects.filter(bedingung)
        .values_list("stamm", flat=True)
        .distinct()[: MAX_ERWEITERUNGEN * len(staemme)]
    ):
        for s in staemme:
            if kandidat != s and kandidat.endswith(s) and len(gefunden[s]) < MAX_ERWEITERUNGEN:
                gefunden[s].add(kandidat)
    return {s: tuple(sorted(e)) for s, e in gefunden.items() if e}


def ersatzwoerter(staemme: dict[str, str]) -> dict[str, str]:
    """For the words of `staemme` (word → its stem) whose stem the vocabulary does not hold:
    the vocabulary's word most like each (a typo's likely meaning), where there is one.

    PostgreSQL: one query, trigram similarity over the vocabulary's trigram index for each
    unknown word; SQLite: difflib."""
    from .models import Suchwort

    staemme = {w: s for w, s in staemme.items() if s}
    if not staemme:
        return {}
    qs = Suchwort.objects.all()
    if volltext():
        tabelle = connection.ops.quote_name(Suchwort._meta.db_table)
        woerter = list(staemme)
        with connections[qs.db].cursor() as c:
            c.execute(
                # The same order as before: most similar first, then alphabetical; `%%` is
                # pg_trgm's similarity operator (its threshold, as trigram_similar).
                f"SELECT w.wort, (SELECT s.wort FROM {tabelle} s WHERE s.wort %% w.g "  # noqa: S608 - our SQL
                "AND s.wort <> w.g ORDER BY similarity(s.wort, w.g) DESC, s.wort LIMIT 1) "
                "FROM unnest(%s::text[], %s::text[], %s::text[]) AS w(wort, stamm, g) "
                f"WHERE NOT EXISTS (SELECT 1 FROM {tabelle} b WHERE b.stamm = w.stamm)",
                [woerter, [staemme[w] for w in woerter], [gefaltet(w) for w in woerter]],
            )
            return {wort: ersatz for wort, ersatz in c.fetchall() if ersatz}
    import difflib

    bekannt = set(qs.filter(stamm__in=set(staemme.values())).values_list("stamm", flat=True))
    unbekannt = [w for w, s in staemme.items() if s not in bekannt]
    if not unbekannt:
        return {}
    kandidaten = list(qs.values_list("wort", flat=True)[:50_000])
    ersatz = {}
    for wort in unbekannt:
        g = gefaltet(wort)
        treffer = difflib.get_close_matches(g, [k for k in kandidaten if k != g], n=1, cutoff=0.75)
        if treffer:
            ersatz[wort] = treffer[0]
    return ersatz


def vokabular_merken(*texte: str) -> None:
    """Add the words of `texte` to the vocabulary (suggestions, compound look-up)."""
    from .models import Suchwort

    neu: dict[str, str] = {}
    for text in texte:
        for w in re.findall(r"[^\W\d_]{3,60}", text or ""):
            g = gefaltet(w)
            if g not in neu:
                s = stamm(w)
                if s:
                    neu[g] = s
    if neu:
        Suchwort.objects.bulk_create(
            [Suchwort(wort=w, stamm=s) for w, s in neu.items()],
            ignore_conflicts=True,
            batch_size=2000,
        )


@dataclass(frozen=True)
class Geschuetzt:
    """Text a row is found by only where `erlaubt` holds, e.g. a result's documents only for
    those who may download them (see docs/decisions/0005-suchindex.md).

    `vektor` is a stored tsvector of the metadata *and* the protected text, so that a query
    whose words are spread over both still matches where it may; `feld` holds the protected
    text's stems for the SQLite fallback; `erlaubt` is a condition on the row (an `Exists`
    over `sharing.visible(...)`); `vorfilter` an indexed condition that `erlaubt` implies
    (`sharing.vorfilter(user, "download")`), which narrows the rows before `erlaubt` decides.
    """

    vektor: str
    feld: str
    erlaubt: Q | Exists
    vorfilter: Q = field(default_factory=Q)


def _sqlite_term(feld: str, b: Begriff) -> Q | None:
    staemme = _staemme(b)
    if not staemme:
        return None
    folge = " ".join(staemme)
    treffer = Q(**{f"{feld}__contains": f" {folge} "})
    if len(staemme) == 1 and len(folge) >= MIN_PRAEFIX:
        treffer |= Q(**{f"{feld}__contains": f" {folge}"})
    if len(staemme) == 1 and len(folge) >= MIN_ZUSAMMENGESETZT:
        treffer |= Q(**{f"{feld}__contains": f"{folge} "})
    if len(staemme) == 1 and (p := _praefix(b, folge)):
        treffer |= Q(**{f"{feld}__contains": f" {p}"})
    return treffer


def einfacher_treffer(feld: str, anfrage: Anfrage, geschuetzt: Geschuetzt | None = None) -> Q:
    """SQLite fallback: the expression over the stored stems (`feld`), and over the protected
    stems on the rows where that is allowed."""

    def term(b: Begriff) -> Q | None:
        t = _sqlite_term(feld, b)
        if t is not None and geschuetzt is not None:
            darin = _sqlite_term(geschuetzt.feld, b)
            t |= darin & geschuetzt.erlaubt
        return t

    bedingung = Q()
    for gruppe in anfrage.ausdruck.gruppen:
        eine = Q()
        for t in filter(None, map(term, gruppe)):
            eine |= t
        bedingung &= eine
    for t in filter(None, map(term, anfrage.ausdruck.ohne)):
        bedingung &= ~t
    return bedingung


def _nachnutzung_bonus():
    return 1.0 + NACHNUTZUNG_BONUS * Least(
        F("nachnutzende_kommunen"), Value(NACHNUTZUNG_HOECHSTENS), output_field=FloatField()
    )


class _Gefiltert(Func):
    """ts_filter(vector, weights): the vector's lexemes of those weights only."""

    function = "ts_filter"
    output_field = SearchVectorField()


def in_stufe(stufe: str, anfrage: Anfrage) -> Q:
    """A condition for an `alias(**stufen_aliase())` queryset: the query matches the tier."""
    return Q(**{f"_stufe_{stufe}": anfrage.query})


def stufen_aliase() -> dict:
    return {f"_stufe_{s}": _Gefiltert(F("suchvektor"), Value(w)) for s, w in STUFEN.items()}


def treffer_rang(
    qs: QuerySet,
    anfrage: Anfrage,
    geschuetzt: Geschuetzt | None = None,
    vorfilter: Q | None = None,
    stufe: str | None = None,
    nachnutzung: bool = False,
) -> QuerySet:
    """Filter `qs` (already visible()) to the hits of the query, annotated with `rang`.

    Without `geschuetzt` only the metadata (`suchvektor`, or `suchtext` on SQLite) is
    searched. With it, the protected text counts too, but only where `geschuetzt.erlaubt`
    holds: there the match and the rank come from the fuller vector. `vorfilter`
    (`sharing.vorfilter(user)`) is an indexed condition that visible() implies. With `stufe`
    (PostgreSQL), only the hits in that tier of the vector (STUFEN). With `nachnutzung`, the
    rows' `nachnutzende_kommunen` raise the rank (projects).
    """
    if volltext():
        query = anfrage.query
        # First the rows an index pair names: a vector matches and the stored group list
        # shares a group with the user (two GIN indexes, intersected before any row is
        # read), then the exact rules: visible() on `qs`, and the fuller vector only where
        # the user may download.
        if stufe is not None:
            # A hit in a tier is a hit in the metadata: the documents' rule has no part in
            # it. The whole vector is matched too where the query excludes words; without
            # them a match in the tier's part of the vector is one in the whole vector.
            ganz = Q(suchvektor=query) if anfrage.ausdruck.ohne else Q()
            qs = qs.alias(**stufen_aliase()).filter(
                in_stufe(stufe, anfrage), ganz, vorfilter or Q()
            )
        elif geschuetzt is not None:
            kandidaten = Q(suchvektor=query) & (vorfilter or Q())
            kandidaten |= Q(**{geschuetzt.vektor: query}) & geschuetzt.vorfilter
            treffer = Q(suchvektor=query) | Q(**{geschuetzt.vektor: query}) & geschuetzt.erlaubt
            qs = qs.filter(kandidaten).filter(treffer)
        else:
            qs = qs.filter(Q(suchvektor=query) & (vorfilter or Q()))
        # The rank reads the metadata vector only (weights A-C): a hit in the documents alone
        # ranks after every hit in title, summary or description, and the large vector with
        # the documents' text is never read for ranking. Work of the last year, and work
        # other Kommunen reuse, ranks a little higher.
        rang = (
            SearchRank(F("suchvektor"), query)
            * Case(
                When(erstellt_am__gte=timezone.now() - FRISCH, then=Value(FRISCH_BONUS)),
                default=Value(1.0),
                output_field=FloatField(),
            )
            * (_nachnutzung_bonus() if nachnutzung else Value(1.0))
        )
        return qs.annotate(rang=rang)
    erstes = next(iter(_staemme(anfrage.ausdruck.begriffe()[0])), "")
    return qs.filter(einfacher_treffer("suchtext", anfrage, geschuetzt)).annotate(
        rang=Case(
            When(suchtext__startswith=f" {erstes}", then=Value(1.0)),
            default=Value(0.5),
            output_field=FloatField(),
        )
    )
