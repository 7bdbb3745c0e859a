"""Figures and Markdown of a load test run: `python -m tests.load.bericht <ergebnisse.json>`."""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict

# Requests that start this long after the last user has started count as "after the ramp".
NACH_ANSTIEG_S = 30


def _perzentil(werte: list[float], p: float) -> float:
    """Nearest rank on sorted values."""
    return werte[max(0, min(len(werte) - 1, round(p * len(werte) + 0.5) - 1))]


def seiten_zahlen(anfragen: list, alle_da: float | None, dauer_s: float) -> dict:
    """Exact percentiles per page kind from every request locust recorded.

    `anfragen`: (start epoch, method, name, ms, failed). Besides the whole run, p95 of the
    requests that started NACH_ANSTIEG_S after all users were there (logins and first pages of
    the ramp queue behind each other)."""
    je: dict[tuple, list] = defaultdict(list)
    for beginn, methode, name, ms, fehler in anfragen:
        je[(methode, name)].append((beginn, ms, fehler))
    grenze = (alle_da or 0) + NACH_ANSTIEG_S
    seiten = []
    for (methode, name), reihe in sorted(je.items(), key=lambda x: (x[0][1], x[0][0])):
        ms = sorted(x[1] for x in reihe)
        spaeter = sorted(x[1] for x in reihe if x[0] >= grenze)
        seiten.append(
            {
                "methode": methode,
                "name": name,
                "anfragen": len(ms),
                "fehler": sum(1 for x in reihe if x[2]),
                "p50_ms": _perzentil(ms, 0.50),
                "p95_ms": _perzentil(ms, 0.95),
                "p99_ms": _perzentil(ms, 0.99),
                "max_ms": ms[-1],
                "nach_anstieg_anfragen": len(spaeter),
                "nach_anstieg_p95_ms": _perzentil(spaeter, 0.95) if spaeter else None,
            }
        )
    alle = sorted(x[3] for x in anfragen)
    spaeter = sorted(x[3] for x in anfragen if x[0] >= grenze)
    gesamt = {
        "anfragen": len(alle),
        "fehler": sum(1 for x in anfragen if x[4]),
        "p50_ms": _perzentil(alle, 0.5) if alle else None,
        "p95_ms": _perzentil(alle, 0.95) if alle else None,
        "p99_ms": _perzentil(alle, 0.99) if alle else None,
        "max_ms": alle[-1] if alle else None,
        "rps": round(len(alle) / dauer_s, 2) if dauer_s else None,
        "nach_anstieg_anfragen": len(spaeter),
        "nach_anstieg_p95_ms": _perzentil(spaeter, 0.95) if spaeter else None,
    }
    return {"seiten": seiten, "gesamt": gesamt}


def locust_zahlen(prefix: str) -> dict:
    """locust's own summary (its percentiles are rounded buckets) and its list of failures."""
    gesamt = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        for z in csv.DictReader(f):
            if z["Name"] == "Aggregated":
                gesamt = {
                    "anfragen": int(z["Request Count"]),
                    "fehler": int(z["Failure Count"]),
                    "rps": round(float(z["Requests/s"]), 2),
                    "p95_ms": z["95%"],
                }
    fehler = []
    with open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as f:
        for z in csv.DictReader(f):
            fehler.append(
                {
                    "methode": z["Method"],
                    "name": z["Name"],
                    "fehler": z["Error"],
                    "anzahl": int(z["Occurrences"]),
                }
            )
    return {"gesamt": gesamt, "fehler": fehler}


def speicher_zusammenfassen(proben: list[dict], warm_s: float) -> dict:
    """Per process: RSS at the start (before load), once warm, at the end, and the max."""
    out = {}
    warm = next((p for p in proben if p["t_s"] >= warm_s), proben[-1])
    for art in ("gunicorn_worker", "celery_pool"):
        je = {}
        for pid in sorted({pid for p in proben for pid in p[art]}):
            reihe = [p[art][pid] for p in proben if p[art].get(pid) is not None]
            if reihe:
                je[pid] = {
                    "start_mb": proben[0][art].get(pid),
                    "warm_mb": warm[art].get(pid),
                    "ende_mb": proben[-1][art].get(pid),
                    "max_mb": max(reihe),
                    "proben": len(reihe),
                }
        out[art] = je
    for art in ("gunicorn_master", "celery_worker", "celery_beat"):
        reihe = [p.get(art) for p in proben if p.get(art) is not None]
        if reihe:
            out[art] = {
                "start_mb": proben[0].get(art),
                "warm_mb": warm.get(art),
                "ende_mb": proben[-1].get(art),
                "max_mb": max(reihe),
            }
    out["warm_nach_s"] = warm["t_s"]
    out["proben"] = len(proben)
    return out


