"""Role matrix of the reuse paths: every role of every Kommune, and anonymous, on one result.

München owns the result; Augsburg has a full Freigabe, the Verbund (so Nürnberg) metadata
only, Regensburg nothing. List, search, detail and download must agree for each of them.
"""

import pytest
from django.urls import reverse

from kommunen.models import Umfang
from tests.factories import ROLLEN, dokument_anlegen, ergebnis_anlegen, freigeben, projekt_anlegen
from wissen.models import Ergebnis
from wissen.suche import ergebnis_suchvektor_aktualisieren

# slug -> (sees metadata, may download)
ERWARTET = {
    "muenchen": (True, True),
    "augsburg": (True, True),
    "nuernberg": (True, False),
    "regensburg": (False, False),
}


@pytest.fixture
def lage(welt):
    her = welt.user("muenchen", "herausgabe")
    projekt = projekt_anlegen(welt.muenchen, her, titel="Radschnellweg")
    e = ergebnis_anlegen(welt.muenchen, her, titel="Machbarkeitsstudie Radschnellweg")
    Ergebnis.objects.filter(pk=e.pk).update(projekt=projekt)
    d = dokument_anlegen(e, her, name="radschnellweg.pdf")
    ergebnis_suchvektor_aktualisieren(e.pk)
    freigeben(welt, e, an=welt.augsburg, umfang=Umfang.VOLLSTAENDIG)
    freigeben(welt, e, an=welt.verbund, umfang=Umfang.METADATEN)
    freigeben(welt, projekt, an=welt.verbund, umfang=Umfang.METADATEN)
    return projekt, e, d


def _pruefen(client, lage, sieht: bool, laedt: bool, anonym: bool = False):
    projekt, e, d = lage
    liste = client.get(reverse("wissen:liste"))
    assert liste.status_code == 200
    assert (e in liste.context["page"].object_list) is sieht
    suche = client.get(reverse("suche"), {"q": "Radschnellweg"})
    assert suche.status_code == 200
    assert (e in [t.objekt for t in suche.context["treffer"]]) is sieht
    for url in (e.get_absolute_url(), projekt.get_absolute_url()):
        r = client.get(url)
        if sieht:
            assert r.status_code == 200
        elif anonym:
            assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
        else:
            assert r.status_code == 404
    r = client.get(reverse("wissen:download", args=[e.pk, d.pk]))
    if laedt:
        assert r.status_code == 200
        assert r["Content-Disposition"].startswith("attachment")
    elif anonym:
        assert r.status_code == 302
    else:
        assert r.status_code == 404


@pytest.mark.parametrize("rolle", ROLLEN)
@pytest.mark.parametrize("slug", list(ERWARTET))
def test_matrix(client, welt, lage, slug, rolle):
    client.force_login(welt.user(slug, rolle))
    _pruefen(client, lage, *ERWARTET[slug])


def test_matrix_anonym(client, welt, lage):
    _pruefen(client, lage, False, False, anonym=True)


def test_matrix_inaktiv(client, welt, lage):
    user = welt.user("augsburg")
    user.is_active = False
    user.save()
    client.force_login(user)
    # an inactive user's session is not authenticated any more: like anonymous
    _pruefen(client, lage, False, False, anonym=True)
