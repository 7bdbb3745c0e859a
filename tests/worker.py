"""A real Celery worker thread against Redis, for the tests that are about delivery."""

import contextlib
import time

from celery._state import _set_task_join_will_block
from celery.contrib.testing import tasks as _ping  # noqa: F401  (registers celery.ping)
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from portal.celery import app


def _verbindungen_schliessen(**kwargs):
    # The worker thread's own database connection must not outlive the test database.
    connections.close_all()


@contextlib.contextmanager
def broker(redis: str):
    """Point the app at Redis `redis` (no eager mode): tasks go to the queue, not inline."""
    alt = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis, result_backend=redis, task_always_eager=False)
    _vergessen()
    try:
        app.control.purge()
        yield
    finally:
        app.conf.update(alt)
        _vergessen()


@contextlib.contextmanager
def echter_worker(redis: str):
    """Point the app at Redis `redis` and run an embedded worker thread.

    Each test module passes a Redis database of its own, so that a parallel run of another
    module's worker tests cannot purge its queue.
    """
    task_postrun.connect(_verbindungen_schliessen, weak=False)
    try:
        with (
            broker(redis),
            start_worker(app, perform_ping_check=True, shutdown_timeout=30, loglevel="WARNING"),
        ):
            yield
    finally:
        task_postrun.disconnect(_verbindungen_schliessen)
        # The embedded worker marks this process as a worker process ("a task must not wait
        # for a result") while its pool runs, and a consumer restart during shutdown can set
        # it again after start_worker cleared it. The test process is no worker: later eager
        # tasks may wait for their results.
        _set_task_join_will_block(False)


def _vergessen():
    """Drop connection pools and backends built for the previous configuration."""
    # Not closed: kombu keeps pools per connection URL and hands the same one out again.
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


def warten(bedingung, sekunden=20):
    """Poll `bedingung` until it holds (True) or `sekunden` have passed (False)."""
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        if bedingung():
            return True
        time.sleep(0.1)
    return False
