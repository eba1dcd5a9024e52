"""The broker's Redis database, read directly by tests (TCP or the embedded launcher's socket)."""

import redis
from django.conf import settings

from diaspora_portal.redis_url import cache_location_from_broker


def broker_client() -> redis.Redis:
    """A redis-py client on the broker's database; Kombu's ``redis+socket://`` URLs included."""
    return redis.Redis.from_url(cache_location_from_broker(settings.CELERY_BROKER_URL))
