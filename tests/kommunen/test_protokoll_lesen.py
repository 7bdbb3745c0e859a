"""Read events in the Protokoll: views of detail pages by staff of other Kommunen, at most one
row per reader, object and day."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kommunen import services
from kommunen.models import Protokoll, Rolle, Umfang
from tests.factories import (
    OEFFENTLICH,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
)

A = Protokoll.Aktion
PROTOKOLL = reverse("kommunen:protokoll")
EXPORT = reverse("kommunen:protokoll_export")


@pytest.fixture
def geteilt(welt):
    """A München project and result, both shared with Augsburg."""
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Projekt Radverkehr")
    ergebnis = ergebnis_anlegen(welt.muenchen, her, titel="Studie Radverkehr")
    freigeben(welt, projekt, an=welt.augsburg, umfang=Umfang.METADATEN)
    freigeben(welt, ergebnis, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    return {"projekt": projekt, "ergebnis": ergebnis}


def _detail(objekt) -> str:
    return objekt.get_absolute_url()


def _ansichten(**filter_):
    return Protokoll.objects.filter(aktion=A.ANSICHT, **filter_)


# --- views are read events ----------------------------------------------------------------------


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
def test_ansicht_durch_andere_kommune_einmal_am_tag(client, welt, geteilt, zeitreise, art):
    objekt = geteilt[art]
    leser = welt.user("augsburg")
    client.force_login(leser)
    for _ in range(3):
        assert client.get(_detail(objekt)).status_code == 200
    (row,) = _ansichten()
    assert row.kommune == welt.muenchen  # in the owner's Protokoll
    assert row.akteur == leser and row.akteur_name == leser.username
    assert row.akteur_kommune == welt.augsburg
    assert (row.object_id, row.objekt_titel) == (objekt.pk, objekt.titel)
    assert row.content_type.model_class() is type(objekt)

    # A colleague on the same day is a reader of their own.
    client.force_login(welt.user("augsburg", Rolle.HERAUSGABE))
    assert client.get(_detail(objekt)).status_code == 200
    assert _ansichten().count() == 2

    # The next day counts again.
    zeitreise(dt.timedelta(days=1))
    client.force_login(leser)
    client.get(_detail(objekt))
    client.get(_detail(objekt))
    assert _ansichten(akteur=leser).count() == 2


@pytest.mark.parametrize("rolle", [Rolle.MITARBEIT, Rolle.HERAUSGABE, Rolle.FREIGABE_ADMIN])
def test_eigene_kommune_wird_nicht_protokolliert(client, welt, geteilt, rolle):
    client.force_login(welt.user("muenchen", rolle))
    for objekt in geteilt.values():
        assert client.get(_detail(objekt)).status_code == 200
    assert not _ansichten().exists()


def test_anonym_wird_nicht_protokolliert(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, **OEFFENTLICH)
    ergebnis = ergebnis_anlegen(welt.muenchen, her, **OEFFENTLICH)
    freigeben(welt, projekt)
    freigeben(welt, ergebnis)
    for objekt in (projekt, ergebnis):
        assert client.get(_detail(objekt)).status_code == 200
    assert not _ansichten().exists()


def test_ohne_recht_keine_seite_und_kein_eintrag(client, welt, geteilt):
    client.force_login(welt.user("regensburg"))
    for objekt in geteilt.values():
        assert client.get(_detail(objekt)).status_code == 404
    assert not _ansichten().exists()


def test_ansicht_durch_benutzer_ohne_kommune_nicht(welt, geteilt):
    from kommunen.models import Benutzer

    betrieb = Benutzer(username="betrieb", is_staff=True)
    assert services.ansicht_protokollieren(user=betrieb, objekt=geteilt["projekt"]) is None
    assert not _ansichten().exists()


def _abfragen(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("art", ["projekt", "ergebnis"])
def test_erster_aufruf_des_tages_kostet_genau_eine_abfrage_mehr(client, welt, geteilt, art):
    """A reload reads whether today's row exists (one query, counted in the detail pages'
    budgets in tests/projekte/test_detail.py); the first view of the day also writes it."""
    url = _detail(geteilt[art])
    client.force_login(welt.user("augsburg"))
    client.get(reverse("start"))  # session and caches warm, as for the reload
    erster = _abfragen(client, url)
    neu_laden = _abfragen(client, url)
    assert erster == neu_laden + 1
    assert _ansichten().count() == 1


def test_ansicht_im_protokoll_der_eigentuemerin_nicht_der_lesenden(client, welt, geteilt):
    client.force_login(welt.user("augsburg"))
    client.get(_detail(geteilt["projekt"]))
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    html = client.get(PROTOKOLL, {"aktion": "ansicht"}).content.decode()
    assert "Detailseite angesehen" in html and "augsburg-mitarbeit (Augsburg)" in html
    # Augsburg's admins do not see München's log, not even the reads of their own staff.
    client.force_login(welt.user("augsburg", Rolle.FREIGABE_ADMIN))
    html = client.get(PROTOKOLL, {"aktion": "ansicht"}).content.decode()
    assert "Projekt Radverkehr" not in html and "Keine Einträge für diese Auswahl." in html
    body = b"".join(client.get(EXPORT).streaming_content).decode()
    assert "Projekt Radverkehr" not in body
