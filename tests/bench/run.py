"""Run the benchmark: `python -m tests.bench.run [--scale 1] [--quick] [--growth 0.1,0.3,1]`.

Generates the data in the benchmark database (BENCH_DATABASE_URL, default wv_bench; it is
emptied first), measures, prints a table and writes JSON to tests/bench/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import time

from tests.bench import umgebung

ZIELE = {
    "liste_p95_ms": 50,
    # Deep pages and filters: the second list target.
    "liste_seite_200_p95_ms": 80,
    "liste_gefiltert_p95_ms": 80,
    "detail_p95_ms": 30,
    "suche_p95_ms": 150,
    # Each kind of search on its own (messen.seiten): the same target for all five.
    "suche_haeufig_p95_ms": 150,
    "suche_selten_p95_ms": 150,
    "suche_zwei_worte_p95_ms": 150,
    "suche_teilwort_p95_ms": 150,
    "suche_tippfehler_p95_ms": 150,
    "queries_je_seite": 10,
    "rps_anteil_trivial": 0.10,
    "rss_mb_je_worker": 150,
    "erteilen_ms": 300,
    "widerrufen_ms": 500,
}


def maschine() -> dict:
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for zeile in f:
            if zeile.startswith("MemTotal:"):
                mem_kb = int(zeile.split()[1])
    modell = ""
    with open("/proc/cpuinfo") as f:
        for zeile in f:
            if zeile.startswith("model name"):
                modell = zeile.split(":", 1)[1].strip()
                break
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
        c.execute("SHOW shared_buffers")
        sb = c.fetchone()[0]
    return {
        "kerne": os.cpu_count(),
        "cpu": modell,
        "speicher_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "shared_buffers": sb,
    }


def _ziel(name: str, wert, grenze, kleiner_gleich: bool = True) -> dict:
    ok = None if wert is None else (wert <= grenze if kleiner_gleich else wert >= grenze)
    return {"name": name, "wert": wert, "ziel": grenze, "erreicht": ok}


def ziele_pruefen(r: dict) -> list[dict]:
    out = []
    for wer in ("gross", "klein"):
        a = r["anfragen"][wer]
        for name, fig in a.items():
            if "p95_ms" not in fig:
                out.append(_ziel(f"{wer}: {name} Status", fig.get("status"), 200))
                continue
            if name.startswith("liste"):
                grenze = ZIELE.get(f"{name}_p95_ms", ZIELE["liste_p95_ms"])
                out.append(_ziel(f"{wer}: {name} p95 ms", fig["p95_ms"], grenze))
            elif name.startswith("suche"):
                grenze = ZIELE.get(f"{name}_p95_ms", ZIELE["suche_p95_ms"])
                out.append(_ziel(f"{wer}: {name} p95 ms", fig["p95_ms"], grenze))
            elif name == "detail":
                out.append(_ziel(f"{wer}: detail p95 ms", fig["p95_ms"], ZIELE["detail_p95_ms"]))
            out.append(_ziel(f"{wer}: {name} queries", fig["queries"], ZIELE["queries_je_seite"]))
        # The two new kinds measure what they are meant to: hits through compounds, and the
        # suggestion's path (a typo that found something by itself would measure a plain search).
        if "treffer" in a.get("suche_teilwort", {}):
            out.append(
                _ziel(f"{wer}: suche_teilwort Treffer", a["suche_teilwort"]["treffer"], 1, False)
            )
        if "vorschlag" in a.get("suche_tippfehler", {}):
            out.append(
                {
                    "name": f"{wer}: suche_tippfehler mit Vorschlag",
                    "wert": a["suche_tippfehler"]["vorschlag"],
                    "ziel": True,
                    "erreicht": a["suche_tippfehler"]["vorschlag"],
                }
            )
    if "wachstum" in r:
        for seite in ("liste_seite_1", "suche_haeufig"):
            qs = {s: v[seite]["queries"] for s, v in r["wachstum"].items() if seite in v}
            out.append(
                {
                    "name": f"{seite}: gleiche Zahl Queries je Faktor",
                    "wert": qs,
                    "ziel": "gleich",
                    "erreicht": len(set(qs.values())) == 1,
                }
            )
    if "last" in r:
        last = r["last"]
        out.append(_ziel("Liste rps / trivial rps", last["verhaeltnis"], 0.10, False))
        fehler = sum(
            last[k]["fehler_non_2xx"] + last[k]["fehler_socket"] for k in ("liste", "trivial")
        )
        out.append(_ziel("Fehler unter Last", fehler, 0))
        rss = [x for x in last["rss_mb_je_worker"] if x is not None]
        out.append(_ziel("RSS je Worker MB (max)", max(rss) if rss else None, 150))
    if "freigaben" in r:
        f = r["freigaben"]
        out.append(
            _ziel("erteilen an Verbund (200) p95 ms", f["erteilen"]["p95_ms"], ZIELE["erteilen_ms"])
        )
        out.append(_ziel("widerrufen max ms", f["widerrufen"]["max_ms"], ZIELE["widerrufen_ms"]))
    if "widerruf" in r:
        out.append(
            {
                "name": "Erteilen und Widerruf beim nächsten Aufruf sichtbar (warmer Cache)",
                "wert": r["widerruf"]["ok"],
                "ziel": True,
                "erreicht": r["widerruf"]["ok"],
            }
        )
    for wer in ("gross", "klein"):
        g = r["guardian"][wer]
        out.append(
            {
                "name": f"{wer}: visible() schneller als get_objects_for_user (Seite 1, Anzahl)",
                "wert": [g["faktor_seite_1"], g["faktor_anzahl"]],
                "ziel": "> 1",
                "erreicht": g["faktor_seite_1"] > 1
                and g["faktor_anzahl"] > 1
                and g["gleiche_menge"],
            }
        )
    return out


def tabelle(r: dict) -> str:
    zeilen = [f"Wissensverbund-Benchmark {r['datum']} · Faktor {r['scale']} · {r['maschine']}"]
    zeilen.append(f"Daten: {r['daten']}")
    kopf = f"{'Messung':<34}{'wer':<7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'Queries':>9}"
    zeilen += ["", kopf, "-" * len(kopf)]
    for wer in ("gross", "klein"):
        for name, fig in {**r["anfragen"][wer], **r["funktionen"][wer]}.items():
            if "p95_ms" not in fig:
                zeilen.append(f"{name:<34}{wer:<7} Status {fig.get('status')}")
                continue
            treffer = ""
            if "treffer" in fig:
                treffer = f"  {fig['treffer']} Treffer" + (
                    ", Vorschlag" if fig["vorschlag"] else ""
                )
            zeilen.append(
                f"{name:<34}{wer:<7}{fig['p50_ms']:>9}{fig['p95_ms']:>9}{fig['max_ms']:>9}"
                f"{fig['queries']:>9}{treffer}"
            )
    for wer in ("gross", "klein"):
        for name, fig in r.get("kalt", {}).get(wer, {}).items():
            zeilen.append(
                f"{name + ' (kalt)':<34}{wer:<7}{fig['p50_ms']:>9}{fig['p95_ms']:>9}"
                f"{fig['max_ms']:>9}{fig['queries']:>9}"
            )
    if "freigaben" in r:
        f = r["freigaben"]
        for name in ("erteilen", "widerrufen"):
            x = f[name]
            zeilen.append(
                f"{name + ' (Verbund ' + str(f['verbund_mitglieder']) + ')':<34}{'':<7}"
                f"{x['p50_ms']:>9}{x['p95_ms']:>9}{x['max_ms']:>9}{x['queries']:>9}"
            )
    if "sync" in r:
        s = r["sync"]
        x = s["unveraendert"]
        zeilen.append(
            f"{'sync (' + str(s['aktive_freigaben']) + ' Freigaben)':<34}{'':<7}"
            f"{x['p50_ms']:>9}{x['p95_ms']:>9}{x['max_ms']:>9}{x['queries']:>9}"
        )
        x = s["alle_zeilen_neu"]
        zeilen.append(
            f"{'sync, alle Zeilen neu':<34}{'':<7}{x['p50_ms']:>9}{x['p95_ms']:>9}{x['max_ms']:>9}"
        )
    if "ablauf" in r:
        a = r["ablauf"]
        zeilen.append(
            f"Ablauf-Task: {a['erledigt']} von {a['faellig']} fälligen Freigaben in "
            f"{a['dauer_s']} s "
            f"({a['ms_je_freigabe']} ms je Freigabe), {a['rechte_entzogen']} Rechte entzogen"
        )
    zeilen.append("")
    for wer in ("gross", "klein"):
        g = r["guardian"][wer]
        zeilen.append(
            f"visible() gegen get_objects_for_user ({wer}, {g['sichtbar']} sichtbar, "
            f"gleiche Menge bis auf {g.get('nur_guardian_ausserhalb_gueltigkeit', '?')} nicht "
            f"mehr oder noch nicht gültige: {g['gleiche_menge']}): "
            f"Seite 1 {g['visible']['seite_1']['p50_ms']} gegen "
            f"{g['get_objects_for_user']['seite_1']['p50_ms']} ms (Faktor {g['faktor_seite_1']}), "
            f"Anzahl {g['visible']['anzahl']['p50_ms']} gegen "
            f"{g['get_objects_for_user']['anzahl']['p50_ms']} ms (Faktor {g['faktor_anzahl']})"
        )
    if "last" in r:
        last = r["last"]
        zeilen.append(
            f"gunicorn 2 Worker, wrk {last['verbindungen']} Verbindungen: Liste "
            f"{last['liste']['rps']} rps, trivial {last['trivial']['rps']} rps, Verhältnis "
            f"{last['verhaeltnis']}; Fehler Liste {last['liste']['fehler_non_2xx']}+"
            f"{last['liste']['fehler_socket']}, trivial {last['trivial']['fehler_non_2xx']}+"
            f"{last['trivial']['fehler_socket']}; RSS je Worker {last['rss_mb_je_worker']} MB"
        )
    if "vorschlaege" in r:
        zeilen.append("")
        zeilen.append("Mit den Vorschlägen (Indexe erstellt_am DESC, id DESC; jit = off):")
        for wer in ("gross", "klein"):
            for name, fig in r["vorschlaege"]["anfragen"][wer].items():
                if "p95_ms" in fig:
                    zeilen.append(
                        f"{name:<34}{wer:<7}{fig['p50_ms']:>9}{fig['p95_ms']:>9}"
                        f"{fig['max_ms']:>9}{fig['queries']:>9}"
                    )
        if "last" in r["vorschlaege"]:
            v = r["vorschlaege"]["last"]
            zeilen.append(
                f"gunicorn: Liste {v['liste']['rps']} rps, trivial {v['trivial']['rps']} rps, "
                f"Verhältnis {v['verhaeltnis']}, Fehler {v['liste']['fehler_socket']}"
            )
    zeilen.append(
        f"Lastdurchschnitt der Maschine: Start {r.get('last_durchschnitt_start')}, "
        f"Ende {r.get('last_durchschnitt_ende')}"
    )
    if "wachstum" in r:
        zeilen.append("")
        zeilen.append("Wachstum (p95 ms / Queries, Benutzer der großen Stadt):")
        for s, v in r["wachstum"].items():
            teile = [f"{k} {x['p95_ms']}/{x['queries']}" for k, x in v.items() if "p95_ms" in x]
            zeilen.append(f"  Faktor {s}: " + ", ".join(teile))
    zeilen.append("")
    zeilen += ziele_tabelle(r["ziele"])
    return "\n".join(zeilen)


def ziele_tabelle(ziele: list[dict]) -> list[str]:
    """Target, measured, met or missed: one line each."""
    breite = max((len(z["name"]) for z in ziele), default=10) + 2
    kopf = f"{'Ziel':<{breite}}{'Vorgabe':>12}{'gemessen':>24}  Ergebnis"
    zeilen = [kopf, "-" * len(kopf)]
    for z in ziele:
        mark = {True: "erreicht", False: "VERFEHLT", None: "?"}[z["erreicht"]]
        zeilen.append(f"{z['name']:<{breite}}{z['ziel']!s:>12}{z['wert']!s:>24}  {mark}")
    verfehlt = sum(1 for z in ziele if z["erreicht"] is False)
    zeilen.append(f"{len(ziele) - verfehlt} von {len(ziele)} Zielen erreicht.")
    return zeilen


def voraussetzungen(mit_last: bool) -> str | None:
    """What the run needs before it starts, in words; None when all is there."""
    if mit_last and shutil.which("wrk") is None:
        return (
            "wrk fehlt (für die Lastmessung mit gunicorn): bitte 'apt-get install wrk' ausführen "
            "oder ./scripts/bench benutzen, das es installiert; ohne Lastmessung: --ohne-last."
        )
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - any failure is reported in words
        return (
            f"Die Benchmark-Datenbank ist nicht erreichbar ({umgebung.BENCH_DATABASE_URL}): {exc}. "
            "PostgreSQL starten und die Datenbank anlegen (./scripts/bench tut beides nicht "
            "selbst für einen fremden Server), oder BENCH_DATABASE_URL setzen."
        )
    from django.core.cache import cache

    try:
        cache.set("bench:ping", 1, 5)
    except Exception as exc:  # noqa: BLE001
        return (
            f"Redis ist nicht erreichbar ({umgebung.BENCH_CACHE_URL}): {exc}. Redis starten oder "
            "BENCH_CACHE_URL setzen."
        )
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0, help="Datenmenge (1 = Bayern)")
    p.add_argument("--quick", action="store_true", help="kleine Daten, wenige Messungen (< 1 min)")
    p.add_argument("--growth", default="", help="z. B. 0.1,0.3 vor dem Lauf mit --scale messen")
    p.add_argument("-n", type=int, default=0, help="Anfragen je Messung (Standard 200)")
    p.add_argument("--last-dauer", type=int, default=0, help="Sekunden wrk je Ziel (30)")
    p.add_argument("--ohne-daten", action="store_true", help="vorhandene Daten weiter nutzen")
    p.add_argument("--ohne-last", action="store_true")
    p.add_argument("--ohne-ablauf", action="store_true")
    p.add_argument(
        "--vorschlaege",
        action="store_true",
        help="danach mit den vorgeschlagenen Indexen und jit=off noch einmal messen",
    )
    p.add_argument("--n-vorschlaege", type=int, default=0, help="Anfragen je Messung dabei")
    p.add_argument("--nur-anfragen", action="store_true", help="nur Anfragen und Baseline a")
    p.add_argument("--json", default="", help="Pfad der JSON-Ausgabe")
    p.add_argument(
        "--streng",
        action="store_true",
        help="mit Status 1 enden, wenn ein Ziel verfehlt ist (für CI)",
    )
    args = p.parse_args(argv)
    scale = 0.01 if args.quick else args.scale
    n = args.n or (8 if args.quick else 200)
    last_dauer = args.last_dauer or (2 if args.quick else 30)

    env = umgebung.einrichten()
    umgebung.django_starten()
    fehlt = voraussetzungen(mit_last=not (args.ohne_last or args.nur_anfragen))
    if fehlt:
        print(fehlt, file=sys.stderr)
        return 2
    from django.core.management import call_command

    from kommunen import sharing
    from tests.bench import daten, messen

    t_lauf = time.perf_counter()
    from django.core.cache import cache

    cache.clear()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    r: dict = {"datum": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "scale": scale}
    r["maschine"] = maschine()
    # Other work on the machine inflates every figure: the load average is recorded with them.
    r["last_durchschnitt_start"] = os.getloadavg()
    r["ziele_vorgabe"] = ZIELE

    wachstum = [float(x) for x in args.growth.split(",") if x.strip()]
    if wachstum:
        r["wachstum"] = {}
        for s in [x for x in wachstum if x != scale]:
            print(f"Wachstum: Faktor {s}")
            welt = daten.erzeugen(s)
            sharing.clear_caches()
            gross = messen.benutzer_von(welt.gross_kommune)
            r["wachstum"][str(s)] = messen.anfragen(
                gross,
                n,
                nur=("liste_seite_1", "liste_seite_200", "suche_haeufig", "suche_zwei_worte"),
            )

    if args.ohne_daten:
        from kommunen.models import Kommune, Verbund

        welt = daten.Welt(scale=scale)
        welt.gross_kommune = Kommune.objects.get(slug="muenchen").pk
        welt.klein_kommune = Kommune.objects.order_by("pk")[1500].pk
        welt.verbund_200 = Verbund.objects.order_by("-pk").first().pk
        from projekte.models import Projekt

        welt.sync_projekt = Projekt.objects.order_by("pk").first().pk
        from kommunen.models import Benutzer, Freigabe
        from wissen.models import Ergebnis

        welt.kommunen = Kommune.objects.count()
        welt.benutzer = Benutzer.objects.count()
        welt.projekte = Projekt.objects.count()
        welt.ergebnisse = Ergebnis.objects.count()
        welt.freigaben = Freigabe.objects.count()
    else:
        print(f"Daten erzeugen: Faktor {scale}")
        welt = daten.erzeugen(scale)
    sharing.clear_caches()
    r["daten"] = {
        k: getattr(welt, k)
        for k in ("kommunen", "benutzer", "projekte", "ergebnisse", "freigaben", "gruppenrechte")
    }
    r["daten"]["dauer_s"] = welt.dauer_s
    r["daten"]["suchindex"] = welt.suchindex
    r["pruefung"] = daten.pruefen(welt, 50)

    gross = messen.benutzer_von(welt.gross_kommune)
    klein = messen.benutzer_von(welt.klein_kommune)
    r["benutzer"] = {"gross": str(gross.kommune), "klein": str(klein.kommune)}
    r["anfragen"], r["funktionen"], r["guardian"], r["kalt"] = {}, {}, {}, {}
    for wer, user in (("gross", gross), ("klein", klein)):
        print(f"Anfragen als {user.username} ({user.kommune})")
        r["anfragen"][wer] = messen.anfragen(user, n)
        r["kalt"][wer] = messen.kalt(user, max(5, n // 10))
        r["funktionen"][wer] = messen.funktionen(user, n)
        r["guardian"][wer] = messen.gegen_guardian(user, 3 if args.quick else 15)
    if wachstum:
        r["wachstum"][str(scale)] = {
            k: v
            for k, v in r["anfragen"]["gross"].items()
            if k in ("liste_seite_1", "liste_seite_200", "suche_haeufig", "suche_zwei_worte")
        }
    if args.nur_anfragen:
        args.ohne_last = args.ohne_ablauf = True
    if not args.ohne_last:
        print("Last: gunicorn + wrk")
        r["last"] = messen.last(
            env, gross, r["anfragen"]["gross"]["liste_seite_1"]["url"], dauer=last_dauer
        )
    if not args.nur_anfragen:
        print("Freigaben: erteilen, widerrufen, sync")
        r["freigaben"] = messen.freigabe_operationen(
            welt.gross_kommune, welt.verbund_200, 3 if args.quick else 20
        )
        r["sync"] = messen.sync_messen(welt.sync_projekt, 20 if args.quick else 50)
    print("Erteilen und Widerruf bei warmem Cache")
    r["widerruf"] = messen.widerruf_sichtbar(gross, welt.klein_kommune)
    if not args.ohne_ablauf:
        print("Ablauf-Task")
        r["ablauf"] = messen.ablauf_messen(
            300 if args.quick else 10_000, schonen=(welt.sync_projekt,)
        )
    if args.vorschlaege:
        print("Vorschläge: Indexe (erstellt_am DESC, id DESC), jit = off")
        daten.vorschlaege_anwenden()
        n_vorschlag = args.n_vorschlaege or n
        r["vorschlaege"] = {
            "indexe": daten.VORSCHLAG_INDEXE,
            "jit": "off",
            "n": n_vorschlag,
            "anfragen": {},
        }
        for wer, user in (("gross", gross), ("klein", klein)):
            sharing.forget(user)
            r["vorschlaege"]["anfragen"][wer] = messen.anfragen(user, n_vorschlag)
        if not args.ohne_last:
            r["vorschlaege"]["last"] = messen.last(
                env, gross, r["anfragen"]["gross"]["liste_seite_1"]["url"], dauer=last_dauer
            )
    r["last_durchschnitt_ende"] = os.getloadavg()
    r["ziele"] = ziele_pruefen(r)
    r["dauer_lauf_s"] = round(time.perf_counter() - t_lauf, 1)

    print()
    print(tabelle(r))
    ziel = args.json or str(
        umgebung.ROOT
        / "tests"
        / "bench"
        / "out"
        / f"ergebnisse-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-faktor-{scale}.json"
    )
    os.makedirs(os.path.dirname(ziel), exist_ok=True)
    with open(ziel, "w") as f:
        json.dump(r, f, ensure_ascii=False, indent=2, default=str)
    print(f"\nJSON: {ziel}  (Lauf {r['dauer_lauf_s']} s)")
    verfehlt = [z["name"] for z in r["ziele"] if z["erreicht"] is False]
    if args.streng and verfehlt:
        print(f"--streng: {len(verfehlt)} Ziele verfehlt.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
