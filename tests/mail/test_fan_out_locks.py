"""A fan-out against two real worker processes: the process that queues a batch of e-mails and
the workers that send them lock the same outbox rows at the same time, and must never deadlock.
"""

import threading
import time

import psycopg
import pytest
from django.db import connection, transaction

from mail import services
from mail.models import OutgoingEmail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

Status = OutgoingEmail.Status


def _wait_until(condition, timeout, message=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


def _deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


class _RowHolder:
    """Another session that holds one outbox row for a moment (as a sweep or a staff action
    does), so the test can line up who waits for whom."""

    def __init__(self, url):
        self.connection = psycopg.connect(url, autocommit=False)
        self.pid = self.connection.info.backend_pid

    def hold(self, pk):
        self.connection.execute("SELECT id FROM mail_outgoingemail WHERE id = %s FOR UPDATE", [pk])

    def release(self):
        self.connection.rollback()

    def sessions_waiting(self, url) -> int:
        with psycopg.connect(url, autocommit=True) as probe:
            return probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [self.pid],
            ).fetchone()[0]

    def close(self):
        self.connection.close()


def test_a_bulk_queue_and_two_workers_sending_it_never_deadlock(
    smtp_server, worker_processes, test_database_url
):
    deadlocks_before = _deadlocks()
    workers = [worker_processes(smtp_port=smtp_server.port) for _ in range(2)]
    first, middle = _RowHolder(test_database_url), _RowHolder(test_database_url)
    emails = []
    enqueued = threading.Event()

    # One worker's first row is held for a moment, so the other worker sends the second batch
    # while the first waits; when the second batch starts, one of its rows is held in turn,
    # until everyone who wants it waits for it: the queueing process (if it still marks the
    # rows after publishing their tasks) and the worker recording the batch as sent.
    def on_data(message):
        if message["Message-ID"] == emails[services.SEND_BATCH].message_id:
            middle.hold(emails[services.SEND_BATCH + 9].pk)
            first.release()

    def release_the_middle_row():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            waiting = middle.sessions_waiting(test_database_url)
            if waiting >= 2 or (waiting == 1 and enqueued.is_set()):
                break
            time.sleep(0.05)
        middle.release()

    smtp_server.handler.on_data = on_data
    releaser = threading.Thread(target=release_the_middle_row, daemon=True)
    releaser.start()
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: first.hold(emails[0].pk))
            emails += services.queue_rendered_emails(
                [
                    {
                        "to": f"org{i}@example.org",
                        "subject": f"Poziv {i}",
                        "body_text": "Pozdrav",
                        "language": "bs",
                    }
                    for i in range(3 * services.SEND_BATCH)
                ]
            )
        enqueued.set()

        # every e-mail arrives, sent by the tasks alone (no sweep runs in this test), once
        smtp_server.wait_for(len(emails), timeout=60)
        _wait_until(
            lambda: OutgoingEmail.objects.filter(status=Status.SENT).count() == len(emails),
            30,
            "not every e-mail was recorded as sent",
        )
    finally:
        releaser.join(timeout=70)
        first.close()
        middle.close()
    assert sorted(m["Message-ID"] for m in smtp_server.messages) == sorted(
        e.message_id for e in emails
    )
    assert "deadlock detected" not in "".join(worker.log() for worker in workers)
    assert _deadlocks() == deadlocks_before
