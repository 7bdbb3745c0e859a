"""The read replica: which reads may go to it, and the router that sends them there.

Only configured with DATABASE_REPLICA_URL (portal/settings.py); without it none of this is
installed and every query goes to the one database.

- Every write goes to the primary (`default`).
- A read goes to the replica only while a view marked with `@replikat_lesen` runs (the lists,
  the search, the dashboard), in a GET request, as long as nothing has been written in this
  request and no atomic block on the primary is open. Everything else reads the primary:
  POST requests, detail pages, downloads, the session and the signed-in user, tasks, commands.
- Read your writes: `ReplikatMiddleware` watches every statement on the primary during the
  request (an execute wrapper, so raw SQL and bulk updates count too, not only model saves)
  and the router notes every `db_for_write`. After the first write, the rest of the request
  reads the primary. A response to a request that wrote sets a short-lived cookie
  (DATABASE_REPLICA_PRIMAER_SEKUNDEN): the page the browser is redirected to, and whatever it
  opens in the next seconds, reads the primary too, whatever the replica's lag.
- Permissions are read from the same database as the rows they filter. What is cached under
  the permission generation (the lists' ordered ids, the search's counts, the year lists, the
  facets) is computed on the primary (`primaer()`), so a revoked Freigabe leaves lists and
  search at once; the dashboard follows the replica with its lag (detail pages and downloads
  read the primary and refuse at once). Monitor the lag (`pg_stat_replication.replay_lag`).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMAER = DEFAULT_DB_ALIAS
REPLIKAT = "replica"
COOKIE = "wv_primaer_bis"

# Methods that change nothing: only these may read from the replica.
SICHERE_METHODEN = frozenset({"GET", "HEAD"})

# Django's own bookkeeping that must never lag behind: a session written by the login a
# moment ago is read from the primary, whatever a view asked for.
NUR_PRIMAER_APPS = frozenset({"sessions"})


@dataclass
class _Anfrage:
    """What the router knows about the request being answered in this context."""

    # Atomic blocks already open on the primary when the request began (a test's own).
    atomic_tiefe: int
    geschrieben: bool = False
    replikat: bool = False
    primaer_erzwungen: int = 0

    def im_atomic_block(self) -> bool:
        return len(connections[PRIMAER].atomic_blocks) > self.atomic_tiefe


_anfrage: ContextVar[_Anfrage | None] = ContextVar("wv_datenbank_anfrage", default=None)


def _ziel_fuer_lesen() -> str:
    zustand = _anfrage.get()
    if (
        zustand is None
        or not zustand.replikat
        or zustand.geschrieben
        or zustand.primaer_erzwungen
        or zustand.im_atomic_block()
    ):
        return PRIMAER
    return REPLIKAT


class ReplikatRouter:
    """Writes to the primary; reads to the replica only where the request allows it."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in NUR_PRIMAER_APPS:
            return PRIMAER
        return _ziel_fuer_lesen()

    def db_for_write(self, model, **hints):
        # Django also asks this for reads that mean to write (select_for_update,
        # get_or_create): from here on the request reads what it is about to change.
        zustand = _anfrage.get()
        if zustand is not None:
            zustand.geschrieben = True
        return PRIMAER

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there relates to one read here.
        if {obj1._state.db, obj2._state.db} <= {PRIMAER, REPLIKAT}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica replays the primary's schema; migrating it would fail (read-only).
        return db == PRIMAER


# A statement that reads (or only manages a savepoint). Anything else counts as a write,
# and so does a SELECT that locks rows: the request is about to change them.
_LESEND = frozenset({"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW"})
_SPERRT = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)


def schreibt(sql) -> bool:
    """Whether a statement may change data (in doubt: yes)."""
    if not isinstance(sql, str):
        return True
    woerter = sql.lstrip(" \t\r\n(").split(None, 1)
    if not woerter:
        return False
    wort = woerter[0].upper()
    if wort == "SELECT":
        return _SPERRT.search(sql) is not None
    return wort not in _LESEND


def _schreiben_merken(zustand: _Anfrage, execute, sql, params, many, context):
    # Inside an atomic block opened in this request even a SELECT counts: that is how the
    # services write, and a database function called by SELECT may write as well.
    if not zustand.geschrieben and (schreibt(sql) or zustand.im_atomic_block()):
        zustand.geschrieben = True
    return execute(sql, params, many, context)


def _primaer_markiert(request) -> bool:
    """The browser wrote a moment ago (the cookie set by ReplikatMiddleware)."""
    try:
        return float(request.COOKIES[COOKIE]) > time.time()
    except (KeyError, ValueError):
        return False


class ReplikatMiddleware:
    """Holds the per-request state the router reads, and notes every write on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        primaer = connections[PRIMAER]
        zustand = _Anfrage(atomic_tiefe=len(primaer.atomic_blocks))
        token = _anfrage.set(zustand)
        try:
            with primaer.execute_wrapper(functools.partial(_schreiben_merken, zustand)):
                response = self.get_response(request)
        finally:
            _anfrage.reset(token)
        sekunden = settings.DATABASE_REPLICA_PRIMAER_SEKUNDEN
        if zustand.geschrieben and sekunden:
            response.set_cookie(
                COOKIE,
                str(int(time.time()) + sekunden),
                max_age=sekunden,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def replikat_lesen(view: Callable) -> Callable:
    """Let this view's reads go to the replica (see the module's docstring for when).

    For views whose pages may lag a few seconds behind: lists, search, dashboard. The page is
    rendered inside, so a lazy template response reads the same database as the view.
    """

    @functools.wraps(view)
    def lesen(request, *args, **kwargs):
        zustand = _anfrage.get()
        if zustand is None or request.method not in SICHERE_METHODEN or _primaer_markiert(request):
            return view(request, *args, **kwargs)
        # Who is signed in is read from the primary before anything else: a login, logout or
        # deactivation a moment ago holds, whatever the replica's lag.
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - resolves the lazy user here
        zustand.replikat = True
        try:
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not response.is_rendered:
                response.render()
            return response
        finally:
            zustand.replikat = False

    return lesen


@contextmanager
def primaer() -> Iterator[None]:
    """Read from the primary inside, also in a view marked `@replikat_lesen`: for what is
    kept beyond the request (a process-wide cache), which must not keep a lagging copy."""
    zustand = _anfrage.get()
    if zustand is None:
        yield
        return
    zustand.primaer_erzwungen += 1
    try:
        yield
    finally:
        zustand.primaer_erzwungen -= 1
