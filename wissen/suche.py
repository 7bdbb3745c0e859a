"""Full-text search of results, and the combined search over projects and results.

A result has two stored vectors: `suchvektor` (title, summary, text) and
`suchvektor_mit_dokumenten` (the same plus its documents' extracted text). Whoever changes one
of them, or a document's text (extraction), calls `ergebnis_suchvektor_aktualisieren(pk)`
after the save (see docs/decisions/0005-suchindex.md). Every hit comes from a visible()
queryset, and a document's text is matched, ranked and quoted only on the rows the user may
download (`selectors.darf_laden`): whoever may only see a result searches its metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline
from django.core.paginator import Page
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Left

from common.seiten import SEITENGROESSE, GedeckelterPaginator
from common.sprache import stamm
from common.suche import (
    STUFEN,
    SUCHKONFIGURATION,
    Anfrage,
    Geschuetzt,
    Suchfehler,
    ersatzwoerter,
    in_stufe,
    stufen_aliase,
    suchtext,
    treffer_rang,
    vektor,
    vokabular_merken,
    volltext,
)
from kommunen import sharing, sichtlisten
from projekte import selectors as projekte_selectors
from projekte.suche import projekt_treffer

from . import selectors
from .models import Dokument, Ergebnis

# ts_headline reads the whole text (about 16 ms per 100,000 characters): the snippet comes
# from the first 100,000, so a page of 20 long documents stays well under a second.
HEADLINE_MAX_ZEICHEN = 100_000


def ergebnis_suchvektor_aktualisieren(ergebnis_id: int) -> None:
    """Recompute the stored search index of one result: title (A); summary, Kommune, Art,
    authors, its Themen and Initiativen and those of its project (B); description (C); and, in the
    fuller vector only, its documents' text (D)."""
    e = Ergebnis.objects.select_related("kommune", "projekt").filter(pk=ergebnis_id).first()
    if e is None:
        return
    zuordnung = [
        e.kommune.name,
        str(e.get_art_display()),
        e.autoren,
        *e.themen.values_list("name", flat=True),
        *e.initiativen.values_list("name", flat=True),
    ]
    if e.projekt is not None:
        zuordnung += [
            *e.projekt.themen.values_list("name", flat=True),
            *e.projekt.initiativen.values_list("name", flat=True),
        ]
    b = " ".join([e.zusammenfassung, *zuordnung])
    dokumenttext = " ".join(
        Dokument.objects.filter(ergebnis_id=ergebnis_id)
        .order_by("pk")
        .values_list("text", flat=True)
    )
    if volltext():
        metadaten = vektor((e.titel, "A"), (b, "B"), (e.text, "C"))
        Ergebnis.objects.filter(pk=ergebnis_id).update(
            suchvektor=metadaten,
            suchvektor_mit_dokumenten=metadaten + vektor((dokumenttext, "D")),
        )
    else:
        Ergebnis.objects.filter(pk=ergebnis_id).update(
            suchtext=suchtext(e.titel, b, e.text), suchtext_dokumente=suchtext(dokumenttext)
        )
    vokabular_merken(e.titel, b, e.text, dokumenttext)
    # What the search counted per group set is out of date (zaehlen()).
    sharing.objekt_geaendert(e, frisch=True)  # read at the top of this function


def _dokumente(user) -> Geschuetzt:
    """The documents' text: searched only on the results the user may download."""
    return Geschuetzt(
        vektor="suchvektor_mit_dokumenten",
        feld="suchtext_dokumente",
        erlaubt=selectors.darf_laden(user=user),
        vorfilter=sharing.vorfilter(user, "download"),
    )


def ergebnis_treffer(
    qs: QuerySet[Ergebnis], anfrage: Anfrage, *, user, stufe: str | None = None
) -> QuerySet[Ergebnis]:
    return treffer_rang(
        qs, anfrage, _dokumente(user), vorfilter=sharing.vorfilter(user), stufe=stufe
    )


