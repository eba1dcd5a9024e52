"""The base class of every Celery task of the portal (``diaspora_portal.celery`` installs it)."""

import logging

from celery import Task

logger = logging.getLogger(__name__)


class PortalTask(Task):
    """Every task of the portal: a message whose task kills its worker is not run for ever.

    Tasks are acknowledged late and a message whose worker was lost goes back to the queue
    (``acks_late``, ``task_reject_on_worker_lost``), so a worker that dies mid-task loses
    nothing. A task that itself kills its worker (memory, a crash in a library) would come back
    again and again: each delivery of a message is counted in Redis (the shared cache, by task
    id), and after CELERY_TASK_MAX_DELIVERIES the task gives up instead of running
    (``give_up``: a task that owns a row marks it failed).
    """

    def __call__(self, *args, **kwargs):
        if self.request.called_directly or not self.request.id:
            return super().__call__(*args, **kwargs)
        deliveries = _count_delivery(self.request.id)
        from django.conf import settings

        if deliveries is not None and deliveries > settings.CELERY_TASK_MAX_DELIVERIES:
            logger.error(
                "Task %s[%s] was delivered %s times and its worker stopped each time; giving up.",
                self.name,
                self.request.id,
                deliveries - 1,
            )
            try:
                return self.give_up(*args, **kwargs)
            finally:
                _forget_deliveries(self.request.id)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # It returned or raised: its worker survived, so the count starts again.
            _forget_deliveries(self.request.id)

    def give_up(self, *args, **kwargs) -> None:
        """Called instead of the task once its message killed its worker too often."""


def _delivery_key(task_id: str) -> str:
    return f"task-deliveries:{task_id}"


def _count_delivery(task_id: str) -> int | None:
    from django.core.cache import cache

    key = _delivery_key(task_id)
    try:
        cache.add(key, 0, timeout=2 * 24 * 3600)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - without the cache the task runs, uncounted
        logger.warning("Could not count the deliveries of task %s.", task_id)
        return None


def _forget_deliveries(task_id: str) -> None:
    from django.core.cache import cache

    try:
        cache.delete(_delivery_key(task_id))
    except Exception:  # noqa: BLE001 - the key expires on its own
        logger.warning("Could not reset the deliveries of task %s.", task_id)
