"""Markdown tables of a benchmark result: `python -m tests.bench.bericht <ergebnisse.json>`."""

from __future__ import annotations

import json
import sys

NAMEN = {
    "liste_seite_1": "Projektliste, Seite 1",
    "liste_seite_200": "Projektliste, Seite 200",
    "liste_gefiltert": "Projektliste, gefiltert (Status, Thema)",
    "suche_haeufig": "Suche „Digitalisierung“",
    "suche_selten": "Suche, seltenes Wort",
    "suche_zwei_worte": "Suche, zwei Wörter",
    "suche_teilwort": "Suche „Säule“ (nur in Komposita)",
    "suche_tippfehler": "Suche „Digitalisirung“ (Tippfehler, mit Vorschlag)",
    "detail": "Projekt-Detailseite",
    "download_pruefung": '`can(user, "download", obj)`',
    "explain": "`explain(user, obj)`",
}


def _zeile(name: str, g: dict | None, k: dict | None) -> str:
    def zelle(f):
        if not f or "p95_ms" not in f:
            return "– | – | – | –"
        return f"{f['p50_ms']} | {f['p95_ms']} | {f['max_ms']} | {f['queries']}"

    return f"| {NAMEN.get(name, name)} | {zelle(g)} | {zelle(k)} |"


def anfragen_tabelle(r: dict, quelle: dict, mit_funktionen: bool = True) -> list[str]:
    gross, klein = r["benutzer"]["gross"], r["benutzer"]["klein"]
    zeilen = [
        f"| Messung | {gross}: p50 | p95 | max | Queries | {klein}: p50 | p95 | max | Queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in NAMEN:
        funktionen = r.get("funktionen", {}) if mit_funktionen else {}
        g = quelle["gross"].get(name) or funktionen.get("gross", {}).get(name)
        k = quelle["klein"].get(name) or funktionen.get("klein", {}).get(name)
        if g or k:
            zeilen.append(_zeile(name, g, k))
    return zeilen


def markdown(r: dict) -> str:
    m = r["maschine"]
    z = [
        f"Lauf vom {r['datum']}, Faktor {r['scale']}, auf {m['kerne']} Kernen ({m['cpu']}), "
        f"{m['speicher_gb']} GB Speicher, PostgreSQL {m['postgresql'].split()[0]} "
        f"(shared_buffers {m['shared_buffers']}), Python {m['python']}. Lastdurchschnitt der "
        f"Maschine zu Beginn {', '.join(f'{x:.1f}' for x in r['last_durchschnitt_start'])}. "
        f"Zeiten in ms, je Messung {next(iter(r['anfragen']['gross'].values())).get('n')} "
        "Anfragen nach dem Aufwärmen (Django-Testclient, Serverzeit).",
        "",
    ]
    d = r["daten"]
    z.append(
        f"Daten: {d['kommunen']} Kommunen, {d['benutzer']} Benutzer, {d['projekte']} Projekte, "
        f"{d['ergebnisse']} Ergebnisse, {d['freigaben']} Freigaben, {d['gruppenrechte']} "
        f"Gruppenrechte, erzeugt in {d['dauer_s'].get('gesamt')} s; Stichprobe: "
        f"{r['pruefung']['objekte_abweichend']} von {r['pruefung']['objekte']} Objekten mit "
        "Änderungen durch `sync_permissions`."
    )
    if "suchvektoren" in r["pruefung"]:
        p = r["pruefung"]
        z[-1] += (
            f" Suchindex (Vektoren und Vokabular) in {d['dauer_s'].get('suchvektoren')} s "
            f"gefüllt; Stichprobe: {p['suchvektoren_abweichend']} von {p['suchvektoren']} "
            f"Vektoren anders als die Suche sie schreibt, {p['suchwoerter_fehlend']} fehlende "
            "Suchwörter."
        )
    z += ["", *anfragen_tabelle(r, r["anfragen"]), ""]
    if "vorschlaege" in r:
        v = r["vorschlaege"]
        z.append(
            f"Mit den vorgeschlagenen Indexen (`erstellt_am DESC, id DESC`) und `jit = off` "
            f"({v.get('n', '?')} Anfragen je Messung):"
        )
        z += ["", *anfragen_tabelle(r, v["anfragen"], mit_funktionen=False), ""]
    if "freigaben" in r:
        f = r["freigaben"]
        s = r["sync"]
        z.append("| Freigabe-Operation | p50 | p95 | max | Queries |")
        z.append("|---|---:|---:|---:|---:|")
        for name, x in (
            (f"erteilen an Verbund ({f['verbund_mitglieder']} Kommunen)", f["erteilen"]),
            ("widerrufen", f["widerrufen"]),
            (f"sync_permissions ({s['aktive_freigaben']} Freigaben)", s["unveraendert"]),
        ):
            z.append(f"| {name} | {x['p50_ms']} | {x['p95_ms']} | {x['max_ms']} | {x['queries']} |")
        x = s["alle_zeilen_neu"]
        z.append(
            f"| sync_permissions, alle {x['zeilen']} Zeilen neu | {x['p50_ms']} | {x['p95_ms']} "
            f"| {x['max_ms']} | – |"
        )
        z.append("")
    if "ablauf" in r:
        a = r["ablauf"]
        z.append(
            f"Ablauf-Task: {a['erledigt']} fällige Freigaben in {a['dauer_s']} s "
            f"({a['ms_je_freigabe']} ms je Freigabe), {a['rechte_entzogen']} Rechte entzogen."
        )
        z.append("")
    if r.get("kalt"):
        z.append(
            "Erste Anfrage nach einer Änderung der Rechte (die Generation vor jeder Anfrage "
            "erhöht; was je Gruppensatz gemerkt wird, wird neu berechnet):"
        )
        z.append("")
        z.append(
            f"| Messung (kalt) | {r['benutzer']['gross']}: p50 | p95 | max | Queries | "
            f"{r['benutzer']['klein']}: p50 | p95 | max | Queries |"
        )
        z.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name in r["kalt"]["gross"]:
            z.append(_zeile(name, r["kalt"]["gross"].get(name), r["kalt"]["klein"].get(name)))
        z.append("")
    z.append(
        "| Baseline a | sichtbar | visible() Seite 1 / Anzahl | get_objects_for_user | Faktor |"
    )
    z.append("|---|---:|---:|---:|---:|")
    for wer in ("gross", "klein"):
        g = r["guardian"][wer]
        z.append(
            f"| {r['benutzer'][wer]} | {g['sichtbar']} | {g['visible']['seite_1']['p50_ms']} / "
            f"{g['visible']['anzahl']['p50_ms']} | "
            f"{g['get_objects_for_user']['seite_1']['p50_ms']} / "
            f"{g['get_objects_for_user']['anzahl']['p50_ms']} | "
            f"{g['faktor_seite_1']} / {g['faktor_anzahl']} |"
        )
    z.append("")
    for titel, last in (
        ("", r.get("last")),
        (" mit Vorschlägen", r.get("vorschlaege", {}).get("last")),
    ):
        if not last:
            continue
        z.append(
            f"Baseline b{titel} (gunicorn, 2 Worker, wrk {last['verbindungen']} Verbindungen, "
            f"{last.get('dauer_s', 30)} s): Projektliste {last['liste']['rps']} Anfragen/s, "
            "triviale Ansicht "
            f"{last['trivial']['rps']} Anfragen/s, Verhältnis {last['verhaeltnis']}; Fehler "
            f"{last['liste']['fehler_non_2xx'] + last['liste']['fehler_socket']} / "
            f"{last['trivial']['fehler_non_2xx'] + last['trivial']['fehler_socket']}; "
            f"Spitzen-RSS je Worker {last['rss_mb_je_worker']} MB."
        )
    if "wachstum" in r:
        z += [
            "",
            "| Faktor | Liste S. 1 p95 | Liste S. 200 p95 | Suche häufig p95 "
            "| Suche 2 Wörter p95 | Queries |",
        ]
        z.append("|---|---:|---:|---:|---:|---|")
        for s, v in r["wachstum"].items():
            werte = [
                str(v.get(k, {}).get("p95_ms", "–"))
                for k in ("liste_seite_1", "liste_seite_200", "suche_haeufig", "suche_zwei_worte")
            ]
            q = "/".join(str(x.get("queries")) for x in v.values())
            z.append(f"| {s} | {' | '.join(werte)} | {q} |")
    z += ["", "| Ziel | Vorgabe | gemessen | Ergebnis |", "|---|---:|---:|---|"]
    for ziel in r["ziele"]:
        mark = {True: "erreicht", False: "**verfehlt**", None: "?"}[ziel["erreicht"]]
        z.append(f"| {ziel['name']} | {ziel['ziel']} | {ziel['wert']} | {mark} |")
    return "\n".join(z)


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(markdown(json.load(f)))
