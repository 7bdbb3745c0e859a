"""Control characters: refused in single-line fields, never in a mail subject, never a 500."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kommunen import services, tasks
from kommunen.models import Benachrichtigung, Freigabe, Kommune, Rolle, Verbund
from kommunen.validators import einzeilig, einzeilig_machen
from projekte.models import Projekt
from tests.factories import beantragen, projekt_anlegen
from tests.formulare import entscheiden_url, freigabe_daten, projekt_daten

MELDUNG = "ohne Zeilenumbrüche, Tabulatoren und andere Steuerzeichen"
BOESE = [
    "Titel\r\nBcc: alle@example.org",
    "Titel\nzweite Zeile",
    "Titel\tmit Tab",
    "Titel\x00",
    "Titel\x1b[31m",
    "Titel\u202eKEHRT UM",  # right-to-left override (Cf)
    "Titel\u200b",  # zero-width space (Cf)
    "Titel\u2028Zeile",  # line separator
]


@pytest.mark.parametrize("wert", BOESE)
def test_validator_verweigert_steuerzeichen(wert):
    with pytest.raises(ValidationError) as exc:
        einzeilig(wert)
    assert MELDUNG in exc.value.messages[0]


@pytest.mark.parametrize("wert", ["Digitaler Bauantrag", "Straße – Ärger & „Zitat“ 😀", ""])
def test_validator_laesst_gewoehnlichen_text_durch(wert):
    einzeilig(wert)


def test_betreff_wird_einzeilig_und_begrenzt():
    assert einzeilig_machen("A\r\nBcc: x\t\x00y\u202e", 200) == "A Bcc: x y"
    assert einzeilig_machen("x" * 500, 100) == "x" * 99 + "…"


def test_projektformular_verweigert_zeilenumbruch_im_titel(client, welt):
    client.force_login(welt.user("muenchen", Rolle.HERAUSGABE))
    r = client.post(
        reverse("projekte:neu"),
        projekt_daten(titel="Bauantrag\r\nBcc: alle@example.org", kontakt="Referat\tDigital"),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert MELDUNG in html
    assert 'id="id_titel_error"' in html
    assert 'id="id_kontakt_error"' in html
    assert not Projekt.objects.exists()


def test_projekt_beteiligung_verweigert_steuerzeichen(client, welt):
    client.force_login(welt.user("muenchen", Rolle.HERAUSGABE))
    r = client.post(
        reverse("projekte:neu"), projekt_daten(**{"beteiligung-0-akteur": "Kammer\nBcc: x"})
    )
    assert r.status_code == 400
    assert MELDUNG in r.content.decode()
    assert not Projekt.objects.exists()


def test_ergebnis_service_verweigert_steuerzeichen(welt):
    from wissen import services as wissen_services
    from wissen.models import Ergebnis

    her = welt.user("muenchen", Rolle.HERAUSGABE)
    with pytest.raises(ValidationError) as exc:
        wissen_services.ergebnis_anlegen(
            by=her,
            titel="Studie\nBcc: x",
            zusammenfassung="Zeile 1\nZeile 2 (mehrzeilig ist erlaubt)",
            autoren="A\tB",
            einstufung="intern",
            personenbezug="keiner",
            nutzungsrechte="eigene",
        )
    assert set(exc.value.message_dict) >= {"titel", "autoren"}
    assert "zusammenfassung" not in exc.value.message_dict
    assert not Ergebnis.objects.exists()


def test_freigabeformular_verweigert_steuerzeichen(client, welt):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her, titel="E-Akte")
    client.force_login(her)
    r = client.post(
        reverse("projekte:freigeben", args=[projekt.pk]),
        freigabe_daten(
            empfaenger_kommune=welt.augsburg.pk,
            rechtsgrundlage="Vereinbarung\r\nX-Header: 1",
            # multi-line text areas keep their line breaks
            auflagen="Erstens.\r\nZweitens.",
        ),
    )
    assert r.status_code == 400
    assert MELDUNG in r.content.decode()
    assert not Freigabe.objects.exists()


def test_kommune_und_verbund_verweigern_steuerzeichen(welt):
    with pytest.raises(ValidationError) as exc:
        services.kommune_anlegen(name="Fürth\r\n", slug="fuerth", ags="09563000")
    assert "name" in exc.value.message_dict
    assert not Kommune.objects.filter(slug="fuerth").exists()
    verbund = Verbund(
        name="Bündnis\tNord",
        slug="nord",
        vereinbarung_titel="Vertrag\nvom Montag",
        vereinbarung_datum=dt.date(2025, 7, 16),
    )
    with pytest.raises(ValidationError) as exc:
        verbund.full_clean(exclude=["gruppe"])
    assert {"name", "vereinbarung_titel"} <= set(exc.value.message_dict)


# --- the outbox --------------------------------------------------------------------------------


def _zeile(user, betreff):
    return Benachrichtigung.objects.create(
        empfaenger=user, ereignis="test", betreff=betreff, text="Text", mail="sofort"
    )


def test_alter_betreff_mit_zeilenumbruch_wird_einzeilig_zugestellt(welt):
    # A row written before the validator existed (or by a path that skips it).
    user = welt.user("augsburg")
    alt = _zeile(user, "Projekt\r\nBcc: alle@example.org")
    danach = _zeile(user, "Normale Nachricht")
    assert tasks.benachrichtigungen_nachsenden() == 2
    betreffe = sorted(m.subject for m in mail.outbox)
    assert betreffe == [
        "[Wissensverbund] Normale Nachricht",
        "[Wissensverbund] Projekt Bcc: alle@example.org",
    ]
    assert all(m.bcc == [] for m in mail.outbox)
    for b in (alt, danach):
        b.refresh_from_db()
        assert b.zugestellt_am is not None


def test_eine_kaputte_zeile_haelt_die_anderen_nicht_auf(welt, monkeypatch, caplog):
    kaputt_user = welt.user("augsburg")
    ok_user = welt.user("muenchen")
    kaputt = _zeile(kaputt_user, "Geht nicht")
    ok = _zeile(ok_user, "Geht")
    echt = tasks.send_mail

    def send_mail(**kw):
        if kw["recipient_list"] == [kaputt_user.email]:
            raise ValueError("kaputt")
        return echt(**kw)

    monkeypatch.setattr(tasks, "send_mail", send_mail)
    # The immediate delivery of both rows: the bad one is counted and skipped.
    assert tasks.benachrichtigungen_zustellen([kaputt.pk, ok.pk]) == 1
    kaputt.refresh_from_db()
    ok.refresh_from_db()
    assert ok.zugestellt_am is not None
    assert kaputt.zugestellt_am is None
    assert kaputt.versuche == 1 and "kaputt" in kaputt.fehler
    # The sweep retries it a bounded number of times, then gives up and says so.
    with caplog.at_level(logging.WARNING, logger="kommunen.tasks"):
        for _ in range(tasks.MAX_VERSUCHE + 3):
            tasks.benachrichtigungen_nachsenden()
    kaputt.refresh_from_db()
    assert kaputt.versuche == tasks.MAX_VERSUCHE
    assert kaputt.zugestellt_am is None
    assert any("gave up" in r.getMessage() for r in caplog.records)
    assert len(mail.outbox) == 1


def test_anfrage_mit_altem_steuerzeichen_titel_nie_500(
    client, welt, django_capture_on_commit_callbacks
):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    projekt = projekt_anlegen(welt.muenchen, her)
    # An object stored before the validator: its title breaks a naive mail header.
    Projekt.objects.filter(pk=projekt.pk).update(titel="Alt\r\nBcc: alle@example.org")
    projekt.refresh_from_db()
    antrag = beantragen(welt, projekt, an=welt.augsburg)
    client.force_login(welt.user("muenchen", Rolle.FREIGABE_ADMIN))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(entscheiden_url(antrag), {"aktion": "erteilen", "bestaetigt": "1"})
    assert r.status_code == 302
    assert mail.outbox, "the notification still goes out"
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox)