# --- the combined search ----------------------------------------------------------------------

TYPEN = ("alle", "projekte", "ergebnisse")
# More hits than this are not counted exactly (the page says "Mehr als …").
TREFFER_DECKEL = 1000
ZEILE = ("typ", "id", "rang", "zeit", "titel", "kname")


def _teile(
    *, user, anfrage: Anfrage, filter: dict, typ: str, stufe: str | None = None
) -> list[tuple[str, QuerySet]]:
    """The visible hits of each kind, unordered. Status applies to projects only and Art to
    results only: choosing one leaves out the other kind."""
    teile = []
    if typ in ("alle", "projekte") and "art" not in filter:
        p = projekte_selectors.projekte_filtern(
            projekte_selectors.projekte_sichtbar(user=user), filter
        )
        teile.append(("projekt", projekt_treffer(p, anfrage, user=user, stufe=stufe)))
    if typ in ("alle", "ergebnisse") and "status" not in filter:
        e = selectors.ergebnisse_filtern(
            selectors.ergebnisse_sichtbar(user=user), filter, user=user
        )
        teile.append(("ergebnis", ergebnis_treffer(e, anfrage, user=user, stufe=stufe)))
    return [(art, qs.order_by()) for art, qs in teile]


def _vereinigt(teile: list[QuerySet]) -> QuerySet:
    """One statement: the parts as a UNION ALL (or the one part)."""
    return teile[0].union(*teile[1:], all=True) if len(teile) > 1 else teile[0]


def treffer(
    *, user, anfrage: Anfrage, filter: dict, typ: str = "alle", stufe: str | None = None
) -> QuerySet:
    """Rows (typ, id, rang, zeit, titel, kname) of the visible hits, ranked or sorted.

    One SQL statement (a UNION of both kinds), so counting and paging happen in the
    database. With `stufe` only the hits in that tier (common.suche.STUFEN).
    """
    sortierung = filter.get("sortierung")
    # The Kommune's name only where it orders the rows: a join for every hit otherwise.
    kname = F("kommune__name") if sortierung == "kommune" else Value("", CharField())
    teile = [
        qs.annotate(typ=Value(art), zeit=F("erstellt_am"), kname=kname).values(*ZEILE)
        for art, qs in _teile(**_args(user, anfrage, filter, typ), stufe=stufe)
    ]
    if not teile:
        return projekte_selectors.projekte_sichtbar(user=user).none().values("id")
    qs = _vereinigt(teile)
    if sortierung == "titel":
        return qs.order_by("titel", "typ", "id")
    if sortierung == "kommune":
        return qs.order_by("kname", "-zeit", "typ", "-id")
    if sortierung == "neu":
        return qs.order_by("-zeit", "typ", "-id")
    return qs.order_by("-rang", "-zeit", "typ", "-id")


def _args(user, anfrage, filter, typ) -> dict:
    return {"user": user, "anfrage": anfrage, "filter": filter, "typ": typ}


@dataclass(frozen=True)
class Zaehlung:
    """The visible hits, counted up to TREFFER_DECKEL + 1, and how many of those counted lie
    in each tier (common.suche.STUFEN; PostgreSQL only)."""

    anzahl: int
    stufen: dict[str, int] = field(default_factory=dict)

    def stufe_fuer(self, ende: int, sortierung: str | None) -> str | None:
        """The narrowest tier that holds the hits up to `ende` of a relevance-ranked list:
        ranking it alone gives the same page as ranking every hit (a hit in a tier ranks
        above every hit outside it). None: rank them all."""
        if sortierung not in (None, "", "relevanz"):
            return None
        for stufe in STUFEN:
            if self.stufen.get(stufe, 0) >= ende:
                return stufe
        return None