def _ms(x) -> str:
    return "–" if x is None else f"{round(x):d}"


def _la(werte) -> str:
    return ", ".join(f"{x:.2f}" for x in werte)


def markdown(r: dict) -> str:
    z = [
        f"Lauf vom {r['datum']}: {r['nutzer']} Benutzer ({r['mischung_text']}), {r['dauer']}, "
        f"Anstieg {r['spawn_rate']} Benutzer/s, Daten Faktor {r['scale']}; gunicorn "
        f"{r['gunicorn_worker']} Worker, Celery-Worker mit {r['celery_concurrency']} Prozessen, "
        f"Beat. Lastdurchschnitt der Maschine: Start {_la(r['last_start'])}, höchster "
        f"1-Minuten-Wert {r['last_max_1min']:.2f}, Ende {_la(r['last_ende'])}.",
        "",
        f"| Seite | Anfragen | Fehler | p50 ms | p95 ms | p99 ms | max ms "
        f"| p95 ms ab {NACH_ANSTIEG_S} s nach dem Anstieg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in r["seiten"]["seiten"]:
        z.append(
            f"| `{s['name']}` | {s['anfragen']} | {s['fehler']} | {_ms(s['p50_ms'])} | "
            f"{_ms(s['p95_ms'])} | {_ms(s['p99_ms'])} | {_ms(s['max_ms'])} | "
            f"{_ms(s['nach_anstieg_p95_ms'])} |"
        )
    g = r["seiten"]["gesamt"]
    z.append(
        f"| **alle** | {g['anfragen']} | {g['fehler']} | {_ms(g['p50_ms'])} | "
        f"{_ms(g['p95_ms'])} | {_ms(g['p99_ms'])} | {_ms(g['max_ms'])} | "
        f"{_ms(g['nach_anstieg_p95_ms'])} |"
    )
    z += ["", f"Anfragen/s im Mittel: {g['rps']}; Fehler: {g['fehler']}."]
    sp = r["speicher"]
    z += [
        "",
        f"| Prozess (RSS, MB) | Start | nach {sp['warm_nach_s']:.0f} s | Ende | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for art, titel in (("gunicorn_worker", "gunicorn-Worker"), ("celery_pool", "Celery-Pool")):
        for pid, w in sp.get(art, {}).items():
            z.append(
                f"| {titel} {pid} | {w['start_mb']} | {w['warm_mb']} | {w['ende_mb']} | "
                f"{w['max_mb']} |"
            )
    for art, titel in (
        ("gunicorn_master", "gunicorn-Master"),
        ("celery_worker", "Celery-Worker, Hauptprozess"),
        ("celery_beat", "Celery-Beat"),
    ):
        if art in sp:
            w = sp[art]
            z.append(
                f"| {titel} | {w['start_mb']} | {w['warm_mb']} | {w['ende_mb']} | {w['max_mb']} |"
            )
    d = r.get("danach")
    if d:
        z += [
            "",
            f"Im Lauf angelegt: {d['ergebnisse']} Ergebnisse, {d['projekte']} Projekte, "
            f"{d['dokumente']} Dokumente (Texterkennung: {d['extraktion']}), "
            f"{d['freigaben_beantragt']} Freigaben beantragt; entschieden: {d['entschieden']}.",
        ]
    if r["locust"]["fehler"]:
        z += ["", "Fehler:"]
        for f in r["locust"]["fehler"]:
            z.append(f"- {f['methode']} `{f['name']}`: {f['fehler']} ({f['anzahl']}×)")
    return "\n".join(z)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(markdown(json.load(f)))
