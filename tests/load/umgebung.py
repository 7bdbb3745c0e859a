"""The load test's environment: the benchmark's (DEBUG off) plus a real broker and cache.

Its own database (LAST_DATABASE_URL, default wv_last; the generator empties it) and its own
Redis databases (broker 12, cache 13), so that a test run on the same machine is not touched.
"""

from __future__ import annotations

import os

from tests.bench import umgebung as bench

ROOT = bench.ROOT
LAST_DATABASE_URL = os.environ.get(
    "LAST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wv_last"
)
LAST_BROKER_URL = os.environ.get("LAST_BROKER_URL", "redis://127.0.0.1:6379/12")
LAST_CACHE_URL = os.environ.get("LAST_CACHE_URL", "redis://127.0.0.1:6379/13")


def einrichten() -> dict[str, str]:
    """Set the variables for this process and return them for gunicorn, worker and beat."""
    os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "static-last"))
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "media-last"))
    werte = bench.einrichten()
    werte.update(
        {
            "DATABASE_URL": LAST_DATABASE_URL,
            "CELERY_BROKER_URL": LAST_BROKER_URL,
            "CELERY_RESULT_BACKEND": LAST_BROKER_URL,
            "CACHE_URL": LAST_CACHE_URL,
            # Mails are delivered (the outbox marks them sent) into nothing: no SMTP server here,
            # and the in-memory backend would grow the worker's memory with every mail.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
    )
    os.environ.update(werte)
    return werte


def django_starten() -> None:
    einrichten()
    import django

    django.setup()
