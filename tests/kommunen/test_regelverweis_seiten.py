"""The Freigabe detail page reads the sentence first and the rule after it, and its history
shows the Protokoll details in words; another Kommune sees none of it."""

from django.urls import reverse

from kommunen import services
from kommunen.models import Rolle
from tests.factories import freigeben, projekt_anlegen

ADMIN = Rolle.FREIGABE_ADMIN


def _zurueckgehalten(welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her, titel="Radwegeplanung")
    f = freigeben(welt, p, an=welt.augsburg)
    services.dokumente_geaendert(objekt=p, by=her)
    return f


def test_detailseite_satz_zuerst_dann_regel(client, welt):
    f = _zurueckgehalten(welt)
    client.force_login(welt.user("muenchen", ADMIN))
    html = client.get(reverse("kommunen:freigabe_detail", args=[f.pk])).content.decode()
    assert "Dokumente zurückgehalten bis zur erneuten Erteilung (Regel VERSION-1)" in html
    assert '<span class="regel">VERSION-1</span>' not in html
    # the history: details in words, no raw keys
    assert "erneute Prüfung: nein" in html
    assert "Umfang: vollständig (mit Dokumenten)" in html
    assert "erneute_pruefung" not in html and "gueltig_bis" not in html


def test_andere_kommune_sieht_die_detailseite_nicht(client, welt):
    f = _zurueckgehalten(welt)
    client.force_login(welt.user("nuernberg", ADMIN))
    response = client.get(reverse("kommunen:freigabe_detail", args=[f.pk]))
    assert response.status_code in (403, 404)
    assert "Radwegeplanung" not in response.content.decode()
