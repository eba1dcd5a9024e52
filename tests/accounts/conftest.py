import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _forget_rate_limits():
    """Start each test with empty login rate limits: these tests log in many times a minute."""
    cache.clear()
    yield
    cache.clear()
