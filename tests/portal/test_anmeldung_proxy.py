"""Login throttling behind the reverse proxy: locked per user and client address."""

import pytest
from django.urls import reverse

from kommunen import services
from kommunen.models import Benutzer, Rolle
from tests.dienste import einstellungen_lesen

PASSWORT = "Geheim-Passwort-123"
PROXY = "10.0.0.2"  # every request reaches gunicorn from the proxy's address
A, B = "203.0.113.5", "198.51.100.9"


def _einstellungen(**env) -> dict:
    """The axes/ipware settings that portal.settings derives from the environment."""
    code = (
        "from django.conf import settings as s; "
        "print(repr((s.AXES_IPWARE_PROXY_COUNT, tuple(s.AXES_IPWARE_META_PRECEDENCE_ORDER), "
        "s.AXES_LOCKOUT_PARAMETERS, s.IPWARE_STRICT)))"
    )
    result = einstellungen_lesen(code, env, ohne=lambda k: k == "TRUSTED_PROXY_COUNT")
    result.check_returncode()
    anzahl, reihenfolge, parameter, strict = eval(result.stdout)  # noqa: S307 - our own repr
    return {
        "AXES_IPWARE_PROXY_COUNT": anzahl,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": reihenfolge,
        "AXES_LOCKOUT_PARAMETERS": parameter,
        "IPWARE_STRICT": strict,
    }


@pytest.fixture
def admin(welt):
    user = Benutzer.objects.filter(username="nuernberg-admin").first()
    if user is None:
        user = services.benutzer_anlegen(
            username="nuernberg-admin",
            kommune=welt.nuernberg,
            rolle=Rolle.FREIGABE_ADMIN,
            password=PASSWORT,
            email="nuernberg-admin@example.org",
        )
    user.set_password(PASSWORT)
    user.save()
    return user


def _anmelden(client, xff: str | None, passwort: str):
    extra = {"REMOTE_ADDR": PROXY}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(
        reverse("login"), {"username": "nuernberg-admin", "password": passwort}, **extra
    )


def test_hinter_dem_proxy_sperrt_eine_adresse_nur_sich_selbst(client, admin, settings):
    for name, wert in _einstellungen(TRUSTED_PROXY_COUNT="1").items():
        setattr(settings, name, wert)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _anmelden(client, A, "falsch").status_code == 200
    assert _anmelden(client, A, "falsch").status_code == 429  # the limit-th failure locks
    gesperrt = _anmelden(client, A, PASSWORT)
    assert gesperrt.status_code == 429
    assert "vorübergehend gesperrt" in gesperrt.content.decode()
    # The same user from another address still gets in.
    assert _anmelden(client, B, PASSWORT).status_code == 302
    client.logout()
    # Only the address our proxy appended counts: a client that claims to be B in its own
    # X-Forwarded-For header is still A.
    assert _anmelden(client, f"{B}, {A}", PASSWORT).status_code == 429


def test_ohne_vertrauenswuerdigen_proxy_zaehlt_der_header_nicht(client, admin, settings):
    for name, wert in _einstellungen().items():
        setattr(settings, name, wert)
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _anmelden(client, A, "falsch")
    # A forged header does not escape the lock of the real (socket) address.
    assert _anmelden(client, B, PASSWORT).status_code == 429


def test_proxy_anzahl_aus_der_umgebung():
    assert _einstellungen(TRUSTED_PROXY_COUNT="2")["AXES_IPWARE_PROXY_COUNT"] == 1
    assert _einstellungen(TRUSTED_PROXY_COUNT="1")["AXES_IPWARE_META_PRECEDENCE_ORDER"] == (
        "HTTP_X_FORWARDED_FOR",
        "REMOTE_ADDR",
    )
