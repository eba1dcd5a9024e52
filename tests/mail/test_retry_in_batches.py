"""Re-queueing many e-mails (staff's "retry all", the sweeps) publishes a task per batch of
rows, never one per row, and never inside a web request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diaspora_portal.celery import app
from mail import services, tasks
from mail.models import OutgoingEmail
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutgoingEmail.Status


def _emails(count, **fields):
    return OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            to=f"org{i}@example.org",
            from_email="portal@example.org",
            subject="Poziv",
            body_text="Tekst",
            language="bs",
            **fields,
        )
        for i in range(count)
    )


def test_retry_all_queues_one_task_and_changes_no_email_in_the_request(
    client, staff_user_with_mfa, published
):
    emails = _emails(45, status=Status.FAILED, attempts=3)
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    response = client.post("/staff/outbox/failed/retry/", follow=True)

    assert "45" in response.content.decode()
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.FAILED}
    [(task, args)] = published()
    assert task == "mail.retry_failed_emails"

    # the worker re-queues them in batches: one send task per SEND_BATCH rows
    app.control.purge()
    tasks.retry_failed_emails_task(*args)

    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.RETRYING}
    sent = published()
    assert [task for task, _args in sent] == ["mail.send_emails"] * 3
    assert sorted(pk for _task, (pks,) in sent for pk in pks) == sorted(e.pk for e in emails)


def _retry_queries(count):
    OutgoingEmail.objects.all().delete()
    _emails(count, status=Status.FAILED, attempts=3)
    with CaptureQueriesContext(connection) as queries:
        assert services.retry_failed_emails(by_id=None) == count
    return len(queries)


def test_retrying_failed_emails_runs_the_same_queries_for_5_or_15_rows(published):
    assert _retry_queries(5) == _retry_queries(15)


def test_the_sweep_enqueues_due_rows_in_batches(published):
    _emails(45, status=Status.RETRYING, attempts=1, next_attempt_at=timezone.now())
    _emails(
        5,
        status=Status.SENDING,
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    assert services.sweep_outbox() == 50

    # one message for the five interrupted attempts, three for the 45 due retries
    assert [task for task, _args in published()] == ["mail.send_emails"] * 4


def test_pulling_waiting_emails_forward_enqueues_them_in_batches(published):
    _emails(
        25, status=Status.RETRYING, attempts=1, next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    assert services.pull_waiting_emails_forward() == 25

    assert [task for task, _args in published()] == ["mail.send_emails"] * 2


def test_retry_all_with_the_broker_down_says_so_and_changes_nothing(
    client, staff_user_with_mfa, broker_outage
):
    _emails(3, status=Status.FAILED, attempts=3)
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)
    broker_outage[0]("refused")

    response = client.post("/staff/outbox/failed/retry/", follow=True)

    assert response.status_code == 200
    assert "nisu mogli biti stavljeni u red" in response.content.decode()
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.FAILED}
