"""The router's decisions, one by one, and the settings that install it.

No second database is needed here: the router only names an alias, and the requests are
run through ReplikatMiddleware and `@replikat_lesen` with the request factory.
"""

import json
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse

from common.datenbanken import (
    COOKIE,
    PRIMAER,
    REPLIKAT,
    ReplikatMiddleware,
    ReplikatRouter,
    primaer,
    replikat_lesen,
    schreibt,
)
from projekte.models import Projekt
from tests.dienste import einstellungen_lesen

router = ReplikatRouter()


def _ziele(rf, *, methode="get", marke=None, lesen=True, schritte=()):
    """Run one request; return where each step's read of a Projekt would go, and the response."""
    ziele = []

    def ansicht(request):
        ziele.append(router.db_for_read(Projekt))
        for schritt in schritte:
            ziele.append(schritt())
        return HttpResponse("ok")

    request = getattr(rf, methode)("/")
    if marke is not None:
        request.COOKIES[COOKIE] = marke
    response = ReplikatMiddleware(replikat_lesen(ansicht) if lesen else ansicht)(request)
    return ziele, response


def test_ausserhalb_einer_anfrage_liest_alles_den_primaer():
    """Tasks, commands, the shell: no request, no replica."""
    assert router.db_for_read(Projekt) == PRIMAER
    assert router.db_for_write(Projekt) == PRIMAER


def test_eine_markierte_ansicht_liest_das_replikat(rf):
    ziele, response = _ziele(rf)
    assert ziele == [REPLIKAT]
    assert COOKIE not in response.cookies
    # After the view the request reads the primary again (the session middleware, say).
    assert router.db_for_read(Projekt) == PRIMAER


def test_eine_ansicht_ohne_markierung_liest_den_primaer(rf):
    assert _ziele(rf, lesen=False)[0] == [PRIMAER]


@pytest.mark.parametrize("methode", ["post", "put", "patch", "delete"])
def test_aendernde_methoden_lesen_den_primaer(rf, methode):
    assert _ziele(rf, methode=methode)[0] == [PRIMAER]


def test_die_sitzung_liest_immer_den_primaer(rf):
    assert _ziele(rf, schritte=[lambda: router.db_for_read(Session)])[0] == [REPLIKAT, PRIMAER]


def test_nach_db_for_write_liest_die_anfrage_den_primaer_und_setzt_die_marke(rf, settings):
    settings.DATABASE_REPLICA_PRIMAER_SEKUNDEN = 5
    ziele, response = _ziele(
        rf,
        schritte=[
            lambda: router.db_for_write(Projekt),
            lambda: router.db_for_read(Projekt),
        ],
    )
    assert ziele == [REPLIKAT, PRIMAER, PRIMAER]
    marke = response.cookies[COOKIE]
    assert int(marke.value) - time.time() == pytest.approx(5, abs=2)
    assert marke["max-age"] == 5
    assert marke["httponly"]
    assert marke["samesite"] == "Lax"


def test_ohne_nachlauf_keine_marke(rf, settings):
    settings.DATABASE_REPLICA_PRIMAER_SEKUNDEN = 0
    _ziele_, response = _ziele(rf, schritte=[lambda: router.db_for_write(Projekt)])
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("marke", "ziel"),
    [(60, PRIMAER), (-1, REPLIKAT), ("kaputt", REPLIKAT), ("", REPLIKAT)],
)
def test_die_marke_eines_vorigen_schreibens(rf, marke, ziel):
    # Seconds from now, taken when the test runs (not when it was collected).
    if isinstance(marke, int):
        marke = str(int(time.time()) + marke)
    assert _ziele(rf, marke=marke)[0] == [ziel]


def test_primaer_erzwingen(rf):
    def im_block():
        with primaer(), primaer():
            return router.db_for_read(Projekt)

    ziele, _response = _ziele(rf, schritte=[im_block, lambda: router.db_for_read(Projekt)])
    assert ziele == [REPLIKAT, PRIMAER, REPLIKAT]


@pytest.mark.django_db
def test_im_atomic_block_liest_die_anfrage_den_primaer(rf):
    """A block opened in the request counts; the ones a test (or a caller) holds do not."""

    def im_block():
        with transaction.atomic():
            return router.db_for_read(Projekt)

    assert _ziele(rf, schritte=[im_block])[0] == [REPLIKAT, PRIMAER]


@pytest.mark.django_db
def test_eine_anweisung_im_atomic_block_zaehlt_als_schreiben(rf):
    """A database function called by SELECT may write: inside a transaction the request
    opened, every statement counts."""
    from django.db import connection

    def lesen_im_block():
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SELECT 1")
        return router.db_for_read(Projekt)

    ziele, response = _ziele(rf, schritte=[lesen_im_block])
    assert ziele == [REPLIKAT, PRIMAER]
    assert COOKIE in response.cookies


