"""Password reset by mail: a working link, the same answer for every address, no mail for
accounts that may not sign in, rate limits, and pages that crawlers leave alone."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from kommunen.models import Kommune
from tests.factories import PASSWORT

VERGESSEN = "/konto/passwort/vergessen/"
NEU = "Neues-Passwort-2026!"


def _anfordern(client, adresse):
    return client.post(reverse("passwort_vergessen"), {"email": adresse})


def _link(nachricht) -> str:
    return re.search(r"https?://testserver(/konto/passwort/neu/\S+/)", nachricht.body)[1]


def _anmelden(client, username, password) -> bool:
    antwort = client.post(reverse("login"), {"username": username, "password": password})
    client.logout()
    return antwort.status_code == 302


def test_link_per_mail_setzt_ein_neues_passwort(client, welt):
    user = welt.user("augsburg", "mitarbeit")
    assert reverse("passwort_vergessen") == VERGESSEN
    r = _anfordern(client, user.email.upper())  # the address as typed, in any case
    assert r.status_code == 302 and r["Location"] == reverse("passwort_vergessen_gesendet")
    assert len(mail.outbox) == 1
    nachricht = mail.outbox[0]
    assert nachricht.to == [user.email]
    assert nachricht.subject == "Wissensverbund: Neues Passwort festlegen"
    assert "im Wissensverbund" in nachricht.body
    assert "Der Link gilt 2 Stunden und nur einmal." in nachricht.body
    assert f"Ihr Benutzername: {user.username}" in nachricht.body
    assert "&#x27;" not in nachricht.body and "&amp;" not in nachricht.body

    # Django moves the token out of the address before showing the form.
    r = client.get(_link(nachricht), follow=True)
    assert r.status_code == 200 and r.context["validlink"]
    formular = r.redirect_chain[-1][0]
    assert "set-password" in formular
    html = r.content.decode()
    assert 'autocomplete="new-password"' in html and 'id="passwort-regeln"' in html

    r = client.post(formular, {"new_password1": "kurz", "new_password2": "kurz"})
    assert r.status_code == 200 and 'aria-invalid="true"' in r.content.decode()
    r = client.post(formular, {"new_password1": NEU, "new_password2": NEU})
    assert r.status_code == 302 and r["Location"] == reverse("passwort_neu_gesetzt")
    assert "Passwort gespeichert" in client.get(r["Location"]).content.decode()

    assert _anmelden(client, user.username, NEU)
    assert not _anmelden(client, user.username, PASSWORT)
    # The link works once.
    assert not client.get(_link(nachricht), follow=True).context["validlink"]


def test_unbekannte_adresse_gleiche_antwort_keine_mail(client, welt):
    bekannt = _anfordern(client, welt.user("augsburg", "mitarbeit").email)
    unbekannt = _anfordern(client, "niemand@example.org")
    assert unbekannt.status_code == bekannt.status_code == 302
    assert unbekannt["Location"] == bekannt["Location"]
    assert len(mail.outbox) == 1
    seite = client.get(unbekannt["Location"]).content.decode()
    assert "Gehört die Adresse zu einem Konto in diesem Portal" in seite
    assert "Der Link gilt 2 Stunden." in seite


def test_ungueltige_adresse_deutsche_meldung_am_feld(client, db):
    r = _anfordern(client, "keine-adresse")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="id_email_fehler"' in html and 'aria-describedby="id_email_fehler"' in html
    assert "gültige E-Mail-Adresse" in html
    assert not mail.outbox


def test_deaktiviertes_konto_bekommt_keine_mail(client, welt):
    user = welt.user("augsburg", "mitarbeit")
    user.is_active = False
    user.save(update_fields=["is_active"])
    r = _anfordern(client, user.email)
    assert r.status_code == 302 and r["Location"] == reverse("passwort_vergessen_gesendet")
    assert not mail.outbox


def test_konto_einer_deaktivierten_kommune_bekommt_keine_mail(client, welt):
    user = welt.user("augsburg", "herausgabe")
    _anfordern(client, user.email)
    assert len(mail.outbox) == 1
    Kommune.objects.filter(pk=user.kommune_id).update(aktiv=False)
    _anfordern(client, user.email)
    assert len(mail.outbox) == 1
    # A link sent before the Kommune was deactivated opens nothing either.
    r = client.get(_link(mail.outbox[0]), follow=True)
    assert not r.context["validlink"]
    assert "Dieser Link ist ungültig" in r.content.decode()


def test_hoechstzahl_je_adresse_gleiche_antwort(client, welt, settings):
    settings.PASSWORT_MAILS_JE_ADRESSE = 2
    adresse = welt.user("augsburg", "mitarbeit").email
    antworten = [_anfordern(client, adresse) for _ in range(4)]
    assert {(a.status_code, a["Location"]) for a in antworten} == {
        (302, reverse("passwort_vergessen_gesendet"))
    }
    assert len(mail.outbox) == 2
    # Another address is counted on its own.
    _anfordern(client, welt.user("augsburg", "herausgabe").email)
    assert len(mail.outbox) == 3


def test_hoechstzahl_je_client(client, welt, settings):
    settings.PASSWORT_ANFRAGEN_JE_CLIENT = 2
    _anfordern(client, "a@example.org")
    _anfordern(client, "b@example.org")
    r = _anfordern(client, welt.user("augsburg", "mitarbeit").email)
    assert r.status_code == 429
    assert "Zu viele Anfragen" in r.content.decode()
    assert not mail.outbox
    # Another client is not affected.
    r = client.post(VERGESSEN, {"email": "c@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_gueltigkeit_aus_den_einstellungen(client, welt, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60
    _anfordern(client, welt.user("augsburg", "mitarbeit").email)
    assert "Der Link gilt 1 Stunde und nur einmal." in mail.outbox[0].body


@pytest.mark.django_db
def test_seiten_oeffentlich_unter_csp_nicht_im_cache_nicht_fuer_suchmaschinen(client):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{VERGESSEN}"' in login and "Passwort vergessen?" in login
    for url in (
        VERGESSEN,
        reverse("passwort_vergessen_gesendet"),
        reverse("passwort_neu", kwargs={"uidb64": "xx", "token": "yy"}),
        reverse("passwort_neu_gesetzt"),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "no-store" in r.headers["Cache-Control"] or "max-age=0" in r.headers["Cache-Control"]
        assert '<meta name="robots" content="noindex">' in r.content.decode()
    zeilen = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /konto/passwort/" in zeilen


def test_mail_geht_ueber_die_warteschlange_ohne_token(client, welt, monkeypatch):
    """The request only queues the account's id: the answer takes as long whether or not an
    account has the address, and the broker never carries a token."""
    eingereiht = []
    monkeypatch.setattr(
        "portal.forms.einreihen", lambda task, *args: eingereiht.append((task.name, args)) or True
    )
    user = welt.user("augsburg", "mitarbeit")
    _anfordern(client, user.email)
    _anfordern(client, "niemand@example.org")
    aufgabe = "portal.tasks.passwort_link_senden"
    assert eingereiht == [(aufgabe, (user.pk, "testserver", False, "de"))]
    assert not mail.outbox


def test_ohne_broker_geht_die_mail_sofort(client, welt, monkeypatch):
    monkeypatch.setattr("portal.forms.einreihen", lambda task, *args: False)
    _anfordern(client, welt.user("augsburg", "mitarbeit").email)
    assert len(mail.outbox) == 1 and "/konto/passwort/neu/" in mail.outbox[0].body


def test_seit_der_anfrage_deaktiviert_keine_mail(welt):
    from portal.services import passwort_link_senden

    user = welt.user("augsburg", "mitarbeit")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not passwort_link_senden(
        user_id=user.pk, domain="testserver", use_https=True, sprache="de"
    )
    assert not mail.outbox


def test_neues_passwort_hebt_die_anmeldesperre_dieses_clients_auf(client, welt, settings):
    from axes.models import AccessAttempt

    user = welt.user("augsburg", "mitarbeit")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _anmelden(client, user.username, "falsch")
    fremd = AccessAttempt.objects.create(
        username=user.username, ip_address="10.9.9.9", failures_since_start=3
    )
    assert not _anmelden(client, user.username, PASSWORT)  # locked
    _anfordern(client, user.email)
    formular = client.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(formular, {"new_password1": NEU, "new_password2": NEU})
    assert _anmelden(client, user.username, NEU)
    # Attempts from another address are still counted.
    assert AccessAttempt.objects.filter(pk=fremd.pk).exists()
