"""A Kommune's public contact: entered by the operator, shown on its public objects."""

import pytest
from django.urls import reverse

from kommunen.models import Benutzer, Kommune


@pytest.fixture
def betrieb(db):
    return Benutzer.objects.create_superuser("betrieb", "betrieb@example.org", "Geheim-123-x")


def test_neue_kommune_mit_kontakt(client, betrieb):
    client.force_login(betrieb)
    r = client.post(
        reverse("admin:kommunen_kommune_add"),
        {
            "name": "Passau",
            "slug": "passau",
            "ags": "09262000",
            "aktiv": "on",
            "kontakt": "Digitalbüro, digital@passau.example",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    kommune = Kommune.objects.get(slug="passau")
    assert kommune.kontakt == "Digitalbüro, digital@passau.example"
    assert kommune.gruppe_mitglieder_id is not None


def test_kontakt_nur_einzeilig(client, betrieb):
    client.force_login(betrieb)
    r = client.post(
        reverse("admin:kommunen_kommune_add"),
        {"name": "Passau", "slug": "passau", "ags": "09262000", "kontakt": "a\nb"},
    )
    assert r.status_code == 200
    assert not Kommune.objects.filter(slug="passau").exists()
