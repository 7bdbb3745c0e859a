"""The rule table for lawyers: command, page and the copy in docs/ say the same as rules.py."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from kommunen import rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "regeln.md"


def test_jede_regel_nennt_grundlage_und_abhilfe():
    for r in rules.REGELN:
        assert r.grundlage.strip() and r.abhilfe.strip(), r.id


def test_befehl_gibt_die_tabelle_aus():
    ausgabe = StringIO()
    call_command("regeln", stdout=ausgabe)
    text = ausgabe.getvalue()
    assert text == rules.tabelle_markdown()
    for r in rules.REGELN:
        assert f"| {r.id} | {r.wann} |" in text
        assert r.abhilfe in text


def test_die_kopie_in_docs_ist_aktuell():
    """After a change of rules.py: `python manage.py regeln > docs/regeln.md`."""
    assert DOCS.read_text(encoding="utf-8") == rules.tabelle_markdown()


@pytest.mark.django_db
def test_seite_fuer_alle_mit_jeder_regel(client):
    r = client.get(reverse("rechtsgrundlagen"))
    assert r.status_code == 200
    html = r.content.decode()
    for regel in rules.REGELN:
        assert f'id="regel-{regel.id.lower()}"' in html
        assert regel.grundlage.replace("„", "&#x201E;") in html or regel.grundlage in html
    assert reverse("rechtsgrundlagen") in client.get(reverse("impressum")).content.decode()
