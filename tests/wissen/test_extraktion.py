"""Text extraction: the task on real files, states, progress, search, the status fragment."""

import io

import pytest
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse

from kommunen import services as kommunen_services
from kommunen.models import EmpfaengerArt, Umfang
from tests import dateien as d
from tests.factories import ergebnis_anlegen
from wissen import extraktion, services, tasks
from wissen.models import Dokument, Ergebnis


@pytest.fixture
def her(welt):
    return welt.user("muenchen", "herausgabe")


@pytest.fixture
def ergebnis(welt, her):
    return ergebnis_anlegen(welt.muenchen, her, titel="Studie Verkehr")


def _finden(wort: str, vektor: str = "suchvektor_mit_dokumenten"):
    # The documents' text is in the fuller vector only (search gates it by download rights).
    return Ergebnis.objects.filter(**{vektor: SearchQuery(wort, config="german")})


def test_pdf_text_wird_erkannt_und_ist_durchsuchbar(
    client, her, ergebnis, django_capture_on_commit_callbacks
):
    assert not _finden("Pendlerströme").exists()
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("wissen:dokument_neu", args=[ergebnis.pk]),
            {
                "datei": d.upload(
                    "verkehr.pdf", d.pdf("Einleitung", "Analyse der Pendlerströme", "Fazit")
                )
            },
        )
    assert r.status_code == 302
    dok = Dokument.objects.get()
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert dok.extraktion_fortschritt == 100
    assert dok.extraktion_fehler == ""
    assert "Analyse der Pendlerströme" in dok.text
    # A word that is only inside the PDF finds the result (german stemming: "Pendlerstrom").
    assert list(_finden("Pendlerstrom")) == [ergebnis]
    assert not _finden("Pendlerstrom", "suchvektor").exists()


def test_fortschritt_steigt_seite_fuer_seite():
    gemeldet = []
    extrakt = extraktion.extrahieren(
        io.BytesIO(d.pdf(*[f"Seite {i}" for i in range(1, 11)])),
        "pdf",
        lambda prozent, seite=None, seiten=None: gemeldet.append((prozent, seite, seiten)),
    )
    assert not extrakt.gekuerzt
    assert "Seite 10" in extrakt.text
    assert [p for p, _s, _n in gemeldet][:10] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert [(s, n) for _p, s, n in gemeldet][:10] == [(i, 10) for i in range(1, 11)]
    assert gemeldet == sorted(gemeldet, key=lambda g: g[0])
    # Pages with a text layer are no scans: no OCR, the text comes from the file.
    assert (extrakt.seiten, extrakt.ocr_seiten, extrakt.textquelle) == (10, 0, "textebene")
    assert extrakt.konfidenz is None


@pytest.mark.parametrize(
    ("art", "inhalt", "erwartet"),
    [
        ("docx", d.docx("Bürgerbeteiligung", "Zweiter Absatz"), ["Bürgerbeteiligung", "Zweiter"]),
        ("xlsx", d.xlsx("Haushalt 2025", "Ansatz"), ["Haushalt 2025", "Inline-Zelle"]),
        ("pptx", d.pptx("Folie eins", "Folie zwei"), ["Folie eins", "Folie zwei"]),
        ("odt", d.odf("odt", "Open-Data-Portal"), ["Open-Data-Portal"]),
        ("ods", d.odf("ods", "Tabellenwert"), ["Tabellenwert"]),
        ("odp", d.odf("odp", "Präsentation"), ["Präsentation"]),
        ("csv", "Stadt;Wert\nAugsburg;7".encode("cp1252"), ["Augsburg;7"]),
        ("md", "# Überschrift\n\nText".encode(), ["Überschrift"]),
    ],
)
def test_formate(art, inhalt, erwartet):
    extrakt = extraktion.extrahieren(io.BytesIO(inhalt), art)
    for teil in erwartet:
        assert teil in extrakt.text
    assert extrakt.textquelle == "textebene" and extrakt.unvollstaendig == ""


