import shutil
import socket
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from tests import factories

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_PATH = Path(__file__).parent / "tools" / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = (
    Path(__file__).parent / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Fast password hashing ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher takes a good part of a second per password on a busy two-core
    # machine, and most tests create or log in users. Nothing here tests the hasher itself;
    # processes a test starts (workers, gunicorn) keep the production setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Shared state and servers that fail --------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_cache():
    """Start every test with empty rate limits, a healthy cache (a shared Redis) and a broker
    this process is willing to try.

    A test that made the cache fail leaves this process skipping Redis for a while, and owing
    the renewal of a generation; a later test in the same process (pytest-xdist deals tests out
    in no fixed order) must not inherit that.
    """
    from django.core.cache import cache

    from core import cache as portal_cache
    from core import enqueue

    if hasattr(cache, "_down_until"):
        cache._down_until = 0.0
    portal_cache._unrenewed.clear()
    # Nor a pause of enqueuing after a broker that refused (core/enqueue.py).
    enqueue.forget_broker_failures()
    cache.clear()
    yield


@pytest.fixture
def hanging_port():
    """A TCP port that accepts connections and never answers (a hung server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port():
    """A TCP port where nothing listens (a server that is down)."""
    return _free_port()


# --- A real SMTP server -------------------------------------------------------------------


class _Collector:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class Mailbox:
    """What the SMTP server received during one test."""

    def __init__(self, collector, port):
        self._collector = collector
        self.port = port

    @property
    def messages(self):
        return list(self._collector.messages)

    def wait_for(self, count=1, timeout=20):
        """Wait until ``count`` messages arrived; return them."""
        with self._collector.arrived:
            self._collector.arrived.wait_for(
                lambda: len(self._collector.messages) >= count, timeout=timeout
            )
        messages = self.messages
        assert len(messages) >= count, f"expected {count} e-mails, got {len(messages)}"
        return messages

    def clear(self):
        self._collector.messages.clear()


@pytest.fixture(scope="session")
def _smtp_controller():
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(_smtp_controller, settings):
    """Route e-mail to a real SMTP server and give the messages it receives."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    box = Mailbox(_smtp_controller.handler, _smtp_controller.port)
    box.clear()
    return box


# --- A real Celery worker on the real broker ----------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """Run a real Celery worker (in a thread) consuming the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from diaspora_portal.celery import app

    app.control.purge()
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ) as worker:
        yield worker
    # The worker thread's own database connection must not outlive the test database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def published():
    """The task messages published to the broker during the test: ``[(task, args)]``."""
    import json
    from base64 import b64decode

    from django.conf import settings

    from diaspora_portal.celery import app
    from tests.support.broker import broker_client

    app.control.purge()
    client = broker_client()

    def read():
        raw = client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
        messages = [json.loads(item) for item in reversed(raw)]
        return [(m["headers"]["task"], json.loads(b64decode(m["body"]))[0]) for m in messages]

    yield read
    app.control.purge()


# --- Users --------------------------------------------------------------------------------


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def staff_user(db):
    return factories.StaffUserFactory()


@pytest.fixture
def staff_user_with_mfa(db):
    user = factories.StaffUserFactory()
    user.totp_secret = factories.activate_totp(user)
    return user


@pytest.fixture
def staff_client(client, staff_user_with_mfa):
    """A client logged in as ministry staff with the password and a TOTP code.

    The staff area wants a session that passed the second factor: ``force_login`` is refused.
    """
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)
    return client


# --- Headless Chromium --------------------------------------------------------------------


def _missing_tool(reason: str):
    """Skip on a developer's machine; fail in CI (``CI`` set), where every tool must be there."""
    import os

    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run every browser and accessibility test", pytrace=False)
    pytest.skip(f"!!! {reason}: SKIPPED")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        _missing_tool("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="bs-BA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # expect() has its own 5 s default: too short for a loaded two-core machine.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_PATH.exists():
        _missing_tool("axe-core is not installed (bin/test runs npm ci in tests/tools)")
    return AXE_PATH.read_text()


@pytest.fixture
def axe(axe_source):
    """Run axe-core (WCAG 2.2 A and AA rules) on a page; return the violations."""

    def run(page):
        page.evaluate(axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag', values: [
                'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        return [
            {
                "id": v["id"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in result["violations"]
        ]

    return run


@pytest.fixture(scope="session")
def html_checker(tmp_path_factory):
    """Check rendered pages with the W3C Nu HTML checker (vnu.jar on Debian's Java).

    ``check({"name": html, ...})`` validates every page in ONE run (the JVM starts slowly) and
    returns the errors as "name, line N: message" lines; an empty list means valid HTML.
    """
    import json
    import subprocess

    java = shutil.which("java")
    if java is None:
        _missing_tool("java is not installed (bin/test installs default-jre-headless)")
    if not VNU_JAR.exists():
        _missing_tool("vnu.jar is not installed (bin/test runs npm ci in tests/tools)")

    def check(pages: dict[str, str]) -> list[str]:
        folder = tmp_path_factory.mktemp("html")
        files = {}
        for number, (name, html) in enumerate(pages.items()):
            path = folder / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            files[path.as_uri().replace("file:///", "file:/")] = name
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--exit-zero-always"]
            + ["--stdout", *[str(folder / f"page-{n}.html") for n in range(len(pages))]],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        messages = json.loads(result.stdout)["messages"]
        return [
            f"{files.get(m.get('url'), m.get('url'))}, line {m.get('lastLine')}: {m['message']}"
            f" [{' '.join(m.get('extract', '').split())}]"
            for m in messages
            if m["type"] in ("error", "non-document-error")
        ]

    return check
