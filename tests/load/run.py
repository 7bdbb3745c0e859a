"""Run the load test: `python -m tests.load.run [--kurz] [--scale 1] [--nutzer 50] [--dauer 5m]`.

Fills the load test's database with the benchmark's generator (LAST_DATABASE_URL, default
wv_last; emptied first), starts gunicorn (2 workers, as in the benchmark), a Celery worker and
beat against Redis, runs locust headless, samples the memory (RSS) of every server process,
stops everything, writes JSON and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.load import bericht, umgebung

AUS = umgebung.ROOT / "var" / "last"
BIN = Path(sys.executable).parent


# --- processes and their memory ----------------------------------------------------------------


def _kinder(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss_mb(pid: int) -> float | None:
    try:
        for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
            if zeile.startswith("VmRSS:"):
                return round(int(zeile.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class Speicher(threading.Thread):
    """Samples the RSS of gunicorn's workers, the Celery worker's processes and beat."""

    def __init__(self, prozesse: dict[str, subprocess.Popen], abstand: float):
        super().__init__(daemon=True)
        self.prozesse = prozesse
        self.abstand = abstand
        self.proben: list[dict] = []
        self.t0 = time.monotonic()
        self._halt = threading.Event()

    def probe(self, marke: str = "") -> dict:
        p = {"t_s": round(time.monotonic() - self.t0, 1), "last": os.getloadavg()}
        if marke:
            p["marke"] = marke
        g = self.prozesse["gunicorn"].pid
        c = self.prozesse["worker"].pid
        p["gunicorn_master"] = _rss_mb(g)
        p["gunicorn_worker"] = {str(k): _rss_mb(k) for k in _kinder(g)}
        p["celery_worker"] = _rss_mb(c)
        p["celery_pool"] = {str(k): _rss_mb(k) for k in _kinder(c)}
        if "beat" in self.prozesse:
            p["celery_beat"] = _rss_mb(self.prozesse["beat"].pid)
        self.proben.append(p)
        return p

    def run(self):
        while not self._halt.wait(self.abstand):
            self.probe()

    def halt(self):
        self._halt.set()


def _starten(name: str, befehl: list[str], env: dict) -> subprocess.Popen:
    log = open(AUS / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        befehl, cwd=umgebung.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )


def _stoppen(proc: subprocess.Popen, sekunden: int = 30) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=sekunden)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _warten_auf(url: str, sekunden: int = 60) -> dict:
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
                return json.loads(r.read())
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} antwortet nicht")


def _worker_bereit(sekunden: int = 60) -> None:
    from portal.celery import app

    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if app.control.ping(timeout=1.0):
            return
    raise SystemExit("Der Celery-Worker meldet sich nicht")


# --- what the run left in the database --------------------------------------------------------


def stand() -> dict:
    from kommunen.models import Freigabe
    from projekte.models import Projekt
    from wissen.models import Dokument, Ergebnis

    return {
        "projekt": Projekt.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "ergebnis": Ergebnis.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "dokument": Dokument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "freigabe": Freigabe.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }


def danach(vorher: dict, beginn: dt.datetime) -> dict:
    from django.db.models import Count

    from kommunen.models import Freigabe
    from projekte.models import Projekt
    from wissen.models import Dokument, Ergebnis

    extraktion = dict(
        Dokument.objects.filter(pk__gt=vorher["dokument"])
        .values_list("extraktion")
        .annotate(n=Count("pk"))
    )
    entschieden = dict(
        Freigabe.objects.filter(entschieden_am__gte=beginn)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {
        "projekte": Projekt.objects.filter(pk__gt=vorher["projekt"]).count(),
        "ergebnisse": Ergebnis.objects.filter(pk__gt=vorher["ergebnis"]).count(),
        "dokumente": sum(extraktion.values()),
        "extraktion": extraktion,
        "freigaben_beantragt": Freigabe.objects.filter(pk__gt=vorher["freigabe"]).count(),
        "entschieden": entschieden,
    }


# --- the run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--scale", type=float, default=None, help="Datenmenge (1 = Bayern; Standard 1, kurz 0.05)"
    )
    p.add_argument("--nutzer", type=int, default=50)
    p.add_argument("--spawn-rate", type=float, default=5)
    p.add_argument("--dauer", default="5m", help="Laufzeit für locust, z. B. 5m, 90s")
    p.add_argument("--kurz", action="store_true", help="Probelauf: 10 Benutzer, 60 s, Faktor 0.05")
    p.add_argument("--daten-behalten", action="store_true", help="vorhandene Daten weiter nutzen")
    p.add_argument("--worker", type=int, default=2, help="gunicorn-Worker (Benchmark: 2)")
    p.add_argument("--json", default="", help="Pfad der JSON-Ausgabe")
    args = p.parse_args(argv)
    if args.kurz:
        args.nutzer, args.dauer = min(args.nutzer, 10), "60s"
    if args.scale is None:
        args.scale = 0.05 if args.kurz else 1.0
    AUS.mkdir(parents=True, exist_ok=True)

    env = {**os.environ, **umgebung.einrichten(), "PYTHONPATH": str(umgebung.ROOT)}
    umgebung.django_starten()
    import redis
    from django.core.management import call_command
    from django.db import connections

    from tests.bench import daten
    from tests.load import konten

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    r: dict = {"scale": args.scale, "nutzer": args.nutzer, "spawn_rate": args.spawn_rate}
    r["dauer"] = args.dauer
    if args.daten_behalten:
        print("Daten: vorhandene weiter genutzt")
    else:
        print(f"Daten erzeugen: Faktor {args.scale}")
        welt = daten.erzeugen(args.scale)
        r["daten"] = {
            k: getattr(welt, k)
            for k in ("kommunen", "benutzer", "projekte", "ergebnisse", "freigaben")
        }
    admins = max(1, math.ceil(args.nutzer * 0.05))
    k = konten.auswaehlen(admins)
    r["konten"] = {x: k[x] for x in ("kommunen_mitarbeit", "kommunen_herausgabe", "offen_vorher")}
    konten_datei = AUS / "konten.json"
    konten_datei.write_text(json.dumps(k, ensure_ascii=False, indent=1), encoding="utf-8")
    vorher = stand()
    connections.close_all()
    for url in (umgebung.LAST_BROKER_URL, umgebung.LAST_CACHE_URL):
        redis.Redis.from_url(url).flushdb()  # the load test's own Redis databases

    port = _freier_port()
    basis = f"http://127.0.0.1:{port}"
    prozesse = {
        "gunicorn": _starten(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "portal.wsgi:application",
                "-w",
                str(args.worker),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],  # fmt: skip
            env,
        ),
        "worker": _starten(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "-n",
                f"last-{port}@%h",
            ],  # fmt: skip
            env,
        ),
        "beat": _starten(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(AUS / "celerybeat-schedule"),
            ],  # fmt: skip
            env,
        ),
    }
    r["gunicorn_worker"], r["celery_concurrency"] = args.worker, 2
    speicher = None
    try:
        r["healthz_vorher"] = _warten_auf(f"{basis}/healthz")
        _worker_bereit()
        time.sleep(3)  # gunicorn's workers and the pool's children have started
        speicher = Speicher(prozesse, abstand=10)
        speicher.probe("start")
        r["last_start"] = os.getloadavg()
        beginn = dt.datetime.now(dt.UTC)
        r["datum"] = beginn.strftime("%Y-%m-%d %H:%M UTC")
        speicher.start()
        prefix = AUS / "locust"
        mischung = AUS / "mischung.json"
        anfragen = AUS / "anfragen.json"
        for alt in (mischung, anfragen):
            alt.unlink(missing_ok=True)
        t_locust = time.time()
        print(f"locust: {args.nutzer} Benutzer, {args.dauer}, gegen {basis}")
        lauf = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(umgebung.ROOT / "tests" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.nutzer),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.dauer,
                "--host",
                basis,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            cwd=umgebung.ROOT,
            env={
                **env,
                "LAST_KONTEN": str(konten_datei),
                "LAST_NUTZER": str(args.nutzer),
                "LAST_MISCHUNG": str(mischung),
                "LAST_ANFRAGEN": str(anfragen),
            },
            check=False,
        )
        dauer_s = time.time() - t_locust
        speicher.halt()
        speicher.probe("ende")
        r["last_ende"] = os.getloadavg()
        r["locust_exit"] = lauf.returncode
        r["healthz_danach"] = _warten_auf(f"{basis}/healthz")
    finally:
        if speicher is not None:
            speicher.halt()
        for name in ("beat", "worker", "gunicorn"):
            _stoppen(prozesse[name])
    m = json.loads(mischung.read_text()) if mischung.exists() else {}
    r["mischung"] = m.get("klassen", {})
    r["mischung_text"] = ", ".join(
        f"{n} {titel}"
        for klasse, titel in (
            ("Mitarbeit", "Mitarbeit"),
            ("Herausgabe", "Herausgabe"),
            ("FreigabeAdmin", "Freigabe-Admin"),
        )
        if (n := r["mischung"].get(klasse))
    )
    r["alle_da_nach_s"] = round(m["alle_da"] - t_locust, 1) if "alle_da" in m else None
    r["seiten"] = bericht.seiten_zahlen(json.loads(anfragen.read_text()), m.get("alle_da"), dauer_s)
    r["locust"] = bericht.locust_zahlen(str(prefix))
    r["speicher_proben"] = speicher.proben
    r["speicher"] = bericht.speicher_zusammenfassen(speicher.proben, warm_s=60)
    r["last_max_1min"] = max(p["last"][0] for p in speicher.proben)
    r["danach"] = danach(vorher, beginn)
    r["maschine"] = {"kerne": os.cpu_count(), "python": sys.version.split()[0]}

    text = bericht.markdown(r)
    print()
    print(text)
    ziel = args.json or str(
        (AUS / f"ergebnisse-kurz-{beginn:%Y%m%d-%H%M}.json")
        if args.kurz
        else umgebung.ROOT / "tests" / "load" / f"ergebnisse-{beginn:%Y-%m-%d}.json"
    )
    with open(ziel, "w", encoding="utf-8") as f:
        json.dump(r, f, ensure_ascii=False, indent=1, default=str)
    print(f"\nJSON: {ziel}")
    return 0 if r["seiten"]["gesamt"]["fehler"] == 0 and lauf.returncode == 0 else 1


def _freier_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
