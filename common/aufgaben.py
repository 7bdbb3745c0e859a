"""Queueing a background task so that the caller never depends on the broker.

What a task must do is recorded in the database before it is queued (an outbox row, a waiting
document, a Freigabe whose fan-out is owed); a periodic sweep does it if the queueing fails.
So a broker that is down costs a delay, never a failed request or lost work.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction

log = logging.getLogger(__name__)

# After the broker refused a task, this process queues nothing for so many seconds: each try
# costs the caller the broker's connection timeout, and what is owed waits in the database
# for the sweeps anyway. One request per process and pause pays the timeout, not every one.
PAUSE_NACH_FEHLER = 30.0
_pause_bis = 0.0


def pause_beenden() -> None:
    """Forget a broker failure (the broker is known to be back, or another one is used)."""
    global _pause_bis
    _pause_bis = 0.0


def _broker_fehler() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    fehler: list[type[BaseException]] = [OperationalError, ConnectionError, OSError, TimeoutError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is installed with celery[redis]
        pass
    else:
        fehler.append(RedisError)
    return tuple(fehler)


def einreihen(task, *args) -> bool:
    """Queue `task(*args)` once, without retries; False (and a log line) if the broker cannot
    take it now. No request reads the result, so none is awaited or stored: a result backend
    that is down cannot hold the caller up. In eager mode (no broker) the task runs here and
    its errors propagate."""
    global _pause_bis
    if not task.app.conf.task_always_eager and time.monotonic() < _pause_bis:
        log.info("Aufgabe %s%r nicht eingereiht (Broker pausiert).", task.name, args)
        return False
    try:
        task.apply_async(args=args, retry=False, ignore_result=True)
    except _broker_fehler():
        _pause_bis = time.monotonic() + PAUSE_NACH_FEHLER
        log.warning(
            "Aufgabe %s%r nicht eingereiht (Broker nicht erreichbar); der periodische Lauf holt "
            "sie nach.",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True


def nach_commit_einreihen(task, *args) -> None:
    """`einreihen` once the current transaction has committed (never for a rolled-back one)."""
    transaction.on_commit(lambda: einreihen(task, *args))
