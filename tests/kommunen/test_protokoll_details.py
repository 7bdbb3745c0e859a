"""The Protokoll's details in words: one case per action that writes details, each asserted
as people read it; the page and the CSV show the same words, the CSV keeps the raw JSON."""

import csv
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kommunen import services
from kommunen.models import Protokoll, Rolle
from kommunen.selectors import details_in_worten, details_text
from projekte.models import Projekt
from tests.factories import beantragen, projekt_anlegen

A = Protokoll.Aktion
ADMIN = Rolle.FREIGABE_ADMIN


def worte(aktion, details, **kw) -> dict[str, str]:
    return dict(details_in_worten(Protokoll(aktion=aktion, details=details, **kw)))


# (action, details, expected (label, words) pairs); `None` values are filled in per test.
FAELLE = [
    (A.FREIGABE_AUSGESETZT, {"regeln": ["GREMIUM-1", "DSGVO-1"]},
     {"Regeln": "Regel GREMIUM-1, Regel DSGVO-1"}),
    (A.FREIGABE_GEKUERZT,
     {"vorher": "31.12.2027", "nachher": "30.06.2027", "regeln": ["LOESCH-1"]},
     {"gültig bis": "31.12.2027 → 30.06.2027", "Regeln": "Regel LOESCH-1"}),
    (A.FREIGABE_WIDERRUFEN,
     {"vorher": "unbefristet", "nachher": "30.06.2027", "regeln": ["LOESCH-1"],
      "grund": "Die Freigabe begänne erst nach dem Löschdatum. (Regel LOESCH-1)"},
     {"gültig bis": "unbefristet → 30.06.2027", "Regeln": "Regel LOESCH-1",
      "Grund": "Die Freigabe begänne erst nach dem Löschdatum. (Regel LOESCH-1)"}),
    (A.FREIGABE_ABGELEHNT, {"begruendung": "Kein Bedarf"}, {"Begründung": "Kein Bedarf"}),
    (A.OBJEKT_BEARBEITET, {"felder": ["Titel", "Beschreibung"]},
     {"Felder": "Titel, Beschreibung"}),
    (A.OBJEKT_GELOESCHT,
     {"titel": "Alt", "freigaben_beendet": [3, 4], "anfragen_erledigt": [], "nachnutzungen": 2},
     {"Titel": "Alt", "beendete Freigaben": "Nr. 3, 4", "erledigte Zugangsanfragen": "–",
      "Interessen an Nachnutzung": "2"}),
    (A.ANFRAGE_ABGELEHNT, {"anfrage": 5, "begruendung": "nein"},
     {"Zugangsanfrage": "Nr. 5", "Begründung": "nein"}),
    (A.ANFRAGE_GESTELLT, {"anfrage": 5, "umfang": "metadaten", "kommune": "Augsburg"},
     {"Zugangsanfrage": "Nr. 5", "Umfang": "nur Metadaten", "Kommune": "Augsburg"}),
    (A.ANFRAGE_GENEHMIGT, {"anfrage": 5, "zweitpruefung": True},
     {"Zugangsanfrage": "Nr. 5", "Zweitprüfung": "ja"}),
    (A.PROTOKOLL_EXPORTIERT, {"filter": {"aktion": "download", "von": "2026-01-31"}},
     {"Filter": "Aktion: Dokument heruntergeladen; von: 31.01.2026"}),
    (A.BERECHTIGUNG, {"hinzugefuegt": 2, "entzogen": 0, "anlass": "VERSION-1"},
     {"Rechte hinzugefügt": "2", "Rechte entzogen": "0", "Anlass": "Regel VERSION-1"}),
    (A.FREIGABE_BEANTRAGT,
     {"empfaenger": "Augsburg", "umfang": "vollstaendig", "gueltig_bis": "2027-06-30"},
     {"Empfänger": "Augsburg", "Umfang": "vollständig (mit Dokumenten)",
      "gültig bis": "30.06.2027"}),
    (A.FREIGABE_ERTEILT,
     {"erneute_pruefung": False, "empfaenger": "Verbund Süd", "zweckvereinbarkeit": "gleich"},
     {"erneute Prüfung": "nein", "Empfänger": "Verbund Süd", "Zweckvereinbarkeit": "gleich"}),
    (A.LOESCHDATUM_ERINNERT, {"loeschdatum": "31.12.2026", "regeln": ["LOESCH-1"]},
     {"Löschdatum": "31.12.2026", "Regeln": "Regel LOESCH-1"}),
    (A.DOKUMENT_HINZUGEFUEGT,
     {"dokumente": [{"name": "a.pdf", "sha256": "ab12", "groesse": 1536},
                    {"name": "b.pdf", "sha256": "cd34", "groesse": 700}]},
     {"Dokumente": "a.pdf (1,5 KB, SHA-256 ab12), b.pdf (700 Bytes, SHA-256 cd34)"}),
    (A.DOWNLOAD, {"dokument": 7, "datei": "b.pdf", "sha256": "cd34"},
     {"Dokument": "Nr. 7", "Datei": "b.pdf", "Prüfsumme (SHA-256)": "cd34"}),
    (A.DOKUMENT_ERSETZT,
     {"dokument": 7, "ersetzt": {"name": "a.pdf", "sha256": "ab12"}, "name": "a2.pdf",
      "sha256": "ef56", "groesse": 2048},
     {"Dokument": "Nr. 7", "ersetzte Fassung": "a.pdf (SHA-256 ab12)", "Datei": "a2.pdf",
      "Prüfsumme (SHA-256)": "ef56", "Größe": "2,0 KB"}),
    (A.DOKUMENT_ENTFERNT,
     {"dokument": 7, "name": "a2.pdf", "sha256": "ef56", "groesse": 700, "fassungen": 1,
      "grund": "falsche Datei"},
     {"Dokument": "Nr. 7", "Datei": "a2.pdf", "Prüfsumme (SHA-256)": "ef56",
      "Größe": "700 Bytes", "frühere Fassungen": "1", "Grund": "falsche Datei"}),
    (A.OBJEKT_ZURUECKGEZOGEN,
     {"grund": "Studie überholt", "freigaben_beendet": [3], "anfragen_erledigt": [5]},
     {"Grund": "Studie überholt", "beendete Freigaben": "Nr. 3",
      "erledigte Zugangsanfragen": "Nr. 5"}),
]  # fmt: skip
# Actions that write no details.
OHNE_DETAILS = {
    A.ANSICHT,
    A.OBJEKT_ERSTELLT,
    A.FREIGABE_ZUR_PRUEFUNG,
    A.FREIGABE_ABGELAUFEN,
    A.FREIGABE_ERINNERT,
}