def test_textmenge_ist_begrenzt():
    extrakt = extraktion.extrahieren(io.BytesIO(b"a" * 5000), "txt", max_zeichen=100)
    assert extrakt.gekuerzt
    assert len(extrakt.text) == 100


def test_ueber_dem_zeitbudget_bleibt_was_gelesen_ist_mit_grund():
    extrakt = extraktion.extrahieren(io.BytesIO(d.pdf("a", "b")), "pdf", max_sekunden=-1)
    assert extrakt.text == ""
    assert extrakt.unvollstaendig.startswith("Die Texterkennung hat ihr Zeitbudget")
    assert "Gelesen wurden 0 von 2 Seiten" in extrakt.unvollstaendig
    extrakt = extraktion.extrahieren(io.BytesIO(d.docx("Absatz")), "docx", max_sekunden=-1)
    assert "der Text ist unvollständig" in extrakt.unvollstaendig


def test_fehler_mit_grund(her, ergebnis, django_capture_on_commit_callbacks):
    # A DOCX passes the upload check (its parts are not parsed there) but carries a DTD,
    # which the extraction refuses: the document ends in "fehler" with a German reason.
    with django_capture_on_commit_callbacks(execute=True):
        dok = services.dokument_hochladen(
            ergebnis=ergebnis, datei=d.upload("x.docx", d.docx("Text", doctype=True)), by=her
        )
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FEHLER
    assert dok.extraktion_fehler == "Das Dokument enthält unzulässige XML-Deklarationen."


def test_beschaedigte_gespeicherte_datei(her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Text")), by=her
    )
    with open(dok.datei.path, "wb") as f:
        f.write(b"%PDF-1.4\nzerstoert")
    assert tasks.dokument_extrahieren.delay(dok.pk).get() == Dokument.Extraktion.FEHLER
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FEHLER
    assert "beschädigt" in dok.extraktion_fehler


def test_task_ist_idempotent(her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Einmalig")), by=her
    )
    assert tasks.dokument_extrahieren.delay(dok.pk).get() == Dokument.Extraktion.FERTIG
    Dokument.objects.filter(pk=dok.pk).update(text="unverändert")
    assert tasks.dokument_extrahieren.delay(dok.pk).get() == Dokument.Extraktion.FERTIG
    dok.refresh_from_db()
    assert dok.text == "unverändert"  # a finished document is left alone
    assert tasks.dokument_extrahieren.delay(987654321).get() is None


def test_unterbrochener_lauf_beginnt_neu(her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Neustart")), by=her
    )
    Dokument.objects.filter(pk=dok.pk).update(
        extraktion=Dokument.Extraktion.LAEUFT, extraktion_fortschritt=40
    )
    assert tasks.dokument_extrahieren.delay(dok.pk).get() == Dokument.Extraktion.FERTIG
    dok.refresh_from_db()
    assert "Neustart" in dok.text


# --- the status fragment ----------------------------------------------------------------


def _status_url(dok):
    return reverse("wissen:dokument_status", args=[dok.ergebnis_id, dok.pk])


def test_statusfragment_pollt_nur_solange_es_laeuft(client, welt, her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Text")), by=her
    )
    client.force_login(welt.user("muenchen"))
    r = client.get(_status_url(dok))
    assert r.status_code == 200
    html = r.content.decode()
    assert f'<progress id="dok-fortschritt-{dok.pk}" max="100" value="0">' in html
    assert f'<label for="dok-fortschritt-{dok.pk}">' in html
    assert 'hx-trigger="every 2s"' in html
    assert "Stand aktualisieren" in html  # without JavaScript: a reload link
    tasks.dokument_extrahieren.delay(dok.pk)
    html = client.get(_status_url(dok)).content.decode()
    assert "fertig" in html
    assert 'value="100"' in html
    assert "hx-trigger" not in html


