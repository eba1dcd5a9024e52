"""Readiness checks for /healthz: can this process reach the database and the broker?"""

from django.conf import settings
from django.db import connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def broker_ok() -> bool:
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False
