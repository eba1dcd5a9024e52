"""The outbox's fault fixtures (an SMTP server that goes down, broker outages, real worker
processes) for the fault-injection tests."""

from tests.mail.conftest import (  # noqa: F401 - fixtures
    broker_outage,
    smtp_server,
    test_database_url,
    worker_processes,
)
