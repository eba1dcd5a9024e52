"""Work that grows with the data, done in batches of bounded size."""

from django.db.models import QuerySet

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
