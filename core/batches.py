"""Work that grows with the data, done in batches of bounded size."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

# Rows per DELETE: small enough for a short lock and a bounded memory, large enough that a
# purge of a hundred thousand rows takes a hundred statements.
DELETE_BATCH = 1000


def delete_in_batches(queryset: QuerySet, *, size: int = DELETE_BATCH) -> int:
    """Delete the rows of ``queryset`` in batches by primary key; return how many rows went.

    Each batch is one ``DELETE … WHERE id IN (SELECT id … LIMIT size)`` when Django can delete
    the model without loading it (no signal receivers, no cascades handled in Python); a model
    with cascades loads at most ``size`` rows at a time. Counts the rows of the queryset's own
    model, not what cascaded.
    """
    model = queryset.model
    label = model._meta.label
    deleted = 0
    while True:
        batch = queryset.order_by("pk").values("pk")[:size]
        count = model._base_manager.filter(pk__in=batch).delete()[1].get(label, 0)
        deleted += count
        if count < size:
            return deleted


def days_ago(days: float) -> datetime:
    """The moment ``days`` ago: the cutoff of a retention period."""
    return timezone.now() - timedelta(days=days)


def work_in_locked_batches(
    queryset: QuerySet, work: Callable[[list], None], *, size: int, of: tuple[str, ...] = ()
) -> None:
    """Hand the rows of ``queryset`` to ``work`` in batches of at most ``size``, by primary key.

    Each batch is locked with ``SELECT … FOR UPDATE SKIP LOCKED`` in its own durable
    transaction, inside which ``work(batch)`` runs: concurrent runs share the rows out and never
    work on one row at once, and each batch commits on its own. ``of`` limits the lock to those
    tables (``("self",)`` with ``select_related``).
    """
    last_pk = 0
    while True:
        with transaction.atomic(durable=True):
            batch = list(
                queryset.filter(pk__gt=last_pk)
                .select_for_update(skip_locked=True, of=of)
                .order_by("pk")[:size]
            )
            if not batch:
                return
            work(batch)
            last_pk = batch[-1].pk
