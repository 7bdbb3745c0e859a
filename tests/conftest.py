"""Shared fixtures: the three Kommunen, their Verbund, one user per role, factories."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kommunen import services, sharing
from kommunen.models import Kommune, Rolle, Verbund

ROLLEN = (Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN)
_nr = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _statische_dateien(tmp_path_factory):
    """Manifest static files, as in production (whitenoise)."""
    call_command("collectstatic", "--noinput", "-v0")


@pytest.fixture(autouse=True)
def _schneller_passwort_hasher(settings):
    # Production keeps Django's PBKDF2; tests create many users and need no key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _caches_leeren():
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


class Welt:
    """Nürnberg, Augsburg, München in their Verbund, plus Regensburg outside it."""

    def __init__(self):
        call_command("seed", verbosity=0)
        self.nuernberg = Kommune.objects.get(slug="nuernberg")
        self.augsburg = Kommune.objects.get(slug="augsburg")
        self.muenchen = Kommune.objects.get(slug="muenchen")
        self.regensburg = services.kommune_anlegen(
            name="Regensburg", slug="regensburg", ags="09362000"
        )
        self.verbund = Verbund.objects.get()
        self.users = {}
        for kommune in (self.nuernberg, self.augsburg, self.muenchen, self.regensburg):
            for rolle in ROLLEN:
                self.users[(kommune.slug, rolle)] = services.benutzer_anlegen(
                    username=f"{kommune.slug}-{rolle}",
                    kommune=kommune,
                    rolle=rolle,
                    password="Geheim-Passwort-123",
                    email=f"{kommune.slug}-{rolle}@example.org",
                )

    def user(self, slug: str, rolle: str = Rolle.MITARBEIT):
        user = self.users[(slug, rolle)]
        sharing.forget(user)
        return user


@pytest.fixture
def welt(db) -> Welt:
    return Welt()


def projekt_anlegen(kommune, user, **legal):
    from projekte.models import Projekt

    defaults = {
        "einstufung": "intern",
        "personenbezug": "keiner",
        "nutzungsrechte": "eigene",
        "vergabebezug": "keiner",
        "gremienstatus": "nicht_befasst",
    }
    defaults.update(legal)
    projekt = Projekt.objects.create(
        kommune=kommune,
        erstellt_von=user,
        titel=defaults.pop("titel", f"Projekt {next(_nr)}"),
        zusammenfassung="Zusammenfassung",
        **defaults,
    )
    sharing.sync_permissions(projekt)
    return projekt


def ergebnis_anlegen(kommune, user, **legal):
    from wissen.models import Ergebnis

    defaults = {"einstufung": "intern", "personenbezug": "keiner", "nutzungsrechte": "eigene"}
    defaults.update(legal)
    ergebnis = Ergebnis.objects.create(
        kommune=kommune,
        erstellt_von=user,
        titel=defaults.pop("titel", f"Ergebnis {next(_nr)}"),
        zusammenfassung="Zusammenfassung",
        **defaults,
    )
    sharing.sync_permissions(ergebnis)
    return ergebnis


HEUTE = dt.date.today
