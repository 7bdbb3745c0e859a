"""The embedded default: on SQLite (no DATABASE_URL) migrate and `seed --demo` run after one
command, twice without harm, the demo answers a search with a word from a PDF (only for
those who may download it), and read events are pseudonymised without a trigger."""

from portal import demo_inhalt
from tests.dienste import manage, sqlite_demo_umgebung

PRUEFUNG = """
from django.test import Client
from django.test.utils import setup_test_environment
from wissen.models import Ergebnis
setup_test_environment()
c = Client()
anmeldung = {"username": "augsburg-mitarbeit", "password": "demo"}
assert c.post("/anmelden/", anmeldung).status_code == 302
antwort = c.get("/suche/", {"q": "Regalmeter"})
assert antwort.status_code == 200, antwort.status_code
assert "Machbarkeitsstudie E-Akte" in antwort.content.decode()
# A word only in the PDF of a result München sees without its documents (metadata only).
m = Client()
anmeldung = {"username": "muenchen-mitarbeit", "password": "demo"}
assert m.post("/anmelden/", anmeldung).status_code == 302
antwort = m.get("/suche/", {"q": "Moderationsrichtlinie"})
assert antwort.status_code == 200 and antwort.context["page"].paginator.count == 0
assert "Konzept Online-Beteiligungsplattform" not in antwort.content.decode()
antwort = m.get("/suche/", {"q": "Beteiligungsplattform"})
titel = [t.objekt.titel for t in antwort.context["treffer"]]
assert "Konzept Online-Beteiligungsplattform" in titel, titel
e = Ergebnis.objects.get(titel__startswith="Machbarkeitsstudie E-Akte")
d = e.dokumente.get()
antwort = c.get(f"/ergebnisse/{e.pk}/dokumente/{d.pk}/")
assert antwort.status_code == 200 and b"".join(antwort.streaming_content).startswith(b"%PDF")
# SQLite has no trigger and no database function: the pseudonymisation of read events is an
# ORM update there, of reads only.
from django.utils import timezone
from kommunen import services
from kommunen.models import Protokoll
assert c.get(e.get_absolute_url()).status_code == 200  # Augsburg reads München's result
entscheidungen = list(Protokoll.objects.exclude(aktion__in=Protokoll.LESEN).values())
assert services.protokoll_pseudonymisieren() == 0
assert services.protokoll_pseudonymisieren(stichtag=timezone.now()) == 2
assert not Protokoll.objects.filter(aktion__in=Protokoll.LESEN, akteur__isnull=False).exists()
assert list(Protokoll.objects.exclude(aktion__in=Protokoll.LESEN).values()) == entscheidungen
print("ok", Ergebnis.objects.count())
"""


def test_demo_auf_sqlite(tmp_path):
    env = sqlite_demo_umgebung(tmp_path)
    for schritt in (["migrate", "-v0"], ["seed", "--demo"], ["seed", "--demo"]):
        lauf = manage(*schritt, env=env)
        assert lauf.returncode == 0, f"{schritt}: {lauf.stderr[-3000:]}"
    assert "0 Projekte, 0 Ergebnisse neu angelegt" in lauf.stdout
    lauf = manage("shell", "-c", PRUEFUNG, env=env)
    assert lauf.returncode == 0, lauf.stderr[-3000:]
    assert lauf.stdout.strip().splitlines()[-1] == f"ok {len(demo_inhalt.ERGEBNISSE)}"
