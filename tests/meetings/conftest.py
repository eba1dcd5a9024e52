"""The outbox's fixtures (SMTP server that can go down, broker outages, worker processes)."""

from tests.mail.conftest import (  # noqa: F401 - fixtures
    broker_outage,
    smtp_server,
    test_database_url,
    worker_processes,
)
