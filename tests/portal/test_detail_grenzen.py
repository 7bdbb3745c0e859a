"""Detail and download addresses with ids out of any range: 404, never a server error."""

import pytest

from tests.factories import dokument_anlegen, ergebnis_anlegen

RIESIG = "9" * 30


@pytest.mark.parametrize(
    "pfad",
    [
        f"/projekte/{RIESIG}/",
        f"/ergebnisse/{RIESIG}/",
        f"/ergebnisse/{RIESIG}/dokumente/1/",
        "/ergebnisse/{e}/dokumente/" + RIESIG + "/",
        f"/projekte/{2**63}/",
    ],
)
def test_riesige_ids_404(client, welt, pfad):
    her = welt.user("muenchen", "herausgabe")
    e = ergebnis_anlegen(welt.muenchen, her)
    dokument_anlegen(e, her)
    client.force_login(welt.user("muenchen"))
    assert client.get(pfad.replace("{e}", str(e.pk))).status_code == 404


@pytest.mark.parametrize(
    "pfad", [f"/projekte/{RIESIG}/zugang/", f"/projekte/{RIESIG}/nachnutzung/"]
)
def test_riesige_ids_post_404(client, welt, pfad):
    client.force_login(welt.user("augsburg"))
    assert client.post(pfad, {"begruendung": "x", "umfang": "vollstaendig"}).status_code == 404
