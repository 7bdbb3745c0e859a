"""Notifications: list, read marks, setting, events of a new Freigabe, weekly digest."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kommunen import services, tasks
from kommunen.models import Benachrichtigung, Benutzer, EmpfaengerArt, Rolle, Umfang
from kommunen.services import benachrichtigungen as services_benachrichtigung
from kommunen.services import wochenzusammenfassung
from tests.factories import beantragen, ergebnis_anlegen, projekt_anlegen

LISTE = reverse("kommunen:benachrichtigungen")
EINSTELLUNG = reverse("kommunen:konto_benachrichtigungen")
ADMIN = Rolle.FREIGABE_ADMIN


def melden(user, betreff, **kw):
    return services.benachrichtigen(
        empfaenger=[user], ereignis=kw.pop("ereignis", "test"), betreff=betreff, text="Text", **kw
    )[0]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mail delivery, fan-out) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- pages ----------------------------------------------------------------------------------


def test_anonym_zur_anmeldung(client):
    for url in (LISTE, EINSTELLUNG):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("kommunen:benachrichtigungen_alle_gelesen"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_liste_ungelesen_zuerst_und_zaehler_im_kopf(client, welt):
    user = welt.user("augsburg")
    alt = melden(user, "Alte gelesene Nachricht")
    Benachrichtigung.objects.filter(pk=alt.pk).update(gelesen_am=timezone.now())
    melden(user, "Neue Nachricht", link="/freigaben/eingang/")
    melden(user, "Böser Link", link="javascript:alert(1)")
    melden(welt.user("nuernberg"), "Fremde Nachricht")
    client.force_login(user)
    html = client.get(LISTE).content.decode()
    assert html.index("Neue Nachricht") < html.index("Alte gelesene Nachricht")
    assert "Fremde Nachricht" not in html
    assert 'href="/freigaben/eingang/"' in html
    assert "javascript:" not in html
    assert "2 ungelesene Benachrichtigungen" in html  # header link with its label
    assert f'href="{LISTE}"' in html


def test_eine_und_alle_gelesen(client, welt):
    user = welt.user("augsburg")
    a, b = melden(user, "A"), melden(user, "B")
    fremd = melden(welt.user("nuernberg"), "C")
    client.force_login(user)
    response = client.post(reverse("kommunen:benachrichtigung_gelesen", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.gelesen_am is not None and b.gelesen_am is None
    # another user's notification: nothing changes, nothing is revealed
    response = client.post(reverse("kommunen:benachrichtigung_gelesen", args=[fremd.pk]))
    assert response.status_code == 302
    fremd.refresh_from_db()
    assert fremd.gelesen_am is None
    client.post(reverse("kommunen:benachrichtigungen_alle_gelesen"))
    b.refresh_from_db()
    assert b.gelesen_am is not None
    fremd.refresh_from_db()
    assert fremd.gelesen_am is None
    assert client.get(reverse("kommunen:benachrichtigung_gelesen", args=[a.pk])).status_code == 405


def test_einstellung(client, welt):
    user = welt.user("augsburg")
    offen = melden(user, "wartet")
    Benachrichtigung.objects.filter(pk=offen.pk).update(zugestellt_am=None, mail="sofort")
    client.force_login(user)
    assert client.get(EINSTELLUNG).status_code == 200
    response = client.post(EINSTELLUNG, {"benachrichtigung": "woechentlich"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.benachrichtigung == "woechentlich"
    offen.refresh_from_db()
    assert offen.mail == "woechentlich"
    response = client.post(
        EINSTELLUNG, {"benachrichtigung": "stündlich", "rolle": "freigabe_admin"}
    )
    assert response.status_code == 400
    assert 'aria-describedby="id_benachrichtigung_fehler"' in response.content.decode()
    user.refresh_from_db()
    assert user.benachrichtigung == "woechentlich" and user.rolle == Rolle.MITARBEIT


@pytest.mark.parametrize("n", [3, 300])
def test_liste_abfragen_begrenzt(client, welt, n, django_assert_max_num_queries):
    user = welt.user("augsburg")
    Benachrichtigung.objects.bulk_create(
        [
            Benachrichtigung(empfaenger=user, ereignis="x", betreff=f"B{i}", text="t")
            for i in range(n)
        ]
    )
    client.force_login(user)
    client.get(LISTE)
    with django_assert_max_num_queries(7):
        response = client.get(LISTE)
    assert response.status_code == 200
    assert response.content.decode().count('class="ungelesen"') == min(n, 50)


# --- events ---------------------------------------------------------------------------------


def test_neue_freigabe_an_kommune_meldet_ihre_nutzer(welt, commit):
    projekt = projekt_anlegen(
        welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE), titel="E-Akte"
    )
    f = beantragen(welt, projekt, an=welt.augsburg)
    mail.outbox.clear()
    with commit():
        services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", ADMIN))
    empfaenger = set(
        Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").values_list(
            "empfaenger__username", flat=True
        )
    )
    assert empfaenger == {f"augsburg-{r}" for r in Rolle.values}
    assert any("E-Akte" in m.subject for m in mail.outbox)
    text = Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").first().text
    assert text.startswith("München teilt „E-Akte“ mit Augsburg") and "gültig vom" in text
    assert all("nuernberg" not in m.to[0] for m in mail.outbox)


def test_neue_freigabe_an_verbund_verteilt_per_task(welt, commit):
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    with commit():
        services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", ADMIN))
    kommunen = set(
        Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").values_list(
            "empfaenger__kommune__slug", flat=True
        )
    )
    assert kommunen == {"augsburg", "nuernberg"}  # not the owner, not Regensburg
    # the fan-out is idempotent
    n = Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").count()
    assert services_benachrichtigung.freigabe_empfaenger_benachrichtigen(freigabe_id=f.pk) == 0
    assert Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").count() == n


def test_oeffentliche_freigabe_erreicht_alle_anderen_kommunen(welt, commit):
    projekt = projekt_anlegen(
        welt.muenchen,
        welt.user("muenchen", Rolle.HERAUSGABE),
        einstufung="offen",
        lizenz="CC0-1.0",
    )
    f = beantragen(welt, projekt, art=EmpfaengerArt.OEFFENTLICH, umfang=Umfang.METADATEN)
    with commit():
        services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", ADMIN))
    kommunen = set(
        Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").values_list(
            "empfaenger__kommune__slug", flat=True
        )
    )
    assert kommunen == {"augsburg", "nuernberg", "regensburg"}


def test_verbund_verteilung_laeuft_erst_nach_commit(welt, django_capture_on_commit_callbacks):
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.freigabe_erteilen(freigabe=f, by=welt.user("muenchen", ADMIN))
    assert not Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").exists()
    assert callbacks


def test_widerrufen_vor_verteilung_meldet_nichts(welt):
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, ergebnis, art=EmpfaengerArt.VERBUND, umfang=Umfang.METADATEN)
    admin = welt.user("muenchen", ADMIN)
    services.freigabe_erteilen(freigabe=f, by=admin)
    Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{f.pk}").delete()
    services.freigabe_widerrufen(freigabe=f, by=admin, grund="x")
    assert services_benachrichtigung.freigabe_empfaenger_benachrichtigen(freigabe_id=f.pk) == 0


def test_anfrage_und_entscheidung_melden(welt, commit):
    admin = welt.user("muenchen", ADMIN)
    ergebnis = ergebnis_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, ergebnis, an=welt.nuernberg, umfang=Umfang.METADATEN)
    services.freigabe_erteilen(freigabe=f, by=admin)
    wer = welt.user("nuernberg")
    # Read: an unread notice of the first Freigabe would hold back the second one.
    Benachrichtigung.objects.filter(empfaenger__kommune=welt.nuernberg).update(
        gelesen_am=timezone.now()
    )
    a = services.zugangsanfrage_stellen(objekt=ergebnis, by=wer, begruendung="bitte")
    assert Benachrichtigung.objects.filter(empfaenger=admin, ereignis="anfrage_gestellt").exists()
    with commit():
        a = services.zugangsanfrage_entscheiden(anfrage=a, by=admin, genehmigen=True)
    assert Benachrichtigung.objects.filter(empfaenger=wer, ereignis="anfrage_entschieden").exists()
    # the rest of Nürnberg hears of the new Freigabe; who asked gets the decision only
    neu = Benachrichtigung.objects.filter(ereignis=f"freigabe_neu:{a.freigabe_id}")
    assert wer.pk not in set(neu.values_list("empfaenger_id", flat=True))
    assert neu.filter(empfaenger=welt.user("nuernberg", ADMIN)).exists()


def test_ablauf_und_aussetzung_melden(welt):
    admin = welt.user("muenchen", ADMIN)
    projekt = projekt_anlegen(welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE))
    f = beantragen(welt, projekt, an=welt.augsburg)
    services.freigabe_erteilen(freigabe=f, by=admin)
    type(f).objects.filter(pk=f.pk).update(gueltig_bis=timezone.localdate() + dt.timedelta(days=3))
    assert services.ablauf_erinnern() == 1
    assert Benachrichtigung.objects.filter(empfaenger=admin, ereignis="ablauf_erinnerung").exists()
    vorher = projekt.legal_snapshot()
    projekt.gremienstatus = "nichtoeffentlich"
    projekt.save()
    services.rechtliches_geaendert(objekt=projekt, by=admin, vorher=vorher)
    assert Benachrichtigung.objects.filter(
        empfaenger=admin, ereignis="freigabe_ausgesetzt"
    ).exists()


# --- weekly digest --------------------------------------------------------------------------


def _woechentlich(user):
    Benutzer.objects.filter(pk=user.pk).update(benachrichtigung="woechentlich")
    user.refresh_from_db()
    return user


def test_wochenzusammenfassung_idempotent(welt):
    user = _woechentlich(welt.user("augsburg"))
    melden(user, "Zugangsanfrage entschieden")
    melden(user, "Freigabe läuft ab")
    projekt = projekt_anlegen(
        welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE), titel="Open-Data-Portal"
    )
    f = beantragen(welt, projekt, an=welt.augsburg)
    geheim = projekt_anlegen(
        welt.muenchen, welt.user("muenchen", Rolle.HERAUSGABE), titel="Nur für Nürnberg"
    )
    g = beantragen(welt, geheim, an=welt.nuernberg)
    admin = welt.user("muenchen", ADMIN)
    services.freigabe_erteilen(freigabe=f, by=admin)
    services.freigabe_erteilen(freigabe=g, by=admin)
    mail.outbox.clear()
    assert wochenzusammenfassung.wochenzusammenfassung_senden() >= 1
    an_user = [m for m in mail.outbox if m.to == [user.email]]
    assert len(an_user) == 1
    body = an_user[0].body
    assert "Zugangsanfrage entschieden" in body and "Freigabe läuft ab" in body
    assert "Open-Data-Portal" in body
    assert "Nur für Nürnberg" not in body  # shared with another city: never named
    assert not Benachrichtigung.objects.filter(
        empfaenger=user, zugestellt_am__isnull=True, mail="woechentlich"
    ).exists()
    # a second run in the same week sends nothing
    mail.outbox.clear()
    wochenzusammenfassung.wochenzusammenfassung_senden()
    assert not [m for m in mail.outbox if m.to == [user.email]]
    # next week, with nothing new, nothing either
    wochenzusammenfassung.wochenzusammenfassung_senden(jetzt=timezone.now() + dt.timedelta(days=7))
    assert not [m for m in mail.outbox if m.to == [user.email]]


def test_wochenzusammenfassung_fehlschlag_wird_wiederholt(welt, monkeypatch):
    user = _woechentlich(welt.user("augsburg"))
    melden(user, "Wichtig")

    def kaputt(**kwargs):
        raise OSError("Mailserver weg")

    monkeypatch.setattr(wochenzusammenfassung, "send_mail", kaputt)
    assert wochenzusammenfassung.wochenzusammenfassung_senden() == 0
    assert Benachrichtigung.objects.filter(empfaenger=user, zugestellt_am__isnull=True).exists()
    monkeypatch.undo()
    mail.outbox.clear()
    # The regular re-send sweep sends it the same week, once; a user without a digest this
    # week gets none from the sweep.
    andere = _woechentlich(welt.user("nuernberg"))
    melden(andere, "Erst am Mittwoch")
    assert tasks.benachrichtigungen_nachsenden() == 1
    assert tasks.benachrichtigungen_nachsenden() == 0
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert wochenzusammenfassung.wochenzusammenfassung_senden() == 1  # the new one only
    assert [m.to for m in mail.outbox] == [[user.email], [andere.email]]


def test_sofort_nutzer_bekommen_keine_zusammenfassung(welt):
    melden(welt.user("augsburg"), "Sofort-Nachricht")
    mail.outbox.clear()
    assert wochenzusammenfassung.wochenzusammenfassung_senden() == 0
    assert not mail.outbox


def test_wochenzusammenfassung_im_beat_plan(settings):
    plan = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "kommunen.tasks.wochenzusammenfassung_senden" in plan
