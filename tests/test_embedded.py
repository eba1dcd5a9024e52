"""The embedded default: from an empty data folder to a portal answering in Bosnian."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _wait_for_url(process, output_path, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = output_path.read_text()
        if "is running at " in text:
            return text.split("is running at ", 1)[1].split()[0]
        assert process.poll() is None, text
        time.sleep(0.5)
    raise AssertionError(output_path.read_text())


def test_embedded_default_starts_from_scratch_and_serves_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.pop("DJANGO_HTTPS", None)
    env.pop("DJANGO_STATIC_MANIFEST", None)
    env.pop("DJANGO_ALLOWED_HOSTS", None)
    env["PORTAL_DATA_DIR"] = str(tmp_path / "data")
    output = tmp_path / "output.log"
    with output.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "diaspora_portal.embedded", "run", "--port", "0"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = _wait_for_url(process, output)
        with urllib.request.urlopen(url) as response:
            html = response.read().decode()
        with urllib.request.urlopen(url + "healthz") as response:
            health = response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=60)

    log = output.read_text()
    assert '<html lang="bs">' in html
    assert "Sljedeći sastanci" in html
    assert '"database": true' in health and '"broker": true' in health
    assert "staff@diaspora-portal.example" in log
    assert returncode == 0, log
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
