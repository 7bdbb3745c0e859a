"""Loaded with `-p tests.umgebung` before Django starts: the test environment's variables.

Tests run as production does (DEBUG off, PostgreSQL, manifest static files); only what a
test machine cannot have (TLS, a real secret) is set here. Variables already set win.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

for key, value in {
    "SECRET_KEY": "test-nur-fuer-tests-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wissensverbund",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": str(ROOT / "var" / "test-static"),
    "MEDIA_ROOT": str(ROOT / "var" / "test-media"),
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}.items():
    os.environ.setdefault(key, value)
# One database, as the embedded default: the replica tests bring their own second database
# (tests/conftest.py) and install the router themselves, whatever the shell has set.
os.environ.pop("DATABASE_REPLICA_URL", None)

# With pytest-xdist every worker collects static files into a folder of its own, so that one
# worker's collectstatic never rewrites files another worker is serving.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["STATIC_ROOT"] = f"{os.environ['STATIC_ROOT']}-{_worker}"
