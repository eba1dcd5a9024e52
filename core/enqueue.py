"""Enqueue a task, or leave the work for the sweep: the one rule of every fan-out.

The work is a row in the database ("to send", pending), written in the request's transaction.
Its task is only a nudge, sent after the commit without retrying (a web request must not wait
for a broker that is down). When the broker refuses, nothing is lost: the row stays to do and
the minute's sweep (or the next beat tick) enqueues it again.

After a refusal this process leaves enqueuing to the sweeps for ``BROKER_BACKOFF_SECONDS``, so
a request that queues many rows (a round of e-mails) does not wait for the broker's timeout once
per row. That pause is this process's knowledge of its own connection, not shared state: every
other process still tries, and the rows themselves are in the database for the sweeps.
"""

import logging
import time

logger = logging.getLogger(__name__)

BROKER_BACKOFF_SECONDS = 30
_resting_until = 0.0


def broker_resting() -> bool:
    """Whether this process saw the broker refuse a moment ago and leaves it to the sweeps."""
    return time.monotonic() < _resting_until


def forget_broker_failures() -> None:
    """Try the broker again at once (tests, and a process that knows it is back)."""
    global _resting_until
    _resting_until = 0.0


def _broker_refused() -> None:
    global _resting_until
    _resting_until = time.monotonic() + BROKER_BACKOFF_SECONDS


def enqueue_or_leave_for_sweep(task, args: tuple, *, what: str) -> bool:
    """Send ``task`` with ``args`` once; on a broker failure log ``what`` and return False."""
    if broker_resting():
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - the row stays to do and the sweep enqueues it
        _broker_refused()
        logger.warning("Could not enqueue %s; the sweep will.", what)
        return False
    return True


def enqueue_all_or_leave_for_sweep(task, batches: list[tuple], *, what: str) -> int:
    """Send one ``task`` message per argument tuple over one broker connection; return how many
    were sent (the first ones). The rest stay for the sweep, as with a single message."""
    sent = 0
    if broker_resting():
        return sent
    try:
        with task.app.producer_or_acquire() as producer:
            for args in batches:
                task.apply_async(args, retry=False, producer=producer)
                sent += 1
    except Exception:  # noqa: BLE001 - the rows stay to do and the sweep enqueues them
        _broker_refused()
        logger.warning(
            "Could not enqueue %s of %s for %s; the sweep will.",
            len(batches) - sent,
            len(batches),
            what,
        )
    return sent
