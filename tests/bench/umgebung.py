"""The benchmark's environment: set before Django starts, like tests/umgebung.py.

DATABASE_URL always points at the benchmark database (BENCH_DATABASE_URL, default wv_bench):
the generator truncates its tables, so it must never run against a working database.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wv_bench"
)
# The shared cache as in operation (compose.yaml): Redis, a database of its own; emptied at
# the start of every run.
BENCH_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")


def einrichten() -> dict[str, str]:
    """Set the variables (DEBUG off, as in production) and return them for subprocesses."""
    werte = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "CACHE_URL": BENCH_CACHE_URL,
        "SECRET_KEY": "bench-nur-fuer-messungen-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_BROKER_URL": "",
    }
    os.environ.update(werte)
    for key, value in {
        "STATIC_ROOT": str(ROOT / "var" / "static-bench"),
        "MEDIA_ROOT": str(ROOT / "var" / "media-bench"),
    }.items():
        os.environ.setdefault(key, value)
    return {k: os.environ[k] for k in (*werte, "STATIC_ROOT", "MEDIA_ROOT")}


def django_starten() -> None:
    """Environment, django.setup(), and the benchmark's URLconf (portal.urls plus /bench/)."""
    einrichten()
    import django
    from django.conf import settings

    django.setup()
    # Set at runtime so portal/settings.py stays untouched; only this process is affected.
    settings.ROOT_URLCONF = "tests.bench.urls"
