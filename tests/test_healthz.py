import time

import pytest
from django.db import connections


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_cache_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "broker": True, "cache": True},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_200_with_the_broker_reported_down_when_only_the_broker_is_down(
    client, settings, closed_port
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] is False
    assert response.json()["checks"]["database"] is True


@pytest.mark.django_db
def test_healthz_answers_within_3_seconds_when_the_broker_hangs(client, settings, hanging_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{hanging_port}/0"

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] is False


def _database_at(monkeypatch, port):
    """Point new database connections (the health check's own thread) at another port."""
    broken = {**connections.settings["default"], "HOST": "127.0.0.1", "PORT": str(port)}
    monkeypatch.setitem(connections.settings, "default", broken)


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch, closed_port):
    _database_at(monkeypatch, closed_port)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] is False


@pytest.mark.django_db
def test_healthz_is_503_within_3_seconds_when_the_database_hangs(client, monkeypatch, hanging_port):
    _database_at(monkeypatch, hanging_port)

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


@pytest.mark.django_db
def test_healthz_is_200_with_the_cache_reported_down_when_the_cache_hangs(
    client, settings, hanging_port
):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{hanging_port}/0",
        }
    }

    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "broker": True, "cache": False}
