"""The cache is a shared Redis: rate limits hold across processes, and a broken Redis does not
hold pages."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from diaspora_portal.redis_url import cache_location_from_broker
from tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
TOO_MANY = "Too many failed login attempts"


def test_cache_location_follows_the_embedded_launchers_socket_broker():
    assert (
        cache_location_from_broker("redis+socket:///tmp/portal/redis.socket")
        == "unix:///tmp/portal/redis.socket?db=0"
    )
    assert (
        cache_location_from_broker("redis+socket:///tmp/r.sock?virtual_host=3")
        == "unix:///tmp/r.sock?db=3"
    )


def test_cache_location_is_the_brokers_redis_url_or_none_for_other_brokers():
    assert cache_location_from_broker("redis://:pw@redis:6379/2") == "redis://:pw@redis:6379/2"
    assert cache_location_from_broker("rediss://redis:6380/0") == "rediss://redis:6380/0"
    assert cache_location_from_broker("amqp://guest@rabbit//") is None


def test_cache_is_the_shared_redis_with_short_timeouts():
    config = django_settings.CACHES["default"]

    assert config["BACKEND"] == "core.cache.PortalRedisCache"
    assert config["OPTIONS"]["socket_connect_timeout"] <= 2
    assert config["OPTIONS"]["socket_timeout"] <= 2


def test_cache_calls_share_one_redis_client_per_connection_pool():
    # Building a redis.Redis costs a third of a cache read's CPU; Django builds one per call.
    client = cache._cache.get_client(write=True)
    cache.set("reused-client", "value")

    assert cache.get("reused-client") == "value"
    assert cache._cache.get_client(write=False) is client
    assert cache._cache.get_client(write=True) is client


def test_clearing_the_cache_keeps_the_brokers_keys_in_the_same_redis_database():
    client = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    client.set("not-a-cache-key", "queued task")
    cache.set("something", "cached")
    try:
        cache.clear()

        assert cache.get("something") is None
        assert client.get("not-a-cache-key") == b"queued task"
    finally:
        client.delete("not-a-cache-key")


def _fail_login(client, email, **extra):
    return _login(client, email, password="wrong-password-123", **extra)


def _login(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        assert TOO_MANY not in _fail_login(client, user.email).content.decode()

    response = _login(client, user.email)

    assert response.status_code == 422
    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_ten_failed_logins_from_one_address_stop_it_trying_other_accounts(client):
    user = UserFactory()
    for n in range(10):
        _fail_login(client, f"guess{n}@example.org")

    response = _login(client, user.email)

    assert response.status_code == 422
    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_header_does_not_escape_the_limit_without_a_proxy(client):
    user = UserFactory()
    for n in range(10):
        _fail_login(client, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = _login(client, user.email, HTTP_X_FORWARDED_FOR="10.0.1.1")

    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_clients_own_address_is_limited(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for n in range(10):
        _fail_login(client, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR="203.0.113.7")

    limited = _login(client, user.email, HTTP_X_FORWARDED_FOR="203.0.113.7")
    other_client = _login(client, user.email, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert TOO_MANY in limited.content.decode()
    assert other_client.status_code == 302


CHECK_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from allauth.account.adapter import get_adapter
request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
request.user = AnonymousUser()
try:
    get_adapter(request).pre_authenticate(request, email=sys.argv[1], password="x")
except ValidationError:
    print("limited")
else:
    print("allowed")
"""


def _limit_seen_by_another_process(email):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", CHECK_IN_ANOTHER_PROCESS, email],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.django_db
def test_failed_logins_counted_in_one_process_limit_another_process(client):
    # given five failed logins through this process's web client
    user = UserFactory()
    for _ in range(5):
        _fail_login(client, user.email)

    # then a separate process (another gunicorn worker or host) refuses that account ...
    assert _limit_seen_by_another_process(user.email) == "limited"
    # ... but not another one
    assert _limit_seen_by_another_process("someone-else@example.org") == "allowed"


def _broken_cache(settings, port):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }


@pytest.mark.django_db
@pytest.mark.parametrize("server", ["hanging_port", "closed_port"])
def test_pages_answer_within_seconds_when_the_cache_redis_hangs_or_refuses(
    client, settings, server, request
):
    _broken_cache(settings, request.getfixturevalue(server))
    user = UserFactory()

    started = time.monotonic()
    login = _login(client, user.email)
    client.logout()
    reset = client.post(reverse("account_reset_password"), {"email": user.email})
    signup = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    home = client.get("/")
    elapsed = time.monotonic() - started

    assert elapsed < 5
    assert login.status_code == 302
    assert reset.status_code == 302
    assert signup.status_code == 302
    assert home.status_code == 200
