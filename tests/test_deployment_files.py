"""docker-compose.yml and the Dockerfile hold the deployment rules (no Docker engine needed)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE_TEXT = (BASE_DIR / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
PORTAL_SERVICES = ["migrate", "web", "worker", "beat"]
# Optional settings whose empty or "off" default is safe.
OPTIONAL = {"SENTRY_DSN", "DJANGO_HSTS_PRELOAD"}


def test_compose_has_no_default_secrets_or_addresses():
    interpolations = re.findall(r"\$\{(\w+)(:?[-?])?[^}]*\}", COMPOSE_TEXT)

    assert interpolations
    for name, operator in interpolations:
        if name in OPTIONAL:
            continue
        assert operator == ":?", f"${{{name}}} must be required (${{{name}:?...}})"


def test_compose_redis_requires_a_password_and_the_portal_uses_it():
    for service in ["redis", "cache"]:
        redis = SERVICES[service]
        assert "--requirepass" in " ".join(redis["command"])
        assert "REDIS_PASSWORD" in redis["environment"]
    for name in PORTAL_SERVICES:
        env = SERVICES[name]["environment"]
        assert env["CELERY_BROKER_URL"].startswith("redis://:${REDIS_PASSWORD:?")
        assert env["CACHE_URL"].startswith("redis://:${REDIS_PASSWORD:?")


def _redis_options(service: dict) -> dict[str, str]:
    """The ``--option value`` pairs of a redis-server command."""
    words = shlex.split(" ".join(service["command"][-1:]))
    return {word[2:]: words[n + 1] for n, word in enumerate(words[:-1]) if word.startswith("--")}


def test_compose_cache_has_its_own_capped_evicting_redis_apart_from_the_broker():
    cache, broker = _redis_options(SERVICES["cache"]), _redis_options(SERVICES["redis"])

    assert cache["maxmemory"] == "256mb"
    assert cache["maxmemory-policy"] == "allkeys-lru"
    assert "requirepass" in cache
    # the broker never evicts a task message
    assert broker["maxmemory-policy"] == "noeviction"
    for name in PORTAL_SERVICES:
        env = SERVICES[name]["environment"]
        assert "@cache:6379/" in env["CACHE_URL"]
        assert "@redis:6379/" in env["CELERY_BROKER_URL"]
    # the portal starts once the cache answers (web, worker and beat wait for migrate)
    assert SERVICES["migrate"]["depends_on"]["cache"]["condition"] == "service_healthy"


def test_compose_publishes_only_the_proxy_so_web_can_scale():
    published = {name for name, service in SERVICES.items() if service.get("ports")}

    assert published == {"proxy"}
    for service in SERVICES.values():
        assert "container_name" not in service
    assert "web:8000" in (BASE_DIR / "deploy" / "Caddyfile").read_text()


def test_compose_trusts_forwarded_headers_only_on_web_behind_the_proxy():
    assert SERVICES["web"]["environment"]["DJANGO_BEHIND_PROXY"] == "1"
    for name in ["migrate", "worker", "beat"]:
        assert "DJANGO_BEHIND_PROXY" not in SERVICES[name]["environment"]


def test_compose_runs_the_portal_without_debug_and_with_required_settings():
    for name in PORTAL_SERVICES:
        env = SERVICES[name]["environment"]
        assert env["DJANGO_DEBUG"] == "0"
        for variable in ["SITE_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "DJANGO_SECRET_KEY"]:
            assert ":?" in env[variable], variable


def test_dockerfiles_collectstatic_command_works_under_production_settings(tmp_path):
    # given the environment the Dockerfile gives collectstatic, and nothing else
    dockerfile = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    words = shlex.split(re.search(r"&& (DJANGO_SECRET_KEY=.*?collectstatic)", dockerfile)[1])
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    env = {"PATH": os.environ["PATH"], **assignments}

    # when it runs (into a temporary folder instead of the image's var/static)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, django; from django.conf import settings; "
            f"settings.STATIC_ROOT = {str(tmp_path)!r}; django.setup(); "
            "from django.core.management import call_command; "
            "call_command('collectstatic', '--noinput', verbosity=0)",
        ],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then the settings load without debug and the manifest is written
    assert "DJANGO_DEBUG" not in assignments
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
