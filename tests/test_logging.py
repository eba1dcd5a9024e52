"""Logs say when, how bad and where; they never carry reset or confirmation keys."""

import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.redaction import redact, redact_sentry_event
from tests.support.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent
RESET_KEY = "3-cz1e8a-0b9f6f1c2d3e4a5b6c7d8e9f"
CONFIRM_KEY = "MQ:1vAbCd:SeCrEtKeYvAlUe123"


def test_redact_removes_reset_and_confirmation_keys_from_urls():
    line = (
        f'"GET /accounts/password/reset/key/{RESET_KEY}/ HTTP/1.1" 200 '
        f'"https://portal.example/accounts/confirm-email/{CONFIRM_KEY}/"'
    )

    cleaned = redact(line)

    assert RESET_KEY not in cleaned
    assert CONFIRM_KEY not in cleaned
    assert "/accounts/password/reset/key/[redacted]/" in cleaned
    assert "/accounts/confirm-email/[redacted]/" in cleaned


LIVE_TOKEN = "Zt9xQ-live_T0ken"
TOKENED_PATHS = [
    f"/meetings/rsvp/{LIVE_TOKEN}/",
    f"/onboarding/invite/{LIVE_TOKEN}/",
    f"/organizations/klub-drina/manage/join/{LIVE_TOKEN}/",
    f"/privacy/download/{LIVE_TOKEN}/",
    f"/workspace/posts/42/files/{LIVE_TOKEN}/",
]


@pytest.mark.parametrize("path", TOKENED_PATHS)
def test_redact_removes_the_token_of_every_tokened_path(path):
    cleaned = redact(f'"GET {path}?answer=yes HTTP/1.1" 200 "https://portal.example{path}"')

    assert LIVE_TOKEN not in cleaned
    assert "[redacted]" in cleaned


@pytest.mark.parametrize("path", TOKENED_PATHS)
def test_redact_removes_a_token_carried_in_next(path):
    from urllib.parse import quote

    raw = redact(f"GET /accounts/login/?next={path}")
    encoded = redact(f"GET /accounts/login/?next={quote(path, safe='')}&x=1")

    assert LIVE_TOKEN not in raw
    assert LIVE_TOKEN not in encoded


def test_redact_leaves_other_paths_alone():
    assert redact("GET /accounts/login/?next=/staff/") == "GET /accounts/login/?next=/staff/"


def test_sentry_events_lose_the_keys_in_url_and_referer():
    event = {
        "request": {
            "url": f"https://portal.example/accounts/password/reset/key/{RESET_KEY}/",
            "headers": {"Referer": f"https://portal.example/accounts/confirm-email/{CONFIRM_KEY}/"},
        },
        "transaction": f"/accounts/password/reset/key/{RESET_KEY}/",
    }

    cleaned = str(redact_sentry_event(event, {}))

    assert RESET_KEY not in cleaned
    assert CONFIRM_KEY not in cleaned


def _manage_shell(code, **env_changes):
    env = {**os.environ, **env_changes}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_log_lines_carry_time_level_and_logger_without_keys():
    result = _manage_shell(
        "import logging; logging.getLogger('portal.audit').warning("
        f"'Not Found: /accounts/password/reset/key/%s/', {RESET_KEY!r})"
    )

    assert result.returncode == 0, result.stderr
    assert re.search(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING portal\.audit .*"
        r"/accounts/password/reset/key/\[redacted\]/",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert RESET_KEY not in result.stderr


def test_sentry_reports_errors_only_when_a_dsn_is_set():
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"

    without = _manage_shell(code, SENTRY_DSN="")
    with_dsn = _manage_shell(code, SENTRY_DSN="https://public@sentry.invalid/1")

    assert without.stdout.split()[-1] == "False", without.stderr
    assert with_dsn.stdout.split()[-1] == "True", with_dsn.stderr


@pytest.mark.django_db
def test_a_server_error_is_logged_with_its_traceback_and_the_page_says_so(client, settings, caplog):
    settings.ROOT_URLCONF = "tests.support.failing_urls"
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert "The error has been recorded" in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info and "broke on purpose" in str(record.exc_info[1])


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.django_db
def test_gunicorns_access_log_keeps_reset_and_confirmation_keys_out():
    # given gunicorn started the way the Docker image and the launcher start it (the
    # gunicorn.conf.py in the working folder is loaded automatically)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url()}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "diaspora_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        # when someone opens a reset link and a confirmation link
        for path in (
            f"/accounts/password/reset/key/{RESET_KEY}/",
            f"/accounts/confirm-email/{CONFIRM_KEY}/",
            *TOKENED_PATHS,
        ):
            request = urllib.request.Request(
                base + path, headers={"Referer": base + path, "Accept-Language": "en"}
            )
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=10)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)

    # then the access log shows both requests without their keys
    assert "/accounts/password/reset/key/[redacted]/" in output, output
    assert "/accounts/confirm-email/[redacted]/" in output, output
    assert RESET_KEY not in output
    assert CONFIRM_KEY not in output
    assert "/meetings/rsvp/[redacted]/" in output, output
    assert LIVE_TOKEN not in output
