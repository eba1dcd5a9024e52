"""A short cache of the public directory's counts per country, area and city.

At ten thousand organizations the counts cost more than the page itself: they group the whole
registry on every request, and most visitors ask the same few questions (no filter, one country).
They are kept in the shared Redis cache for a minute with the generation they were counted
under; any change to an organization, its areas or the areas themselves starts a new generation
(organizations/signals.py), so an approved organization is counted at once (counts of an older
generation are counted again). A request reads its first counts together with the generation,
in one round trip (all the counts it will ask for, when it names them first: ``expect``).
Without Redis every request counts afresh.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from core.cache import generation_and, renew_generation

GENERATION_KEY = "organizations:facets:generation"
TIMEOUT_SECONDS = 60
_REQUEST_ATTR = "_facet_counts_generation"
_FETCHED_ATTR = "_facet_counts_fetched"


def _fingerprint(filters: dict) -> str:
    parts = sorted(
        (name, str(getattr(value, "pk", value)))
        for name, value in filters.items()
        if value not in (None, "")
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _key(name: str, filters: dict) -> str:
    return f"organizations:facets:{name}:{_fingerprint(filters)}"


def expect(request, counts: list[tuple[str, dict]]) -> None:
    """Read the counts a page is about to ask for (name and filters, as it will ask) with the
    generation, in one round trip."""
    keys = [_key(name, filters) for name, filters in counts]
    current, values = generation_and(GENERATION_KEY, keys)
    setattr(request, _REQUEST_ATTR, current)
    setattr(request, _FETCHED_ATTR, {key: values.get(key) for key in keys})


def cached_counts(name: str, filters: dict, count: Callable, *, request=None):
    """Return ``count()`` for the directory filtered by ``filters``, from the cache if fresh;
    with ``request``, the generation is read once for all the counts of the page."""
    key = _key(name, filters)
    if request is not None and hasattr(request, _REQUEST_ATTR):
        current = getattr(request, _REQUEST_ATTR)
        fetched = getattr(request, _FETCHED_ATTR, {})
        if not current:
            stored = None
        elif key in fetched:
            stored = fetched.pop(key)
        else:
            stored = cache.get(key)
    else:
        current, values = generation_and(GENERATION_KEY, [key])
        stored = values.get(key)
        if request is not None:
            setattr(request, _REQUEST_ATTR, current)
    if not current:  # the cache is down, or this process owes a renewal: count afresh
        return count()
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
        return stored[1]
    value = count()
    cache.set(key, (current, value), timeout=TIMEOUT_SECONDS)
    return value


def forget_counts(**_kwargs) -> None:
    """Start a new generation: every cached count is stale (a signal receiver)."""
    renew_generation(GENERATION_KEY)
