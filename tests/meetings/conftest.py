# The outbox's real SMTP server and real Celery worker processes, for the reminder race tests.
from tests.mail.conftest import smtp_server, test_database_url, worker_processes  # noqa: F401
