"""Real processes for the fault tests: a PostgreSQL of their own, Celery workers, gunicorn.

The shared PostgreSQL and Redis on 127.0.0.1 serve every test; a test that stops a database
starts its own instance here, so that no other test feels the fault.
"""

import contextlib
import glob
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def warten_bis(bedingung, sekunden: float, schritt: float = 0.1) -> bool:
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if bedingung():
            return True
        time.sleep(schritt)
    return False


def datenbank_url() -> str:
    """The URL of the database this test runs on (pytest-django's test database)."""
    d = connection.settings_dict
    nutzer, host, port = d["USER"] or "postgres", d["HOST"] or "127.0.0.1", d["PORT"] or 5432
    return f"postgres://{nutzer}@{host}:{port}/{d['NAME']}"


def manage(*args, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    """`python manage.py …` as a process of its own, with `env` as its whole environment."""
    return subprocess.run(
        [PYTHON, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def einstellungen_lesen(code: str, env: dict[str, str], ohne=lambda name: False):
    """Run `code` in a fresh interpreter with portal.settings loaded from `env` over this
    process's environment (less the variables `ohne` names): what the settings make of it."""
    umgebung = {k: v for k, v in os.environ.items() if not ohne(k)}
    umgebung.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**umgebung, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def sqlite_demo_umgebung(ordner: Path) -> dict[str, str]:
    """The environment of the embedded default (SQLite in `ordner`, tasks in-process)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{ordner / 'demo.sqlite3'}",
        MEDIA_ROOT=str(ordner / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def umgebung(**werte: str) -> dict[str, str]:
    """The environment of a child process: this test process's, with `werte` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        {
            "DATABASE_URL": datenbank_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_BROKER_URL": "",
            "CACHE_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(werte)
    return env


class Prozess:
    """A child process in a process group of its own, so that a kill reaches its children."""

    def __init__(self, befehl: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._datei = open(log, "ab")  # noqa: SIM115 - closed in beenden()
        self.popen = subprocess.Popen(
            befehl,
            cwd=ROOT,
            env=env,
            stdout=self._datei,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def toeten(self) -> None:
        """SIGKILL to the whole group: the main process and every pool child, no clean-up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def beenden(self) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.toeten()
        self._datei.close()

    def ausgabe(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def celery_worker(log: Path, **env: str):
    """A real `celery worker` (prefork, one child) as its own process."""
    p = Prozess(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--hostname=w{time.monotonic_ns()}@%h",
        ],
        umgebung(**env),
        log,
    )
    try:
        if not warten_bis(lambda: "ready." in p.ausgabe() or p.popen.poll() is not None, 60):
            raise RuntimeError(f"Worker nicht bereit:\n{p.ausgabe()[-3000:]}")
        if p.popen.poll() is not None:
            raise RuntimeError(f"Worker beendet:\n{p.ausgabe()[-3000:]}")
        yield p
    finally:
        p.beenden()


@contextlib.contextmanager
def gunicorn(log: Path, **env: str):
    """The portal under gunicorn (as in the Dockerfile), on a free port."""
    port = freier_port()
    p = Prozess(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "30",
        ],
        umgebung(**env),
        log,
    )
    try:
        if not warten_bis(lambda: _antwortet(port) or p.popen.poll() is not None, 60, 0.2):
            raise RuntimeError(f"gunicorn nicht bereit:\n{p.ausgabe()[-3000:]}")
        yield HttpKlient(port)
    finally:
        p.beenden()


def _antwortet(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Antwort:
    status: int
    text: str
    kopf: dict[str, str]


@dataclass
class HttpKlient:
    """A browser's requests, as behind the TLS proxy: cookies kept, CSRF token sent."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def anfrage(self, methode: str, pfad: str, daten: dict | None = None) -> Antwort:
        from urllib.parse import urlencode

        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        kopf = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if daten is not None:
            body = urlencode(daten)
            kopf["Content-Type"] = "application/x-www-form-urlencoded"
            kopf["Origin"] = f"https://127.0.0.1:{self.port}"
            kopf["Referer"] = f"https://127.0.0.1:{self.port}{pfad}"
            if "csrftoken" in self.cookies:
                kopf["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            c.request(methode, pfad, body=body, headers=kopf)
            r = c.getresponse()
            text = r.read().decode("utf-8", "replace")
            for name, wert in r.getheaders():
                if name.lower() == "set-cookie":
                    k, _, rest = wert.partition("=")
                    self.cookies[k.strip()] = rest.split(";", 1)[0]
            return Antwort(r.status, text, {k.lower(): v for k, v in r.getheaders()})
        finally:
            c.close()

    def csrf_holen(self, pfad: str) -> str:
        r = self.anfrage("GET", pfad)
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text)
        return m.group(1) if m else ""


# --- a PostgreSQL instance of the test's own -------------------------------------------------


def _pg_bin(name: str) -> str:
    treffer = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not treffer or not treffer[-1]:
        raise RuntimeError(f"{name} nicht gefunden (PostgreSQL-Server-Pakete)")
    return treffer[-1]


def _als_postgres(befehl: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; the Debian package's user runs them.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *befehl]
    return befehl


@dataclass
class PostgreSQL:
    verzeichnis: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/wv"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _als_postgres([_pg_bin("pg_ctl"), "-D", str(self.verzeichnis / "daten"), *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def starten(self) -> None:
        optionen = f"-p {self.port} -k {self.verzeichnis} -c listen_addresses=127.0.0.1"
        self._ctl("-o", optionen, "-l", str(self.verzeichnis / "server.log"), "-w", "start")

    def stoppen(self) -> None:
        # "fast": every session is ended at once, open transactions are rolled back.
        self._ctl("-m", "fast", "-w", "stop")


@contextlib.contextmanager
def eigene_postgresql():
    """initdb, start on a free port, create database `wv` with this test database's content."""
    verzeichnis = Path(tempfile.mkdtemp(prefix="wv-pg-"))
    if os.geteuid() == 0:
        shutil.chown(verzeichnis, "postgres", "postgres")
    pg = PostgreSQL(verzeichnis, freier_port())
    subprocess.run(
        _als_postgres(
            [
                _pg_bin("initdb"),
                "-D",
                str(verzeichnis / "daten"),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    pg.starten()
    try:
        subprocess.run(
            [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "wv"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        dump = subprocess.run(
            [_pg_bin("pg_dump"), "--no-owner", "--no-privileges", datenbank_url()],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", pg.url],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield pg
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            pg._ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(verzeichnis, ignore_errors=True)


# --- a Redis of the test's own ----------------------------------------------------------------


@dataclass
class Redis:
    """redis-server on a free port, without persistence: killed, it loses every queued message."""

    verzeichnis: Path
    port: int
    prozess: Prozess | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def starten(self) -> None:
        self.prozess = Prozess(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.verzeichnis),
            ],
            dict(os.environ),
            self.verzeichnis / "redis.log",
        )
        if not warten_bis(lambda: _antwortet(self.port), 20):
            raise RuntimeError(f"redis-server nicht bereit:\n{self.prozess.ausgabe()[-2000:]}")

    def toeten(self) -> None:
        if self.prozess is not None:
            self.prozess.toeten()
            self.prozess.beenden()
            self.prozess = None


@contextlib.contextmanager
def eigene_redis():
    r = Redis(Path(tempfile.mkdtemp(prefix="wv-redis-")), freier_port())
    r.starten()
    try:
        yield r
    finally:
        r.toeten()
        shutil.rmtree(r.verzeichnis, ignore_errors=True)
