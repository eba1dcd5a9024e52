import json
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


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-Zx9!kQ2#vB7@mN4$pL8&wR1*tY6^hJ3",
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "SITE_URL": "https://portal.example",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.portal.example:587",
    "DEFAULT_FROM_EMAIL": "Portal dijaspore <noreply@portal.example>",
}


def _production_env(**changes):
    """The test process's servers with production settings; None removes a variable."""
    env = {**os.environ, **PRODUCTION_ENV}
    for name in ("DJANGO_HTTPS", "DJANGO_STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(*args, **changes):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_production_env(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_settings(*names, **changes):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    env = _production_env(**changes)
    env["DJANGO_SETTINGS_MODULE"] = "diaspora_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", ["EMAIL_URL", "SITE_URL", "DEFAULT_FROM_EMAIL"])
def test_production_refuses_to_start_without_a_required_variable(variable):
    result = _manage("check", **{variable: None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_production_refuses_to_start_with_a_plain_http_site_url():
    result = _manage("check", SITE_URL="http://portal.example")

    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


def test_deploy_check_names_a_console_email_backend():
    result = _manage("check", "--deploy", EMAIL_URL="consolemail://")

    assert result.returncode != 0
    assert "diaspora_portal.E001" in result.stderr
    assert "EMAIL_URL" in result.stderr


def test_deploy_check_names_a_cache_that_is_not_shared():
    result = _manage(
        "check", "--deploy", CELERY_BROKER_URL="amqp://guest@localhost//", CACHE_URL=None
    )

    assert result.returncode != 0
    assert "diaspora_portal.E004" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_deploy_check_names_a_local_sender_address():
    result = _manage("check", "--deploy", DEFAULT_FROM_EMAIL="noreply@localhost")

    assert result.returncode != 0
    assert "diaspora_portal.E002" in result.stderr


def test_forwarded_proto_and_proxy_addresses_are_trusted_only_behind_a_proxy():
    names = ("SECURE_PROXY_SSL_HEADER", "ALLAUTH_TRUSTED_PROXY_COUNT")

    direct = _production_settings(*names)
    proxied = _production_settings(*names, DJANGO_BEHIND_PROXY="1")

    assert direct == {"SECURE_PROXY_SSL_HEADER": None, "ALLAUTH_TRUSTED_PROXY_COUNT": 0}
    assert proxied == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
    }


@pytest.mark.django_db
def test_a_forwarded_proto_header_from_a_client_is_not_believed(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_hsts_preload_is_opt_in():
    assert _production_settings("SECURE_HSTS_PRELOAD") == {"SECURE_HSTS_PRELOAD": False}
    assert _production_settings("SECURE_HSTS_PRELOAD", DJANGO_HSTS_PRELOAD="1") == {
        "SECURE_HSTS_PRELOAD": True
    }


@pytest.mark.django_db
def test_pages_carry_a_permissions_policy_that_keeps_webauthn(client):
    policy = client.get("/")["Permissions-Policy"]

    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
    assert "publickey-credentials-get=(self)" in policy