@pytest.mark.parametrize(("aktion", "details", "erwartet"), FAELLE, ids=[f[0] for f in FAELLE])
def test_details_in_worten(aktion, details, erwartet):
    assert worte(aktion, details) == erwartet


def test_jede_aktion_mit_details_hat_einen_fall():
    abgedeckt = {f[0] for f in FAELLE} | {A.RECHTLICHES_GEAENDERT, A.MITGLIEDSCHAFT}
    assert abgedeckt | OHNE_DETAILS == set(A)


def test_dokument_einzeln_in_mb_mit_deutschem_zahlformat():
    details = {"dokument": 7, "name": "plan.pdf", "sha256": "ef", "groesse": 1234 * 1024 * 1024}
    assert worte(A.DOKUMENT_HINZUGEFUEGT, details) == {
        "Dokument": "Nr. 7",
        "Datei": "plan.pdf",
        "Prüfsumme (SHA-256)": "ef",
        "Größe": "1.234,0 MB",
    }


def test_rechtliche_angaben_mit_feldnamen_und_werten_in_worten(db):
    ct = ContentType.objects.get_for_model(Projekt)
    details = {
        "einstufung": ["intern", "offen"],
        "loeschdatum": ["2027-01-01", "None"],
        "dsfa_durchgefuehrt": ["False", "True"],
    }
    assert worte(A.RECHTLICHES_GEAENDERT, details, content_type_id=ct.pk) == {
        "Einstufung": "intern → offen (darf veröffentlicht werden)",
        "Löschdatum": "01.01.2027 → –",
        "Datenschutz-Folgenabschätzung durchgeführt": "nein → ja",
    }


