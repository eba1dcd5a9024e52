"""The outbox against real Celery worker processes, a real broker and a real SMTP server."""

import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from mail import services
from mail.models import OutgoingEmail
from mail.tasks import send_email_task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

Status = OutgoingEmail.Status


def _queue(n, **kwargs):
    with transaction.atomic():
        return [
            services.queue_rendered_email(
                to=f"org{i}@example.org",
                subject=f"Poziv {i}",
                body_text="Pozdrav",
                language="bs",
                **kwargs,
            )
            for i in range(n)
        ]


def _wait_until(condition, timeout, message="", tick=None):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        if tick is not None:
            tick()
        time.sleep(0.5)


def _statuses(emails):
    return set(
        OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]).values_list("status", flat=True)
    )


def test_two_workers_racing_for_the_same_rows_send_each_once(smtp_server, worker_processes):
    from diaspora_portal.celery import app

    emails = _queue(15)
    app.control.purge()  # drop the rows' own task messages: the test sends them in pairs
    worker_processes(smtp_port=smtp_server.port)
    worker_processes(smtp_port=smtp_server.port)

    # two messages per row back to back, so both idle workers take the same row at once
    for email in emails:
        send_email_task.delay(email.pk)
        send_email_task.delay(email.pk)

    _wait_until(lambda: _statuses(emails) == {Status.SENT}, 60, "not every e-mail was sent")
    time.sleep(2)  # any duplicate still in flight arrives meanwhile
    message_ids = [m["Message-ID"] for m in smtp_server.messages]
    assert sorted(message_ids) == sorted(e.message_id for e in emails)
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}


def test_worker_killed_between_the_250_and_the_commit_is_neither_lost_nor_looping(
    smtp_server, worker_processes, test_database_url
):
    # given a worker whose SMTP server accepted the e-mail, but which cannot record it yet
    worker = worker_processes(smtp_port=smtp_server.port, lease_seconds=3)
    locker = psycopg.connect(test_database_url, autocommit=False)

    def hold_the_row(message):
        locker.execute(
            "SELECT id FROM mail_outgoingemail WHERE uuid = %s FOR UPDATE",
            [message["Message-ID"].strip("<>").split("@")[0]],
        )

    smtp_server.handler.on_data = hold_the_row
    [email] = _queue(1)
    smtp_server.wait_for(1)

    def worker_waits_to_record():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    _wait_until(worker_waits_to_record, 20, "the worker never tried to record the outcome")

    # when it is killed before it could commit
    worker.kill()
    locker.rollback()
    locker.close()
    smtp_server.handler.on_data = None

    # then the attempt is counted and nothing is re-sent while its lease runs
    email.refresh_from_db()
    assert email.status == Status.SENDING
    assert email.attempts == 1
    assert services.sweep_outbox() == 0

    # once the lease ran out it gets exactly one more try, with the same Message-ID
    worker_processes(smtp_port=smtp_server.port)
    _wait_until(lambda: services.sweep_outbox() == 1, 15, "the lease never ran out")
    _wait_until(lambda: _statuses([email]) == {Status.SENT}, 30, "the retry was not sent")
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.interruptions == 1
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == email.message_id
    assert services.sweep_outbox() == 0
    time.sleep(2)
    assert len(smtp_server.messages) == 2


def test_thirty_waiting_emails_arrive_within_a_minute_of_smtps_return(
    smtp_server, worker_processes
):
    # SMTP goes down and thirty e-mails fail their first attempt
    smtp_server.stop()
    worker = worker_processes(smtp_port=smtp_server.port)
    emails = _queue(30)
    _wait_until(
        lambda: _statuses(emails) == {Status.RETRYING}, 60, "the e-mails did not start retrying"
    )
    # the worker is SIGKILLed during the outage and a new one takes over
    worker.kill()
    worker_processes(smtp_port=smtp_server.port)

    # SMTP returns; beat's sweep runs every few seconds (here: the test loop)
    smtp_server.start()
    returned = time.monotonic()
    _wait_until(
        lambda: len(smtp_server.messages) >= 30,
        60,
        f"only {len(smtp_server.messages)} of 30 e-mails arrived within a minute",
        tick=services.sweep_outbox,
    )

    assert time.monotonic() - returned < 60
    _wait_until(lambda: _statuses(emails) == {Status.SENT}, 20)
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 30


def test_emails_in_long_back_off_go_out_within_a_minute_of_smtps_return(
    smtp_server, worker_processes
):
    # e-mails that failed for hours wait in back-off for hours more
    emails = _queue(10)
    OutgoingEmail.objects.update(
        status=Status.RETRYING,
        attempts=12,
        enqueued_at=None,
        next_attempt_at=timezone.now() + timedelta(hours=5),
    )
    worker_processes(smtp_port=smtp_server.port)

    # the once-a-minute probe finds SMTP answering
    services.pull_waiting_emails_forward_if_smtp_answers()

    smtp_server.wait_for(10, timeout=60)
    _wait_until(lambda: _statuses(emails) == {Status.SENT}, 20)
