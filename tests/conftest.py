"""Shared fixtures: the Welt (three Kommunen, their Verbund, one user per role), clock, media."""

import copy
import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from common import aufgaben
from kommunen import sharing
from tests.factories import Welt


@pytest.fixture(scope="session", autouse=True)
def _statische_dateien(tmp_path_factory):
    """Manifest static files, as in production (whitenoise)."""
    call_command("collectstatic", "--noinput", "-v0")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A second database on the same server, named after the primary's test database (with
    xdist's worker suffix), for the replica tests (tests/portal/test_replikat.py).

    pytest-django creates a test database only for the aliases the collected tests ask for,
    so a run without those tests creates none. The router that would send reads there is
    installed by those tests alone: every other test keeps the one database.
    """
    from common.datenbanken import PRIMAER, REPLIKAT

    replikat = copy.deepcopy(settings.DATABASES[PRIMAER])
    replikat["TEST"]["NAME"] = f"{replikat['TEST']['NAME']}_replikat"
    # The same dict Django's connection handler reads (it filled in the defaults already).
    settings.DATABASES[REPLIKAT] = replikat


@pytest.fixture(autouse=True)
def _schneller_passwort_hasher(settings):
    # Production keeps Django's PBKDF2; tests create many users and need no key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _caches_leeren():
    aufgaben.pause_beenden()  # a broker failure of an earlier test pauses no queueing here
    sharing.clear_caches()
    cache.clear()  # a rolled-back test must not leave cached rows for the next one
    yield
    sharing.clear_caches()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def zeitreise(monkeypatch):
    """Move the clock forward: `zeitreise(dt.timedelta(days=1))` makes it tomorrow.

    django.utils.timezone.now is what localdate() and every default read, so the portal
    sees the new day everywhere, with no periodic task run in between.
    """
    from django.utils import timezone

    echt = timezone.now
    versatz = dt.timedelta()

    def jetzt():
        return echt() + versatz

    def reisen(um: dt.timedelta) -> None:
        nonlocal versatz
        versatz += um

    monkeypatch.setattr(timezone, "now", jetzt)
    return reisen


@pytest.fixture
def welt(db) -> Welt:
    return Welt()
