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
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Left

from common.sprache import stamm
from common.suche import (
    SUCHKONFIGURATION,
    Anfrage,
    Geschuetzt,
    Suchfehler,
    aehnlichstes_wort,
    bekannte_staemme,
    suchtext,
    treffer_rang,
    vektor,
    vokabular_merken,
    volltext,
)
from kommunen import sharing
from projekte import selectors as projekte_selectors
from projekte.suche import projekt_treffer

from . import selectors
from .models import Dokument, Ergebnis

# ts_headline reads the whole text (about 16 ms per 100,000 characters): the snippet comes
# from the first 100,000, so a page of 20 long documents stays well under a second.
HEADLINE_MAX_ZEICHEN = 100_000


def ergebnis_suchvektor_aktualisieren(ergebnis_id: int) -> None:
    """Recompute the stored search index of one result: title (A); summary, Kommune, Art,
    authors and the Themen and Initiativen of its project (B); description (C); and, in the
    fuller vector only, its documents' text (D)."""
    e = Ergebnis.objects.select_related("kommune", "projekt").filter(pk=ergebnis_id).first()
    if e is None:
        return
    zuordnung = [e.kommune.name, str(e.get_art_display()), e.autoren]
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


def _dokumente(user) -> Geschuetzt:
    """The documents' text: searched only on the results the user may download."""
    return Geschuetzt(
        vektor="suchvektor_mit_dokumenten",
        feld="suchtext_dokumente",
        erlaubt=selectors.darf_laden(user=user),
        vorfilter=sharing.vorfilter(user, "download"),
    )


def ergebnis_treffer(qs: QuerySet[Ergebnis], anfrage: Anfrage, *, user) -> QuerySet[Ergebnis]:
    return treffer_rang(qs, anfrage, _dokumente(user), vorfilter=sharing.vorfilter(user))


# --- the combined search ----------------------------------------------------------------------

TYPEN = ("alle", "projekte", "ergebnisse")


def _zeilen(qs: QuerySet, typ: str) -> QuerySet:
    return (
        qs.order_by()
        .annotate(typ=Value(typ), zeit=F("erstellt_am"), kname=F("kommune__name"))
        .values("typ", "id", "rang", "zeit", "titel", "kname")
    )


def treffer(*, user, anfrage: Anfrage, filter: dict, typ: str = "alle") -> QuerySet:
    """Rows (typ, id, rang, zeit, titel, kname) of the visible hits, ranked or sorted.

    One SQL statement (a UNION of both kinds), so counting and paging happen in the
    database. Status applies to projects only and Art to results only: choosing one leaves
    out the other kind.
    """
    teile = []
    if typ in ("alle", "projekte") and "art" not in filter:
        p = projekte_selectors.projekte_filtern(
            projekte_selectors.projekte_sichtbar(user=user), filter
        )
        teile.append(_zeilen(projekt_treffer(p, anfrage, user=user), "projekt"))
    if typ in ("alle", "ergebnisse") and "status" not in filter:
        e = selectors.ergebnisse_filtern(
            selectors.ergebnisse_sichtbar(user=user), filter, user=user
        )
        teile.append(_zeilen(ergebnis_treffer(e, anfrage, user=user), "ergebnis"))
    if not teile:
        return projekte_selectors.projekte_sichtbar(user=user).none().values("id")
    qs = teile[0].union(*teile[1:], all=True) if len(teile) > 1 else teile[0]
    sortierung = filter.get("sortierung")
    if sortierung == "titel":
        return qs.order_by("titel", "typ", "id")
    if sortierung == "kommune":
        return qs.order_by("kname", "-zeit", "typ", "-id")
    if sortierung == "neu":
        return qs.order_by("-zeit", "typ", "-id")
    return qs.order_by("-rang", "-zeit", "typ", "-id")


def vorschlag(*, user, anfrage: Anfrage, filter: dict, typ: str) -> Anfrage | None:
    """„Meinten Sie …?“ for a query that found nothing: each word whose stem the vocabulary
    does not hold is replaced by the most similar word it holds. The vocabulary has words
    of every Kommune's texts, so the suggestion is offered only if searching it finds
    something this user may see; otherwise it says nothing."""
    woerter = [w for b in anfrage.ausdruck.begriffe() for w in b.woerter]
    staemme = {w: stamm(w) for w in woerter}
    bekannt = bekannte_staemme({s for s in staemme.values() if s})
    text = anfrage.text
    geaendert = False
    for wort, s in staemme.items():
        if not s or s in bekannt:
            continue
        ersatz = aehnlichstes_wort(wort)
        if ersatz:
            text = re.sub(rf"(?<![^\W_]){re.escape(wort)}(?![^\W_])", ersatz, text)
            geaendert = True
    if not geaendert:
        return None
    try:
        neu = Anfrage.aus(text)
    except Suchfehler:
        return None
    if not treffer(user=user, anfrage=neu, filter=filter, typ=typ).exists():
        return None
    return neu


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