@pytest.mark.parametrize(
    ("sql", "erwartet"),
    [
        ("SELECT 1", False),
        ('  (SELECT "a" FROM t) UNION (SELECT "b" FROM u)', False),
        ("select * from t where x = %s", False),
        ("SAVEPOINT s1", False),
        ("RELEASE SAVEPOINT s1", False),
        ("ROLLBACK TO SAVEPOINT s1", False),
        ("SHOW server_version", False),
        ("SELECT * FROM t FOR UPDATE", True),
        ("SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED", True),
        ("SELECT * FROM t for share", True),
        ("INSERT INTO t VALUES (1)", True),
        ("update t set a = 1", True),
        ("DELETE FROM t", True),
        ("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", True),
        ("COPY t FROM STDIN", True),
        ("TRUNCATE t", True),
        ("CALL p()", True),
        (b"SELECT 1", True),  # not a string: in doubt a write
        ("", False),
    ],
)
def test_schreibt(sql, erwartet):
    assert schreibt(sql) is erwartet


class _Objekt:
    def __init__(self, db):
        self._state = type("State", (), {"db": db})()


@pytest.mark.parametrize(
    ("a", "b", "erwartet"),
    [
        (PRIMAER, PRIMAER, True),
        (PRIMAER, REPLIKAT, True),
        (REPLIKAT, REPLIKAT, True),
        (PRIMAER, "andere", None),
    ],
)
def test_allow_relation(a, b, erwartet):
    assert router.allow_relation(_Objekt(a), _Objekt(b)) is erwartet


def test_migriert_wird_nur_der_primaer():
    assert router.allow_migrate(PRIMAER, "projekte") is True
    assert router.allow_migrate(REPLIKAT, "projekte") is False


def test_ohne_middleware_tut_die_markierung_nichts(rf):
    """Without DATABASE_REPLICA_URL there is no middleware: the view runs as it is."""
    ziele = []

    @replikat_lesen
    def ansicht(request):
        ziele.append(router.db_for_read(Projekt))
        return HttpResponse("ok")

    ansicht(rf.get("/"))
    assert ziele == [PRIMAER]


# --- settings ---------------------------------------------------------------------------------


def _einstellungen(**env) -> dict:
    """What portal.settings makes of the environment, read in a fresh interpreter."""
    code = (
        "import json; from django.conf import settings as s; "
        "r = s.DATABASES.get('replica'); "
        "print(json.dumps({'replica': r and {k: r[k] for k in "
        "('NAME', 'HOST', 'USER', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'OPTIONS', 'TEST')}, "
        "'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE}))"
    )
    result = einstellungen_lesen(
        code,
        env,
        ohne=lambda k: k.startswith("DATABASE_REPLICA") or k == "TEST_DATABASE_NAME",
    )
    if result.returncode:
        return {"fehler": result.stderr}
    return json.loads(result.stdout)


PG = "postgres://postgres@127.0.0.1:5432/wissensverbund"


def test_ohne_replikat_bleibt_alles_beim_alten():
    werte = _einstellungen(DATABASE_URL=PG)
    assert werte["replica"] is None
    assert werte["routers"] == []
    assert "common.datenbanken.ReplikatMiddleware" not in werte["middleware"]


def test_mit_replikat():
    werte = _einstellungen(
        DATABASE_URL=PG,
        DATABASE_REPLICA_URL="postgres://leser@replikat.example:5432/wissensverbund",
        TEST_DATABASE_NAME="test_wv_rep_einstellung",
        CONN_MAX_AGE="30",
    )
    replica = werte["replica"]
    assert replica["NAME"] == "wissensverbund"
    assert replica["HOST"] == "replikat.example"
    assert replica["USER"] == "leser"
    assert replica["CONN_MAX_AGE"] == 30
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"] == {"options": "-c jit=off"}
    assert replica["TEST"] == {"NAME": "test_wv_rep_einstellung_replikat"}
    assert werte["routers"] == ["common.datenbanken.ReplikatRouter"]
    middleware = werte["middleware"]
    sitzung = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert middleware[sitzung + 1] == "common.datenbanken.ReplikatMiddleware"


def test_replikat_nur_zu_postgresql():
    werte = _einstellungen(
        DATABASE_URL="sqlite:////tmp/wv.sqlite3",
        DATABASE_REPLICA_URL="postgres://leser@replikat.example:5432/wissensverbund",
    )
    assert "DATABASE_REPLICA_URL setzt PostgreSQL" in werte["fehler"]
