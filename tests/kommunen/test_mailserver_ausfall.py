"""Mail server down: notifications wait and go out once when it is back.

The mail server is real: an SMTP server (aiosmtpd) on a port of this test's own, absent (port
closed), silent (accepts, never answers) or refusing one recipient (a poisoned message).
"""

import contextlib
import socket

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from kommunen import services, tasks
from kommunen.models import Benachrichtigung, Benutzer, Rolle
from tests.dienste import freier_port
from tests.factories import projekt_anlegen
from tests.formulare import freigabe_daten

VERGIFTET = "gibt-es-nicht@augsburg.example"


class Postfach:
    """What the server accepted, per recipient; one address is refused with 550."""

    def __init__(self):
        self.empfangen: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == VERGIFTET:
            return "550 5.1.1 Empfaenger unbekannt"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.empfangen.extend(envelope.rcpt_tos)
        return "250 OK"


@contextlib.contextmanager
def mailserver(port: int):
    postfach = Postfach()
    server = Controller(postfach, hostname="127.0.0.1", port=port)
    server.start()
    try:
        yield postfach
    finally:
        server.stop()


@pytest.fixture
def port(settings):
    port = freier_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    return port


@pytest.fixture
def empfaenger(welt):
    vergiftet = Benutzer.objects.create_user(
        "augsburg-vergiftet", email=VERGIFTET, kommune=welt.augsburg, rolle=Rolle.MITARBEIT
    )
    gute = [welt.user(s, r) for s in ("augsburg", "nuernberg") for r in Rolle.values]
    # The poisoned row comes first: it must not hold up those behind it.
    return [vergiftet, *gute]


def _offen():
    return Benachrichtigung.objects.filter(zugestellt_am__isnull=True, mail="sofort")


def test_ausfall_wartet_und_danach_genau_einmal(
    port, empfaenger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.benachrichtigen(
            empfaenger=empfaenger, ereignis="test", betreff="Hallo", text="Text"
        )
    assert len(rows) == len(empfaenger)
    # Server down: every row waits, none is charged an attempt, however long it lasts.
    for _ in range(tasks.MAX_VERSUCHE + 3):
        assert tasks.benachrichtigungen_nachsenden() == 0
    assert _offen().count() == len(empfaenger)
    assert set(_offen().values_list("versuche", flat=True)) == {0}
    assert "ConnectionRefusedError" in _offen().first().fehler

    with mailserver(port) as postfach:
        assert tasks.benachrichtigungen_nachsenden() == len(empfaenger) - 1
        for _ in range(tasks.MAX_VERSUCHE + 3):
            tasks.benachrichtigungen_nachsenden()
    gute = sorted(u.email for u in empfaenger if u.email != VERGIFTET)
    assert sorted(postfach.empfangen) == gute  # each exactly once
    # The poisoned row is charged, tried up to the limit and then given up; nothing else.
    (b,) = _offen()
    assert b.empfaenger.email == VERGIFTET
    assert b.versuche == tasks.MAX_VERSUCHE
    assert "SMTPRecipientsRefused" in b.fehler


def test_stummer_server_haelt_den_lauf_nicht_auf(port, empfaenger, settings):
    settings.EMAIL_TIMEOUT = 0.5
    services.benachrichtigen(empfaenger=empfaenger, ereignis="test", betreff="Hallo", text="T")
    with socket.create_server(("127.0.0.1", port)):  # accepts the connection, never answers
        assert tasks.benachrichtigungen_nachsenden() == 0
    # The sweep stopped after the first timeout instead of waiting once per row.
    assert _offen().count() == len(empfaenger)
    mit_fehler = _offen().exclude(fehler="")
    assert mit_fehler.count() == 1
    assert "timed out" in mit_fehler.get().fehler


def test_anfrage_bei_ausfall_gelingt(client, welt, port, django_capture_on_commit_callbacks):
    her = welt.user("muenchen", Rolle.HERAUSGABE)
    p = projekt_anlegen(welt.muenchen, her)
    client.force_login(her)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("projekte:freigeben", args=[p.pk]),
            freigabe_daten(empfaenger_kommune=welt.augsburg.pk),
        )
    assert r.status_code == 302
    # The admins' notices are written and owed; the mail waits for the server.
    admins = Benutzer.objects.filter(kommune=welt.muenchen, rolle=Rolle.FREIGABE_ADMIN)
    assert _offen().filter(empfaenger__in=admins).count() == admins.count() > 0
