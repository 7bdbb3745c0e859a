"""LOESCH-1, the deletion date binds: no Freigabe runs past an object's Löschdatum, and past
it the object can no longer be shared."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kommunen import services
from kommunen.models import (
    Freigabe,
    FreigabeStatus,
    Rolle,
    Umfang,
)
from kommunen.rules import RegelVerstoss
from tests.factories import (
    beantragen,
    ergebnis_anlegen,
    freigeben,
    projekt_anlegen,
)

PERSONAL = {
    "personenbezug": "pseudonymisiert",
    "rechtsgrundlage": "Art. 6 Abs. 1 lit. e DSGVO i. V. m. Art. 4 BayDSG",
    "zweck": "Auswertung der Terminbuchung",
}


def _heute():
    return timezone.localdate()


def _her(welt):
    return welt.user("muenchen", Rolle.HERAUSGABE)


def _admin(welt):
    return welt.user("muenchen", Rolle.FREIGABE_ADMIN)


def _personal(welt, *, tage: int, modell="ergebnis", **felder):
    """A München object with personal data whose Löschdatum is `tage` from today."""
    anlegen = ergebnis_anlegen if modell == "ergebnis" else projekt_anlegen
    return anlegen(
        welt.muenchen,
        _her(welt),
        **PERSONAL,
        loeschdatum=_heute() + dt.timedelta(days=tage),
        **felder,
    )


# --- proposals and grants ---------------------------------------------------------------------


def test_standardfrist_endet_am_loeschdatum(welt):
    e = _personal(welt, tage=100)
    f = freigeben(welt, e, an=welt.augsburg)
    assert f.status == FreigabeStatus.ERTEILT
    assert f.gueltig_bis == e.loeschdatum  # not the usual 24 months


def test_freigabe_ueber_das_loeschdatum_hinaus_verweigert(welt):
    e = _personal(welt, tage=100)
    with pytest.raises(RegelVerstoss) as fehler:
        services.freigabe_beantragen(
            objekt=e,
            by=_her(welt),
            empfaenger_art="kommune",
            empfaenger_kommune=welt.augsburg,
            umfang=Umfang.VOLLSTAENDIG,
            gueltig_bis=e.loeschdatum + dt.timedelta(days=1),
        )
    (meldung,) = fehler.value.messages
    assert meldung.startswith("LOESCH-1: ")
    assert "spätestens auf das Löschdatum" in meldung  # how to fix it
    assert not Freigabe.objects.exists()


def test_nach_dem_loeschdatum_nicht_mehr_teilbar(welt, client):
    e = ergebnis_anlegen(welt.muenchen, _her(welt), loeschdatum=_heute() - dt.timedelta(days=1))
    with pytest.raises(RegelVerstoss) as fehler:
        beantragen(welt, e, an=welt.augsburg)
    assert [v.rule for v in fehler.value.verstoesse] == ["LOESCH-1"]
    assert "überschritten" in fehler.value.messages[0]
    # The proposal page says so, with the rule id and what to do.
    client.force_login(_her(welt))
    r = client.post(
        reverse("wissen:freigeben", args=[e.pk]),
        {
            "empfaenger_art": "kommune",
            "empfaenger_kommune": welt.augsburg.pk,
            "umfang": "vollstaendig",
            "gueltig_ab": _heute().isoformat(),
            "gueltig_bis": "",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "LOESCH-1" in html and "Löschdatum mit Begründung verlängern" in html
    assert not Freigabe.objects.exists()


def test_vorschlagsformular_schlaegt_das_loeschdatum_vor(welt, client):
    e = _personal(welt, tage=90)
    client.force_login(_her(welt))
    html = client.get(reverse("wissen:freigeben", args=[e.pk])).content.decode()
    (vorschlag,) = re.findall(r'<input[^>]*name="gueltig_bis"[^>]*value="([^"]*)"', html)
    assert vorschlag == e.loeschdatum.isoformat()


def test_zugangsanfrage_genehmigt_bis_zum_loeschdatum(welt):
    e = ergebnis_anlegen(welt.muenchen, _her(welt), loeschdatum=_heute() + dt.timedelta(days=50))
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.METADATEN)
    anfrage = services.zugangsanfrage_stellen(
        objekt=e, by=welt.user("augsburg"), begruendung="Für unsere Planung"
    )
    a = services.zugangsanfrage_entscheiden(anfrage=anfrage, by=_admin(welt), genehmigen=True)
    assert a.freigabe.status == FreigabeStatus.ERTEILT
    assert a.freigabe.gueltig_bis == e.loeschdatum
