"""Caching of signed-in pages, and the German 400 and CSRF failure pages."""

import pytest
from django.test import Client
from django.urls import reverse


def test_seiten_angemeldeter_nutzer_werden_nicht_gespeichert(client, welt):
    client.force_login(welt.user("augsburg"))
    for url in (reverse("start"), reverse("impressum"), reverse("projekte:liste")):
        cache_control = client.get(url).headers.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, url


@pytest.mark.django_db
def test_oeffentliche_seiten_anonym_bleiben_speicherbar(client):
    response = client.get(reverse("impressum"))
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_post_ohne_csrf_token_deutsche_seite(welt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(welt.user("augsburg"))
    response = client.post(reverse("kommunen:benachrichtigungen_alle_gelesen"))
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Sicherheitsprüfung" in html
    assert "laden Sie die Seite neu" in html and "Cookies" in html
    assert "CSRF verification failed" not in html
    assert 'id="inhalt"' in html or "<main" in html


@pytest.mark.django_db
def test_ungueltige_anfrage_deutsche_400_seite(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(reverse("impressum"), HTTP_HOST="boese.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Ungültige Anfrage" in html
    assert "Bad Request" not in html
