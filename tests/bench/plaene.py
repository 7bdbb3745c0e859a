"""EXPLAIN (ANALYZE, BUFFERS) of the benchmark's main queries: `python -m tests.bench.plaene`.

Uses the data already in the benchmark database (run `tests.bench.run` first).
"""

from __future__ import annotations

import argparse

from tests.bench import umgebung


def plan(qs) -> str:
    from django.db import connection

    sql, params = qs.query.sql_with_params()
    with connection.cursor() as c:
        c.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(r[0] for r in c.fetchall())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kommune", default="muenchen")
    p.add_argument("--nur", default="", help="Namen der Abfragen, mit Komma getrennt")
    args = p.parse_args(argv)
    umgebung.django_starten()
    from guardian.shortcuts import get_objects_for_user

    from common.suche import Anfrage
    from kommunen import sharing
    from kommunen.models import Kommune
    from projekte.models import Projekt
    from tests.bench.messen import benutzer_von
    from tests.bench.text import HAEUFIG, SELTENES_SUCHWORT
    from wissen.models import Ergebnis
    from wissen.suche import ergebnis_treffer

    user = benutzer_von(Kommune.objects.get(slug=args.kommune).pk)
    sichtbar = sharing.visible(user, Projekt.objects.all())
    abfragen = {
        "liste_seite_1": sichtbar.order_by("-erstellt_am", "-id")[:20],
        "liste_seite_200": sichtbar.order_by("-erstellt_am", "-id")[3980:4000],
        "liste_anzahl": None,
        # As the search runs it: documents' text only where the user may download.
        "suche_haeufig_ergebnisse": ergebnis_treffer(
            sharing.visible(user, Ergebnis.objects.all()), Anfrage.aus(HAEUFIG), user=user
        ).order_by("-rang", "-id")[:20],
        "suche_selten_ergebnisse": ergebnis_treffer(
            sharing.visible(user, Ergebnis.objects.all()),
            Anfrage.aus(SELTENES_SUCHWORT),
            user=user,
        ).order_by("-rang", "-id")[:20],
        "guardian_seite_1": get_objects_for_user(
            user,
            "projekte.view_projekt",
            klass=Projekt.objects.all(),
            with_superuser=False,
            accept_global_perms=False,
        ).order_by("-erstellt_am", "-id")[:20],
    }
    nur = {x for x in args.nur.split(",") if x}
    for name, qs in abfragen.items():
        if nur and name not in nur:
            continue
        print(f"=== {name}")
        if name == "liste_anzahl":
            from django.db import connection

            sql, params = sichtbar.order_by().values("pk").query.sql_with_params()
            with connection.cursor() as c:
                c.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({sql}) t", params)
                print("\n".join(r[0] for r in c.fetchall()))
            continue
        print(plan(qs))


if __name__ == "__main__":
    main()
