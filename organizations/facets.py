"""A short cache of the public directory's counts per country, area and city.

At ten thousand organizations the counts cost more than the page itself: they group the whole
registry on every request, and most visitors ask the same few questions (no filter, one country).
They are kept in the shared Redis cache for a minute under a generation key; any change to an
organization, its areas or the areas themselves starts a new generation (organizations/signals.py),
so an approved organization is counted at once. Without Redis every request counts afresh.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from core.cache import generation, renew_generation

GENERATION_KEY = "organizations:facets:generation"
TIMEOUT_SECONDS = 60
_REQUEST_ATTR = "_facet_counts_generation"


def _fingerprint(filters: dict) -> str:
    parts = sorted(
        (name, str(getattr(value, "pk", value)))
        for name, value in filters.items()
        if value not in (None, "")
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def current_generation(request=None) -> str:
    """The counts' generation, read once per request (every count of a page shares it)."""
    if request is None:
        return generation(GENERATION_KEY)
    if not hasattr(request, _REQUEST_ATTR):
        setattr(request, _REQUEST_ATTR, generation(GENERATION_KEY))
    return getattr(request, _REQUEST_ATTR)


def cached_counts(name: str, filters: dict, count: Callable, *, request=None):
    """Return ``count()`` for the directory filtered by ``filters``, from the cache if fresh."""
    current = current_generation(request)
    if not current:  # the cache is down, or this process owes a renewal: count afresh
        return count()
    key = f"organizations:facets:{current}:{name}:{_fingerprint(filters)}"
    value = cache.get(key)
    if value is None:
        value = count()
        cache.set(key, value, timeout=TIMEOUT_SECONDS)
    return value


def forget_counts(**_kwargs) -> None:
    """Start a new generation: every cached count is stale (a signal receiver)."""
    renew_generation(GENERATION_KEY)
