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

from core.cache import KeptUnderGeneration, renew_generation

GENERATION_KEY = "organizations:facets:generation"
TIMEOUT_SECONDS = 60
_kept = KeptUnderGeneration(GENERATION_KEY, "_facet_counts")


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
    _kept.expect(request, [_key(name, filters) for name, filters in counts])


def cached_counts(name: str, filters: dict, count: Callable, *, request=None):
    """Return ``count()`` for the directory filtered by ``filters``, from the cache if fresh;
    with ``request``, the generation is read once for all the counts of the page."""
    return _kept.get_or_make(_key(name, filters), count, timeout=TIMEOUT_SECONDS, request=request)


def forget_counts(**_kwargs) -> None:
    """Start a new generation: every cached count is stale (a signal receiver)."""
    renew_generation(GENERATION_KEY)