def test_mitgliedschaft_einer_person_rollen_und_kommunen_mit_namen(welt):
    details = {
        "benutzer": "anna",
        "vorher": {"kommune_id": welt.augsburg.pk, "rolle": "mitarbeit"},
        "nachher": {"kommune_id": welt.augsburg.pk, "rolle": "freigabe_admin"},
    }
    assert worte(A.MITGLIEDSCHAFT, details) == {
        "Benutzer/in": "anna",
        "Rolle": "Mitarbeiter/in → Freigabe-Admin",
    }
    neu = {"benutzer": "bert", "vorher": None, "nachher": {"kommune_id": welt.muenchen.pk,
                                                          "rolle": "herausgabe"}}  # fmt: skip
    assert worte(A.MITGLIEDSCHAFT, neu) == {
        "Benutzer/in": "bert",
        "Kommune": "– → München",
        "Rolle": "– → Herausgeber/in",
    }


def test_mitgliedschaft_im_verbund_mit_namen_statt_kurznamen(welt):
    details = {
        "verbund": "Verbund Süd",
        "beigetreten": ["Augsburg"],
        "ausgetreten": [],
        "mitglieder": [welt.augsburg.slug, welt.muenchen.slug],
    }
    assert worte(A.MITGLIEDSCHAFT, details) == {
        "Verbund": "Verbund Süd",
        "beigetreten": "Augsburg",
        "ausgetreten": "–",
        "Mitglieder": "Augsburg, München",
    }


def test_text_ohne_schluessel_und_json():
    paare = details_in_worten(
        Protokoll(aktion=A.FREIGABE_ERTEILT, details={"erneute_pruefung": True, "umfang": "x"})
    )
    assert details_text(paare) == "erneute Prüfung: ja; Umfang: x"


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_seite_und_export_zeigen_dieselben_worte_der_export_auch_json(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Radwege")
    f = beantragen(welt, projekt, an=welt.augsburg)
    services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", ADMIN))
    client.force_login(welt.user("muenchen", ADMIN))
    html = client.get(reverse("kommunen:protokoll"), {"aktion": "freigabe_beantragt"})
    html = html.content.decode()
    bis = f.gueltig_bis.strftime("%d.%m.%Y")
    assert f"gültig bis: {bis}" in html and "gueltig_bis" not in html
    assert "Umfang: vollständig (mit Dokumenten)" in html
    kopf, *zeilen = _csv(client.get(reverse("kommunen:protokoll_export"), {"objekt": "Radwege"}))
    assert kopf[-3:] == ["Details", "Details (maschinenlesbar)", "Freigabevermerk (SHA-256)"]
    beantragt = next(z for z in zeilen if z[1] == "Freigabe beantragt")
    assert f"gültig bis: {bis}" in beantragt[-3]
    assert json.loads(beantragt[-2])["gueltig_bis"] == f.gueltig_bis.isoformat()


def test_fremde_kommune_sieht_keine_details(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="Radwege")
    beantragen(welt, projekt, an=welt.augsburg)
    client.force_login(welt.user("augsburg", ADMIN))
    html = client.get(reverse("kommunen:protokoll")).content.decode()
    assert "Radwege" not in html and "vollständig (mit Dokumenten)" not in html
    text = "".join(";".join(z) for z in _csv(client.get(reverse("kommunen:protokoll_export"))))
    assert "Radwege" not in text and "vollstaendig" not in text
