"""Readiness checks for /healthz: can this process reach the database, the broker, the cache?

Each check runs in its own thread and the whole answer waits at most ``DEADLINE`` seconds, so a
server that hangs (not only one that refuses) cannot hold the load balancer's probe.
"""

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections

DEADLINE = 2.5


def database_ok() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def broker_ok() -> bool:
    from kombu import Connection

    options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=2, transport_options=options
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=2)
    return True


def cache_ok() -> bool:
    cache = caches["default"]
    if hasattr(cache, "is_available"):
        return cache.is_available()
    cache.set("healthz", "ok", 5)
    return cache.get("healthz") == "ok"


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_ok,
    "broker": broker_ok,
    "cache": cache_ok,
}


def _run(check: Callable[[], bool], result: dict) -> None:
    try:
        result["ok"] = bool(check())
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        result["ok"] = False
    finally:
        # This thread's own connections (database, cache) end with it.
        connections.close_all()


def run_checks(deadline: float = DEADLINE) -> dict[str, bool]:
    """Run every check in parallel; a check still running at the deadline counts as down."""
    results = {name: {} for name in CHECKS}
    threads = {
        name: threading.Thread(
            target=_run, args=(check, results[name]), name=f"healthz-{name}", daemon=True
        )
        for name, check in CHECKS.items()
    }
    for thread in threads.values():
        thread.start()
    end = time.monotonic() + deadline
    for thread in threads.values():
        thread.join(max(0.0, end - time.monotonic()))
    return {name: results[name].get("ok", False) for name in CHECKS}
