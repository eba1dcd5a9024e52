import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/accounts/login/").content.decode()

    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.django_db
def test_https_redirect_and_hsts_when_https_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000

    plain = client.get("/")
    secure = client.get("/", secure=True)

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-Zx9!kQ2#vB7@mN4$pL8&wR1*tY6^hJ3",
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        "SITE_URL": "https://portal.example",
    }
    env.pop("DJANGO_HTTPS", None)
    env.pop("DJANGO_STATIC_MANIFEST", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
