"""Loaded with ``-p tests.environment`` before Django reads its settings.

Tests talk plain HTTP to the test client and a live server, and serve static files without a
collectstatic manifest. The servers (DATABASE_URL, CELERY_BROKER_URL) come from the environment:
``bin/test`` provides embedded ones when nothing is configured.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "ZFReKq3eDHSmQkyqx46e01eGFyionu1e57iQWj1dWJ8=")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["DJANGO_HTTPS"] = "0"
os.environ["DJANGO_STATIC_MANIFEST"] = "0"
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", "diaspora-portal-tests")
# Tests run without DJANGO_DEBUG, so the values production must set are given here: a plain
# HTTP site (DJANGO_HTTPS=0 above) and the console as the default e-mail backend (the mailbox
# fixture switches to a real SMTP server).
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "Diaspora Portal <noreply@diaspora-portal.test>")
os.environ.setdefault("CACHE_KEY_PREFIX", "diaspora-portal-tests")
# Pages are built afresh in tests; tests/test_page_cache.py turns the page cache on, and
# tests/test_fragments.py the cache of public fragments.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("FRAGMENT_CACHE_SECONDS", "0")
# Playwright's sync API keeps an event loop in the test thread; the ORM calls in tests are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _redis_database(url: str, number: int) -> str:
    """Return the broker URL with another Redis database number (redis:// or redis+socket://)."""
    from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss"}:
        base = int(parts.path.strip("/") or 0)
        return urlunsplit(parts._replace(path=f"/{(base + number) % 16}"))
    query = parse_qs(parts.query)
    base = int((query.pop("virtual_host", None) or ["0"])[0].strip("/") or 0)
    query["virtual_host"] = [str((base + number) % 16)]
    # urlunsplit() would drop the "//" of a URL without a host (redis+socket:///path).
    return f"{url.partition('?')[0]}?{urlencode(query, doseq=True)}"


# Under pytest-xdist each test process ("gw0", "gw1", …) gets its own test database (pytest-django
# adds the suffix), its own Redis database for the broker and the cache (a test empties the cache,
# which empties that Redis database), and its own Celery queue, so that one process's worker
# never takes another's tasks.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist_worker:
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"diaspora-portal-tests-{_xdist_worker}"
    if os.environ.get("CELERY_BROKER_URL"):
        os.environ["CELERY_BROKER_URL"] = _redis_database(
            os.environ["CELERY_BROKER_URL"], 1 + int(_xdist_worker.removeprefix("gw"))
        )
