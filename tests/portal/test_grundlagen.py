"""Foundation: settings, seed, tenants and users, pages, health check, security baseline."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kommunen import services
from kommunen.models import Benutzer, Kommune, Rolle, Verbund

ROOT = Path(__file__).resolve().parents[2]
PASSWORT = "Geheim-Passwort-123"


def _settings_laden(**env) -> subprocess.CompletedProcess:
    umgebung = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")
    }
    umgebung.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.SECRET_KEY",
        ],
        cwd=ROOT,
        env={**umgebung, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_ohne_debug_kein_start_ohne_secret_key():
    result = _settings_laden(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY muss gesetzt sein" in result.stderr


def test_ohne_debug_kein_start_ohne_allowed_hosts():
    result = _settings_laden(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS muss gesetzt sein" in result.stderr


def test_debug_startet_mit_eingebetteten_standards():
    result = _settings_laden(DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_produktions_sicherheitseinstellungen(settings):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.LANGUAGE_CODE == "de" and settings.TIME_ZONE == "Europe/Berlin"
    assert settings.MEDIA_ROOT != settings.STATIC_ROOT
    assert "whitenoise" in settings.STORAGES["staticfiles"]["BACKEND"].lower()


@pytest.mark.django_db
def test_seed_ist_idempotent():
    call_command("seed", verbosity=0)
    gruppen = Group.objects.count()
    call_command("seed", verbosity=0)
    assert Kommune.objects.count() == 3
    assert Verbund.objects.count() == 1
    assert Group.objects.count() == gruppen
    assert set(Kommune.objects.values_list("ags", flat=True)) == {
        "09564000",
        "09761000",
        "09162000",
    }
    verbund = Verbund.objects.get()
    assert verbund.name == "Kooperationsbündnis Nürnberg–Augsburg–München"
    assert (verbund.vereinbarung_datum.month, verbund.vereinbarung_datum.day) == (7, 16)
    assert verbund.mitglieder.count() == 3


@pytest.mark.django_db
def test_seed_demo_ohne_debug_verweigert():
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed", "--demo", verbosity=0)
    assert not Benutzer.objects.filter(username="nuernberg-admin").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("ags", ["0956400", "0956400a", "ABCDEFGH", "095640001", ""])
def test_ags_ungueltig(ags):
    with pytest.raises(ValidationError) as exc:
        services.kommune_anlegen(name="Irgendwo", slug="irgendwo", ags=ags)
    assert "ags" in exc.value.message_dict
    assert not Kommune.objects.filter(slug="irgendwo").exists()
    assert not Group.objects.filter(name__startswith="kommune:irgendwo").exists()


@pytest.mark.django_db
def test_ags_doppelt():
    services.kommune_anlegen(name="Fürth", slug="fuerth", ags="09563000")
    with pytest.raises(ValidationError) as exc:
        services.kommune_anlegen(name="Fürth 2", slug="fuerth-2", ags="09563000")
    assert "ags" in exc.value.message_dict
    assert Kommune.objects.filter(ags="09563000").count() == 1


@pytest.mark.django_db
def test_ags_constraint_in_der_datenbank():
    k = services.kommune_anlegen(name="Erlangen", slug="erlangen", ags="09562000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Kommune.objects.filter(pk=k.pk).update(ags="1234567x")


def test_unbekannte_rolle(welt):
    with pytest.raises(ValidationError) as exc:
        services.benutzer_anlegen(username="x", kommune=welt.augsburg, rolle="chef")
    assert "rolle" in exc.value.message_dict
    assert not Benutzer.objects.filter(username="x").exists()


def test_stadtbenutzer_ohne_kommune(welt):
    with pytest.raises(ValidationError) as exc:
        services.benutzer_anlegen(username="y", kommune=None, rolle=Rolle.MITARBEIT)
    assert not Benutzer.objects.filter(username="y").exists()
    with pytest.raises(ValidationError) as exc:
        services.benutzer_anlegen(username="y", kommune=None, rolle="")
    assert "Kommune" in " ".join(exc.value.messages)
    # The database refuses it too, whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Benutzer.objects.create(username="z", rolle="")


def test_betrieb_ohne_kommune_erlaubt(welt):
    user = services.benutzer_anlegen(username="op", kommune=None, rolle="", is_staff=True)
    assert user.kommune is None


def test_rolle_ist_gruppenmitgliedschaft_und_folgt_aenderungen(welt):
    user = welt.user("augsburg", Rolle.MITARBEIT)
    gruppen = set(user.groups.values_list("name", flat=True))
    assert "kommune:augsburg:mitglieder" in gruppen
    assert "kommune:augsburg:mitarbeit" in gruppen
    assert "verbund:kooperationsbuendnis-nam" in gruppen
    user.rolle = Rolle.FREIGABE_ADMIN
    services.benutzer_speichern(user=user)
    gruppen = set(user.groups.values_list("name", flat=True))
    assert "kommune:augsburg:freigabe_admin" in gruppen
    assert "kommune:augsburg:mitarbeit" not in gruppen
    user.kommune = welt.regensburg
    services.benutzer_speichern(user=user)
    gruppen = set(user.groups.values_list("name", flat=True))
    assert "kommune:regensburg:freigabe_admin" in gruppen
    assert not any(g.startswith("kommune:augsburg") for g in gruppen)
    assert "verbund:kooperationsbuendnis-nam" not in gruppen


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["start", "login", "impressum", "datenschutz", "barrierefreiheit"])
def test_oeffentliche_seiten(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and '<main id="inhalt"' in html
    assert "<nav" in html and "<footer" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_barrierefreiheit_nennt_feedbackadresse(client, settings):
    html = client.get(reverse("barrierefreiheit")).content.decode()
    assert f"mailto:{settings.PORTAL_KONTAKT_EMAIL}" in html


@pytest.mark.parametrize("rolle", list(Rolle.values))
@pytest.mark.parametrize("slug", ["nuernberg", "augsburg", "muenchen"])
def test_startseite_je_rolle(client, welt, slug, rolle):
    client.force_login(welt.user(slug, rolle))
    html = client.get(reverse("start")).content.decode()
    assert Kommune.objects.get(slug=slug).name in html
    assert ("Zu entscheiden" in html) == (rolle == Rolle.FREIGABE_ADMIN)


def test_anmeldung_und_abmeldung(client, welt):
    response = client.post(
        reverse("login"), {"username": "augsburg-mitarbeit", "password": PASSWORT}
    )
    assert response.status_code == 302
    assert client.get(reverse("start")).context["user"].username == "augsburg-mitarbeit"
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not client.get(reverse("start")).context["user"].is_authenticated


def test_falsche_anmeldung_verraet_nichts(client, welt):
    falsch_pw = client.post(
        reverse("login"), {"username": "augsburg-mitarbeit", "password": "falsch"}
    )
    unbekannt = client.post(reverse("login"), {"username": "gibt-es-nicht", "password": "falsch"})
    assert falsch_pw.status_code == unbekannt.status_code == 200
    meldung = "Anmeldung fehlgeschlagen. Bitte prüfen Sie Benutzername und Passwort."
    assert meldung in falsch_pw.content.decode()
    assert meldung in unbekannt.content.decode()


def test_anmeldung_wird_gedrosselt(client, welt, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "augsburg-admin", "password": "falsch"})
    gesperrt = client.post(reverse("login"), {"username": "augsburg-admin", "password": PASSWORT})
    assert gesperrt.status_code == 429
    assert "vorübergehend gesperrt" in gesperrt.content.decode()
    # Another account from the same address is not locked by these failures.
    ok = client.post(reverse("login"), {"username": "augsburg-mitarbeit", "password": PASSWORT})
    assert ok.status_code == 302


def test_inaktive_kommune_kann_sich_nicht_anmelden(client, welt):
    Kommune.objects.filter(pk=welt.augsburg.pk).update(aktiv=False)
    response = client.post(
        reverse("login"), {"username": "augsburg-mitarbeit", "password": PASSWORT}
    )
    assert response.status_code == 200
    assert "Anmeldung fehlgeschlagen" in response.content.decode()


@pytest.mark.django_db
def test_404_deutsch_ohne_details(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nicht gefunden" in html and "Traceback" not in html and "urlpatterns" not in html


@pytest.mark.django_db
def test_500_deutsch_ohne_stacktrace(client, monkeypatch):
    import portal.views.seiten

    def kaputt(*args, **kwargs):
        raise RuntimeError("geheimes Detail")

    monkeypatch.setattr(portal.views.seiten.projekte_selectors, "projekte_sichtbar", kaputt)
    client.raise_request_exception = False
    response = client.get(reverse("start"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in html
    assert "geheimes Detail" not in html and "Traceback" not in html


# --- health check ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok" and data["cache"] == "ok" and data["broker"] == "eager"
    assert data["status"] == "ok" and data["probleme"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("broker", "erwartet"),
    [("redis://127.0.0.1:6379/9", "ok"), ("redis://127.0.0.1:1/9", "error")],
)
def test_healthz_meldet_broker(client, settings, monkeypatch, broker, erwartet):
    from portal.celery import app

    settings.CELERY_BROKER_URL = broker
    monkeypatch.setattr(app.conf, "broker_url", broker)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == erwartet
    # The broker is away: the web stays in service (200), monitoring sees "eingeschraenkt".
    if erwartet == "error":
        assert response.json()["status"] == "eingeschraenkt"
        assert "broker" in response.json()["probleme"]


@pytest.mark.django_db
def test_beat_laeuft_nach_crontab():
    from celery.schedules import crontab
    from django.conf import settings

    plan = settings.CELERY_BEAT_SCHEDULE
    assert all(isinstance(e["schedule"], crontab) for e in plan.values())
    assert "kommunen.tasks.freigaben_ablaufen" in {e["task"] for e in plan.values()}


@pytest.mark.django_db
def test_healthz_meldet_letzten_lauf_des_beat(client, zeitreise):
    import datetime as dt

    from kommunen import tasks

    assert client.get("/healthz").json()["beat"] == {"zustand": "nie", "zuletzt": {}}
    tasks.freigaben_ablaufen.delay().get()  # eager: the same signal as in a worker
    tasks.ablauf_erinnern.delay().get()
    beat = client.get("/healthz").json()["beat"]
    assert beat["zustand"] == "ok"
    assert set(beat["zuletzt"]) == {
        "kommunen.tasks.freigaben_ablaufen",
        "kommunen.tasks.ablauf_erinnern",
    }
    zeitreise(dt.timedelta(hours=3))
    response = client.get("/healthz")
    assert response.status_code == 200  # late beat is reported, the web stays in service
    assert response.json()["beat"]["zustand"] == "verspaetet"
    tasks.freigaben_ablaufen.delay().get()
    assert client.get("/healthz").json()["beat"]["zustand"] == "ok"


@pytest.mark.django_db
def test_healthz_503_ohne_datenbank(client, monkeypatch):
    from django.db import connection

    def kaputt(*args, **kwargs):
        raise OSError("Datenbank weg")

    monkeypatch.setattr(connection, "cursor", kaputt)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


# --- operator admin --------------------------------------------------------------------------


@pytest.fixture
def betrieb(welt):
    user = services.benutzer_anlegen(
        username="betrieb", kommune=None, rolle="", password=PASSWORT, is_staff=True
    )
    user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/betrieb/kommunen/kommune/",
        "/betrieb/kommunen/verbund/",
        "/betrieb/kommunen/benutzer/",
        "/betrieb/kommunen/protokoll/",
        "/betrieb/kommunen/freigabe/",
        "/betrieb/kommunen/kommune/add/",
        "/betrieb/kommunen/benutzer/add/",
    ],
)
def test_admin_seiten_fuer_betrieb(client, betrieb, url):
    client.force_login(betrieb)
    assert client.get(url).status_code == 200


def test_admin_nicht_fuer_stadtbenutzer(client, welt):
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    response = client.get("/betrieb/kommunen/kommune/")
    assert response.status_code == 302
    assert "/betrieb/login/" in response.headers["Location"]


def test_admin_legt_kommune_mit_gruppen_an(client, betrieb):
    client.force_login(betrieb)
    response = client.post(
        "/betrieb/kommunen/kommune/add/",
        {"name": "Würzburg", "slug": "wuerzburg", "ags": "09663000", "aktiv": "on"},
    )
    assert response.status_code == 302
    k = Kommune.objects.get(slug="wuerzburg")
    assert k.gruppe_mitglieder.name == "kommune:wuerzburg:mitglieder"


def test_admin_verweigert_falschen_ags(client, betrieb):
    client.force_login(betrieb)
    response = client.post(
        "/betrieb/kommunen/kommune/add/", {"name": "X", "slug": "x", "ags": "123", "aktiv": "on"}
    )
    assert response.status_code == 200
    assert "genau 8 Ziffern" in response.content.decode()
    assert not Kommune.objects.filter(slug="x").exists()


def test_admin_rollenwechsel_geht_durch_den_service(client, betrieb, welt):
    user = welt.user("nuernberg", Rolle.MITARBEIT)
    client.force_login(betrieb)
    url = f"/betrieb/kommunen/benutzer/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)
    }
    data.update(
        {
            "username": user.username,
            "kommune": welt.nuernberg.pk,
            "rolle": Rolle.HERAUSGABE,
            "benachrichtigung": "sofort",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.rolle == Rolle.HERAUSGABE
    assert user.groups.filter(name="kommune:nuernberg:herausgabe").exists()
    assert not user.groups.filter(name="kommune:nuernberg:mitarbeit").exists()


def test_admin_verweigert_stadtbenutzer_ohne_kommune(client, betrieb, welt):
    client.force_login(betrieb)
    response = client.post(
        "/betrieb/kommunen/benutzer/add/",
        {
            "username": "neu",
            "password1": "Sehr-Langes-Passwort-9",
            "password2": "Sehr-Langes-Passwort-9",
            "kommune": "",
            "rolle": Rolle.MITARBEIT,
            "email": "neu@example.org",
        },
    )
    assert response.status_code == 200
    assert not Benutzer.objects.filter(username="neu").exists()


def test_protokoll_im_admin_nur_lesbar(client, betrieb, welt):
    client.force_login(betrieb)
    assert client.get("/betrieb/kommunen/protokoll/add/").status_code == 403


def test_suchindex_befehl_baut_vektoren_neu(welt):
    from projekte.models import Projekt
    from tests.factories import projekt_anlegen

    p = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE), titel="Glasfaser")
    Projekt.objects.filter(pk=p.pk).update(suchvektor=None, gruppen_sehen=[])
    call_command("suchindex", verbosity=0)
    assert Projekt.objects.filter(pk=p.pk, suchvektor__isnull=False).exists()
    assert Projekt.objects.get(pk=p.pk).gruppen_sehen == [welt.muenchen.gruppe_mitglieder_id]


@pytest.mark.django_db
def test_deutsch_auch_bei_englischem_browser_englisch_nach_wahl(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="de">' in html and "Anmelden" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/anmelden/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html and "Log in" in html
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_healthz_ohne_tabelle_der_laeufe_antwortet(client, monkeypatch):
    """A database that is not migrated yet (the image's first start) still answers 200."""
    from django.db import ProgrammingError

    from kommunen import selectors

    def fehlt(**kwargs):
        raise ProgrammingError('relation "kommunen_aufgabenlauf" does not exist')

    monkeypatch.setattr(selectors, "beat_zustand", fehlt)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["beat"]["zustand"] == "unbekannt"


@pytest.mark.django_db
@pytest.mark.parametrize("sprache", ["de", "en"])
def test_sprachmenue_nennt_jede_sprache_in_ihr_selbst(client, sprache):
    client.post(reverse("set_language"), {"language": sprache, "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert '<option value="de" lang="de"' in html and ">Deutsch</option>" in html
    assert '<option value="en" lang="en"' in html and ">English</option>" in html
    assert "Englisch" not in html


@pytest.mark.django_db
def test_robots_txt_haelt_suchmaschinen_von_arbeitsseiten_fern(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/plain")
    zeilen = r.content.decode().splitlines()
    assert zeilen[0] == "User-agent: *"
    for url in ("/betrieb/", "/anmelden/", "/suche/", "/protokoll/", "/i18n/setlang/"):
        assert f"Disallow: {url}" in zeilen
    assert "Disallow: /" not in zeilen  # public pages stay open to visitors and crawlers
    assert client.post("/robots.txt").status_code == 405


@pytest.mark.django_db
def test_admin_traegt_den_namen_des_portals(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert "Wissensverbund" in html
    assert "Django-Administration" not in html and "Django administration" not in html


@pytest.mark.django_db
def test_admin_auf_englisch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Wissensverbund – Operations" in client.get(reverse("admin:login")).content.decode()


@pytest.mark.django_db
def test_startseite_gruesst_mit_dem_namen(client, welt):
    u = welt.user("augsburg")
    u.first_name, u.last_name = "Anna", "Amsel"
    u.save()
    client.force_login(u)
    assert "Willkommen, Anna Amsel (Augsburg)." in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome, Anna Amsel (Augsburg)." in client.get("/").content.decode()
