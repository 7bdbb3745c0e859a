"""EXPLAIN (ANALYZE, BUFFERS) of the benchmark's main queries: `python -m tests.bench.plaene`.

Uses the data already in the benchmark database (run `tests.bench.run` first).
"""

from __future__ import annotations

import argparse
from urllib.parse import urlencode

from tests.bench import umgebung


def plan(qs) -> str:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as c:
        c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(r[0] for r in c.fetchall())


def plaene_von(fn) -> str:
    """The plans of every query `fn` runs, in order (for code paths that run several, such as
    the count of a UNION or the suggestion for a typo)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    teile = []
    for i, q in enumerate(ctx.captured_queries, 1):
        with connection.cursor() as c:
            # The captured SQL has its parameters bound already (psycopg's client-side binding).
            c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            teile.append(f"--- Query {i} von {len(ctx.captured_queries)}: {q['sql'][:160]}")
            teile.append("\n".join(r[0] for r in c.fetchall()))
    return "\n".join(teile)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kommune", default="muenchen")
    p.add_argument("--nur", default="", help="Namen der Abfragen, mit Komma getrennt")
    args = p.parse_args(argv)
    umgebung.django_starten()
    from django.test import Client
    from guardian.shortcuts import get_objects_for_user

    from common.suche import Anfrage
    from kommunen import sharing
    from kommunen.models import Kommune
    from projekte import selectors as projekte_selectors
    from projekte.models import Projekt
    from projekte.suche import projekt_treffer
    from tests.bench.messen import benutzer_von
    from tests.bench.text import HAEUFIG, SELTENES_SUCHWORT, TEILWORT, TIPPFEHLER, ZWEI_WORTE
    from wissen import suche
    from wissen.models import Ergebnis
    from wissen.suche import ergebnis_treffer

    user = benutzer_von(Kommune.objects.get(slug=args.kommune).pk)
    sichtbar = sharing.visible(user, Projekt.objects.all())
    abfragen = {
        "liste_seite_1": sichtbar.order_by("-erstellt_am", "-id")[:20],
        "liste_seite_200": sichtbar.order_by("-erstellt_am", "-id")[3980:4000],
        "liste_anzahl": None,
        "guardian_seite_1": get_objects_for_user(
            user,
            "projekte.view_projekt",
            klass=Projekt.objects.all(),
            with_superuser=False,
            accept_global_perms=False,
        ).order_by("-erstellt_am", "-id")[:20],
    }
    # The search as /suche/ runs it (portal/views/suche.py), per kind of query: the results'
    # and the projects' side on their own, the count and the first page of their UNION, the
    # highlighted excerpts of that page, and the vocabulary look-up of Anfrage.aus.
    arten = {
        "haeufig": HAEUFIG,
        "selten": SELTENES_SUCHWORT,
        "zwei_worte": ZWEI_WORTE,
        "teilwort": TEILWORT,
    }

    def treffer(a):
        return suche.treffer(user=user, anfrage=a, filter={}, typ="alle")

    def seite(a):
        # As the page: the count with the tiers' shares, then page 1 of the tier that holds it.
        s = suche.suchseite(user=user, anfrage=a, filter={}, typ="alle", seite=1)
        return list(s.page.object_list)

    def suchplaene(text: str) -> dict:
        # Each parses on its own: Anfrage.aus queries the vocabulary, and --nur runs only
        # what it names.
        def ergebnisse():
            qs = ergebnis_treffer(
                sharing.visible(user, Ergebnis.objects.all()), Anfrage.aus(text), user=user
            )
            return plan(qs.order_by("-rang", "-id")[:20])

        def projekte():
            qs = projekt_treffer(
                projekte_selectors.projekte_sichtbar(user=user), Anfrage.aus(text), user=user
            )
            return plan(qs.order_by("-rang", "-id")[:20])

        def anzahl():
            a = Anfrage.aus(text)
            return plaene_von(lambda: suche.zaehlen(user=user, anfrage=a, filter={}))

        def seite_1():
            a = Anfrage.aus(text)
            return plaene_von(lambda: seite(a))

        def auszuege():
            a = Anfrage.aus(text)
            zeilen = seite(a)
            return plaene_von(lambda: suche.seite_laden(user=user, anfrage=a, zeilen=zeilen))

        def ansicht():
            # Every query of the whole page, as the measurements request it (facets, years,
            # session and user included).
            client = Client()
            client.force_login(user)
            url = f"/suche/?{urlencode({'q': text})}"
            client.get(url)  # warm: the session and the user's groups
            return plaene_von(lambda: client.get(url))

        return {
            "ansicht": ansicht,
            "ergebnisse": ergebnisse,
            "projekte": projekte,
            "anzahl": anzahl,
            "seite": seite_1,
            "auszuege": auszuege,
            "anfrage": lambda: plaene_von(lambda: Anfrage.aus(text)),
        }

    for art, text in arten.items():
        for teil, fn in suchplaene(text).items():
            abfragen[f"suche_{art}_{teil}"] = fn

    def tippfehler():
        # What the view does for a query that finds nothing: count it, look for a
        # suggestion (known stems, the most similar word, the suggestion's count), then
        # show the suggestion's hits.
        seite(Anfrage.aus(TIPPFEHLER))

    abfragen["suche_tippfehler"] = lambda: plaene_von(tippfehler)
    abfragen["suche_tippfehler_ansicht"] = suchplaene(TIPPFEHLER)["ansicht"]
    nur = {x for x in args.nur.split(",") if x}
    for name, qs in abfragen.items():
        if nur and name not in nur:
            continue
        print(f"=== {name}")
        if name == "liste_anzahl":
            from django.db import connection

            sql, params = sichtbar.order_by().values("pk").query.sql_with_params()
            with connection.cursor() as c:
                c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(r[0] for r in c.fetchall()))
            continue
        print(qs() if callable(qs) else plan(qs))


if __name__ == "__main__":
    main()
