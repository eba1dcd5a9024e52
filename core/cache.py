"""The portal's shared cache: Redis that never holds a request when Redis is down.

allauth keeps its rate limits in the cache, so every web process and host must share it. When
the cache Redis refuses or hangs, each call gives up after the socket timeouts (about 2 s) and
the cache then counts as down for a short while in this process, so later calls do not wait
again. While it is down, reads miss and writes are dropped: pages keep answering and rate
limits are not enforced (logged at error level, and /healthz reports the cache down).
"""

import logging
import time
from uuid import uuid4

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, skip Redis for this long (seconds) before trying again.
RETRY_AFTER = 10.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and building one fills its table
    of response callbacks: about a third of the CPU time of a cache read, several times per
    signed-in page (session tracking, the public generation, fragments). The object holds no
    connection of its own (the pool does, and is safe across threads and after a fork), so one
    per pool serves every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    """Redis cache that fails open on connection errors and clears only its own keys."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._down_until = 0.0

    def _guard(self, fallback, method, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return method(*args)
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.error(
                "Cache Redis unavailable during %s (%s); serving without the cache for %d s.",
                method.__name__,
                type(error).__name__,
                RETRY_AFTER,
            )
            return fallback

    def is_available(self) -> bool:
        """Ping Redis now (for /healthz), ignoring the back-off."""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except RedisError:
            return False

    # An unavailable cache answers like an empty one that accepts every write.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def set_reporting(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Set the key; return whether Redis took it (False while the cache is down)."""

        def call():
            super(PortalRedisCache, self).set(key, value, timeout, version)
            return True

        call.__name__ = "set"
        return self._guard(False, call)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def clear(self):
        """Delete this cache's keys only: the Redis database may hold the broker's queues too."""

        def call():
            client = self._cache.get_client(write=True)
            # Django's keys are "<prefix>:<version>:<key>"; the broker's never look like that.
            pattern = f"{self.key_prefix}:*"
            deleted = False
            batch = []
            for key in client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) >= 500:
                    deleted = bool(client.delete(*batch)) or deleted
                    batch = []
            if batch:
                deleted = bool(client.delete(*batch)) or deleted
            return deleted

        call.__name__ = "clear"
        return self._guard(False, call)


# Helpers on the shared cache for the portal's own counters and generations.


def count_in_window(key: str, *, seconds: int) -> int:
    """Count one more event under ``key`` in a window of ``seconds``; return the count so far
    (for rate limits shared by every process: onboarding invitations, workspace posts)."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr, or the cache is down
        cache.set(key, 1, timeout=seconds)
        return 1


# Generations this process failed to renew. Until it renews them, it uses none of their cached
# values: a change it committed must not be hidden behind a page cached before (fail closed).
_unrenewed: set[str] = set()


def generation(key: str) -> str:
    """The current generation under ``key`` (made on first use): part of the keys of a family of
    cached values, so renewing it retires them all at once. Empty when the cache is down, or
    while this process still owes a renewal it could not make (callers then skip the cache)."""
    if key in _unrenewed and not renew_generation(key):
        return ""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid4().hex, timeout=None)
        value = cache.get(key) or ""
    return value


def generation_and(key: str, others: list[str]) -> tuple[str, dict]:
    """``generation(key)`` and the values cached under ``others``, read in one round trip (a
    missing value is left out; all are when the generation is empty)."""
    if key not in _unrenewed:
        values = cache.get_many([key, *others])
        if values.get(key):
            return values.pop(key), values
    current = generation(key)
    return current, (cache.get_many(others) if current and others else {})


class KeptUnderGeneration:
    """Values kept in the shared cache with the generation (under ``generation_key``) they were
    made under, so renewing it retires them all: an entry of an older generation is made again,
    and with the cache down (or a renewal owed) everything is made afresh.

    A request reads the generation once (kept on the request under ``request_attr``), the
    values it names ahead (``expect``) together with it in one round trip, and any other value
    in one read of its own. Used by the public fragments and the directory's counts.
    """

    def __init__(self, generation_key: str, request_attr: str):
        self.generation_key = generation_key
        self._generation_attr = request_attr + "_generation"
        self._fetched_attr = request_attr + "_fetched"

    def current(self, request=None) -> str:
        """The generation, read once per request; empty when the cache is down."""
        if request is None:
            return generation(self.generation_key)
        if not hasattr(request, self._generation_attr):
            setattr(request, self._generation_attr, generation(self.generation_key))
        return getattr(request, self._generation_attr)

    def expect(self, request, keys: list[str]) -> None:
        """Read ``keys`` now (with the generation, if the request has not read it yet), in one
        round trip; a key never asked for afterwards only cost its read."""
        if hasattr(request, self._generation_attr):
            current = getattr(request, self._generation_attr)
            values = cache.get_many(keys) if current and keys else {}
        else:
            current, values = generation_and(self.generation_key, keys)
            setattr(request, self._generation_attr, current)
        self._fetched(request).update({key: values.get(key) for key in keys})

    def get_or_make(self, key: str, make, *, timeout: int, request=None):
        """The value kept under ``key`` in the current generation, else ``make()`` (kept)."""
        if request is None:
            current, values = generation_and(self.generation_key, [key])
            stored = values.get(key)
        else:
            if not hasattr(request, self._generation_attr):
                self.expect(request, [key])
            current, fetched = getattr(request, self._generation_attr), self._fetched(request)
            if key in fetched:
                stored = fetched.pop(key)
            elif current:
                stored = cache.get(key)
            else:
                stored = None
        if not current:
            return make()
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
            return stored[1]
        value = make()
        cache.set(key, (current, value), timeout=timeout)
        return value

    def _fetched(self, request) -> dict:
        """What ``expect`` read for this request, by key (None: read and missing)."""
        if not hasattr(request, self._fetched_attr):
            setattr(request, self._fetched_attr, {})
        return getattr(request, self._fetched_attr)


def renew_generation(key: str) -> bool:
    """Start a new generation under ``key``; return whether the cache took it. When it did not,
    this process serves nothing of the old generation until a later renewal succeeds."""
    value = uuid4().hex
    report = getattr(cache, "set_reporting", None)
    if report is None:  # a cache without failures to report (the per-process one)
        cache.set(key, value, timeout=None)
        renewed = True
    else:
        renewed = report(key, value, timeout=None)
    if renewed:
        _unrenewed.discard(key)
    else:
        _unrenewed.add(key)
        logger.error("Could not renew the cache generation %s; not using its values.", key)
    return renewed