def zaehlen(*, user, anfrage: Anfrage, filter: dict, typ: str = "alle") -> Zaehlung:
    """The hits up to the cap, and on PostgreSQL the tiers' shares of them: one query, kept
    per group set, query and filter like the lists (kommunen.sichtlisten). Nothing else
    changes them: every change of rights, memberships, objects or a search index raises the
    generation. The rows of a page are always read anew through visible()."""
    anzahl, stufen = sichtlisten.gemerkt(
        user,
        "suche-zaehlung",
        lambda: _zaehlen(user=user, anfrage=anfrage, filter=filter, typ=typ),
        anfrage.text,
        sichtlisten.filter_schluessel(filter),
        typ,
    )
    return Zaehlung(anzahl, stufen)


def _zaehlen(*, user, anfrage: Anfrage, filter: dict, typ: str) -> tuple[int, dict[str, int]]:
    teile = _teile(**_args(user, anfrage, filter, typ))
    if not teile:
        return 0, {}
    if not volltext():
        qs = _vereinigt([t.values("id") for _art, t in teile])
        return qs[: TREFFER_DECKEL + 1].count(), {}
    spalten = {
        f"in_{stufe}": Case(When(in_stufe(stufe, anfrage), then=Value(1)), default=Value(0))
        for stufe in STUFEN
    }
    qs = _vereinigt(
        [t.alias(**stufen_aliase()).annotate(**spalten).values(*spalten) for _art, t in teile]
    )
    sql, params = qs[: TREFFER_DECKEL + 1].query.sql_with_params()
    summen = ", ".join(f"coalesce(sum({s}), 0)" for s in spalten)
    # The database the router chose for the hits.
    with connections[qs.db].cursor() as c:
        c.execute(f"SELECT count(*), {summen} FROM ({sql}) AS t", params)  # noqa: S608 - our SQL
        anzahl, *je_stufe = c.fetchone()
    return anzahl, dict(zip(STUFEN, je_stufe, strict=True))


def vorschlag(*, user, anfrage: Anfrage, filter: dict, typ: str) -> tuple[Anfrage, Zaehlung] | None:
    """„Meinten Sie …?“ for a query that found nothing: each word whose stem the vocabulary
    does not hold is replaced by the most similar word it holds. The vocabulary has words
    of every Kommune's texts, so the suggestion is offered only if searching it finds
    something this user may see (its count comes along); otherwise it says nothing."""
    woerter = [w for b in anfrage.ausdruck.begriffe() for w in b.woerter]
    ersetzungen = ersatzwoerter({w: stamm(w) for w in woerter})
    if not ersetzungen:
        return None
    text = anfrage.text
    for wort, ersatz in ersetzungen.items():
        text = re.sub(rf"(?<![^\W_]){re.escape(wort)}(?![^\W_])", ersatz, text)
    try:
        neu = Anfrage.aus(text)
    except Suchfehler:
        return None
    zaehlung = zaehlen(user=user, anfrage=neu, filter=filter, typ=typ)
    if not zaehlung.anzahl:
        return None
    return neu, zaehlung


@dataclass
class Suchseite:
    """What the search page shows: the query searched (the suggestion's, if it replaced what
    was typed), the page of rows, and whether it is a suggestion."""

    anfrage: Anfrage
    page: Page
    vorschlag: bool = False


def suchseite(*, user, anfrage: Anfrage, filter: dict, typ: str, seite) -> Suchseite:
    """Count (one query), then one page of rows (a second): ranking only the tier that holds
    the page where one does; for a query that finds nothing, the suggestion's hits."""
    zaehlung = zaehlen(**_args(user, anfrage, filter, typ))
    ersetzt = False
    if not zaehlung.anzahl:
        gefunden = vorschlag(**_args(user, anfrage, filter, typ))
        if gefunden is not None:
            (anfrage, zaehlung), ersetzt = gefunden, True
    paginator = GedeckelterPaginator(
        None, SEITENGROESSE, deckel=TREFFER_DECKEL, gezaehlt=zaehlung.anzahl
    )
    nummer = paginator.nummer(seite)
    ende = min(nummer * SEITENGROESSE, paginator.count)
    stufe = zaehlung.stufe_fuer(ende, filter.get("sortierung")) if volltext() else None
    paginator.object_list = treffer(**_args(user, anfrage, filter, typ), stufe=stufe)
    return Suchseite(anfrage=anfrage, page=paginator.page(nummer), vorschlag=ersetzt)