def test_statusfragment_zeigt_fehlergrund(client, welt, her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Text")), by=her
    )
    services.extraktion_fehlgeschlagen(dokument_id=dok.pk, grund="Die Datei ist beschädigt.")
    client.force_login(her)
    html = client.get(_status_url(dok)).content.decode()
    assert "fehlgeschlagen" in html and "Die Datei ist beschädigt." in html


def test_statusfragment_fuer_andere_404(client, welt, her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Text")), by=her
    )
    for slug in ("augsburg", "regensburg"):
        client.force_login(welt.user(slug, "herausgabe"))
        assert client.get(_status_url(dok)).status_code == 404
    # A document id of another result does not leak through a visible result.
    client.force_login(welt.user("augsburg", "herausgabe"))
    eigenes = ergebnis_anlegen(welt.augsburg, welt.user("augsburg", "herausgabe"))
    url = reverse("wissen:dokument_status", args=[eigenes.pk, dok.pk])
    assert client.get(url).status_code == 404
    client.logout()
    r = client.get(_status_url(dok))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_statusfragment_fuer_partner_mit_freigabe(client, welt, her, ergebnis):
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Text")), by=her
    )
    f = kommunen_services.freigabe_beantragen(
        objekt=ergebnis,
        by=her,
        empfaenger_art=EmpfaengerArt.KOMMUNE,
        empfaenger_kommune=welt.augsburg,
        umfang=Umfang.VOLLSTAENDIG,
    )
    kommunen_services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", "freigabe_admin"))
    client.force_login(welt.user("augsburg"))
    assert client.get(_status_url(dok)).status_code == 200


def test_nachholen_wenn_der_broker_fehlte(her, ergebnis, monkeypatch):
    import datetime as dt

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    def broker_weg(*args, **kwargs):
        raise OperationalError("Redis nicht erreichbar")

    monkeypatch.setattr(tasks.dokument_extrahieren, "apply_async", broker_weg)
    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("a.pdf", d.pdf("Spaeter")), by=her
    )
    services.extraktion_einreihen(dok.pk)  # what on_commit runs: logs, does not raise
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.WARTET
    monkeypatch.undo()
    assert services.extraktion_nachholen() == 0  # too fresh to count as lost
    spaeter = timezone.now() + dt.timedelta(minutes=11)
    assert tasks.extraktion_nachholen.delay().get() == 0
    assert services.extraktion_nachholen(jetzt=spaeter) == 1
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert "Spaeter" in dok.text
    assert services.extraktion_nachholen(jetzt=spaeter) == 0


def test_haengender_lauf_zaehlt_ab_seinem_beginn_nicht_ab_dem_hochladen(her, ergebnis):
    """A run whose worker died is started again once it is older than the task's time limit
    (from its start, not from the upload); a younger run may still be alive and is left alone."""
    import datetime as dt

    from django.utils import timezone

    dok = services.dokument_hochladen(
        ergebnis=ergebnis, datei=d.upload("b.pdf", d.pdf("Haengend")), by=her
    )
    jetzt = timezone.now()
    verloren = services.laeuft_hoechstens()
    # The budget plus three minutes: the task's hard limit lies a minute before.
    assert verloren == dt.timedelta(seconds=settings.EXTRAKTION_MAX_SEKUNDEN + 180)
    # Uploaded two days ago, picked up by a worker that was killed a minute before the limit.
    begonnen = jetzt - verloren + dt.timedelta(minutes=1)
    Dokument.objects.filter(pk=dok.pk).update(
        hochgeladen_am=jetzt - dt.timedelta(days=2),
        extraktion=Dokument.Extraktion.LAEUFT,
        extraktion_fortschritt=35,
        extraktion_begonnen=begonnen,
        text="",
    )
    assert services.extraktion_nachholen(jetzt=jetzt) == 0
    assert services.extraktion_nachholen(jetzt=jetzt + dt.timedelta(minutes=1, seconds=1)) == 1
    dok.refresh_from_db()
    assert dok.extraktion == Dokument.Extraktion.FERTIG
    assert "Haengend" in dok.text
    assert dok.extraktion_begonnen > begonnen
