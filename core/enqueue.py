"""Enqueue a task, or leave the work for the sweep: the one rule of every fan-out.

The work is a row in the database ("to send", pending), written in the request's transaction.
Its task is only a nudge, sent after the commit without retrying (a web request must not wait
for a broker that is down). When the broker refuses, nothing is lost: the row stays to do and
the minute's sweep (or the next beat tick) enqueues it again.
"""

import logging

logger = logging.getLogger(__name__)


def enqueue_or_leave_for_sweep(task, args: tuple, *, what: str) -> bool:
    """Send ``task`` with ``args`` once; on a broker failure log ``what`` and return False."""
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - the row stays to do and the sweep enqueues it
        logger.warning("Could not enqueue %s; the sweep will.", what)
        return False
    return True