@dataclass
class Treffer:
    """One hit on the page: the object, its kind and the highlighted title and snippet."""

    typ: str
    objekt: object
    titel: str
    auszug: str
    rang: float = 0.0
    extra: dict = field(default_factory=dict)


def _headline(ausdruck, anfrage: Anfrage, **optionen):
    return SearchHeadline(
        ausdruck,
        anfrage.query,
        config=SUCHKONFIGURATION,
        start_sel=anfrage.start,
        stop_sel=anfrage.stopp,
        **optionen,
    )


def _dokumenttext():
    return Coalesce(
        Subquery(
            Dokument.objects.filter(ergebnis=OuterRef("pk"))
            .order_by()
            .values("ergebnis")
            .annotate(t=StringAgg("text", delimiter=" "))
            .values("t")
        ),
        Value(""),
        output_field=TextField(),
    )


def _verkettet(*teile) -> Concat:
    return Concat(*teile, output_field=TextField())


def _hervorheben(qs, anfrage, text):
    """Annotate highlighted title and excerpt (PostgreSQL only; elsewhere unchanged)."""
    if not volltext():
        return qs
    return qs.annotate(
        titel_hl=_headline("titel", anfrage, highlight_all=True),
        auszug_hl=_headline(
            Left(text, HEADLINE_MAX_ZEICHEN),
            anfrage,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


def seite_laden(*, user, anfrage: Anfrage, zeilen: list[dict]) -> list[Treffer]:
    """The objects of one page of rows, with highlights: at most two queries."""
    p_ids = [z["id"] for z in zeilen if z["typ"] == "projekt"]
    e_ids = [z["id"] for z in zeilen if z["typ"] == "ergebnis"]
    objekte: dict[tuple[str, int], Treffer] = {}
    if p_ids:
        qs = projekte_selectors.projekte_sichtbar(user=user).filter(pk__in=p_ids)
        qs = _hervorheben(qs, anfrage, _verkettet("zusammenfassung", Value(" "), "beschreibung"))
        for p in qs:
            objekte[("projekt", p.pk)] = _treffer("projekt", p, anfrage)
    if e_ids:
        qs = selectors.ergebnisse_sichtbar(user=user).filter(pk__in=e_ids)
        if volltext():
            metadaten = ("zusammenfassung", Value(" "), "text")
            # The excerpt quotes the documents only where the user may download them; the
            # CASE never reads their text elsewhere.
            text = Case(
                When(
                    selectors.darf_laden(user=user),
                    then=_verkettet(*metadaten, Value(" "), _dokumenttext()),
                ),
                default=_verkettet(*metadaten),
                output_field=TextField(),
            )
            qs = _hervorheben(qs, anfrage, text)
        for e in qs:
            objekte[("ergebnis", e.pk)] = _treffer("ergebnis", e, anfrage)
    seite = []
    for z in zeilen:
        t = objekte.get((z["typ"], z["id"]))
        if t is not None:  # gone between count and fetch: simply not shown
            t.rang = z["rang"] or 0.0
            seite.append(t)
    return seite


def _treffer(typ: str, objekt, anfrage: Anfrage) -> Treffer:
    if hasattr(objekt, "titel_hl"):
        return Treffer(
            typ=typ,
            objekt=objekt,
            titel=anfrage.markiert(objekt.titel_hl),
            auszug=anfrage.markiert(objekt.auszug_hl),
        )
    return Treffer(
        typ=typ,
        objekt=objekt,
        titel=anfrage.markiert_einfach(objekt.titel),
        auszug=anfrage.markiert_einfach(objekt.zusammenfassung),
    )
