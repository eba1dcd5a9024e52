"""The bulk entry to the outbox: one insert for many rows, batches sent over one connection."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mail import services
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(count, **extra):
    with transaction.atomic():
        return services.queue_rendered_emails(
            [
                {
                    "to": f"org{n}@example.org",
                    "subject": "Poziv",
                    "body_text": "Tekst",
                    "language": "bs",
                    "attachments": [
                        {
                            "filename": "invite.ics",
                            "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                        }
                    ],
                    **extra,
                }
                for n in range(count)
            ]
        )


def test_queueing_many_emails_is_one_insert(broker_outage):
    start_outage, _end = broker_outage
    start_outage("refused")  # the rows must wait for the sweep, not be lost

    with CaptureQueriesContext(connection) as queries:
        emails = _queue(50)

    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert OutgoingEmail.objects.filter(status="queued", enqueued_at__isnull=True).count() == 50
    assert all(email.next_attempt_at for email in emails)


def test_a_batch_is_sent_once_and_a_refused_recipient_fails_alone(smtp_server, broker_outage):
    broker_outage[0]("refused")
    emails = _queue(5)
    smtp_server.handler.rcpt_replies["org2@example.org"] = "550 No such user"
    pks = [email.pk for email in emails]

    assert services.send_queued_emails(pks) == 4
    assert services.send_queued_emails(pks) == 0  # repeated task: nothing is sent twice

    statuses = dict(OutgoingEmail.objects.values_list("to", "status"))
    assert statuses.pop("org2@example.org") == "failed"
    assert set(statuses.values()) == {"sent"}
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "org0@example.org",
        "org1@example.org",
        "org3@example.org",
        "org4@example.org",
    ]


def test_a_batch_row_past_its_not_after_expires_unsent(smtp_server, broker_outage):
    broker_outage[0]("refused")
    emails = _queue(2, not_after=timezone.now() - timedelta(seconds=1))

    assert services.send_queued_emails([email.pk for email in emails]) == 0

    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"expired"}
    assert smtp_server.messages == []


def test_a_batch_with_smtp_down_retries_every_row(smtp_server, broker_outage):
    broker_outage[0]("refused")
    emails = _queue(3)
    smtp_server.stop()

    assert services.send_queued_emails([email.pk for email in emails]) == 0

    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"retrying"}
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_batch_waits_for_a_row_another_transaction_holds_instead_of_skipping_it(
    smtp_server, broker_outage
):
    import threading

    from django.db import connections

    broker_outage[0]("refused")
    emails = _queue(2)
    pks = [email.pk for email in emails]
    locked, release = threading.Event(), threading.Event()

    def hold_a_row():
        with transaction.atomic():
            OutgoingEmail.objects.select_for_update().get(pk=pks[0])  # e.g. the sweep
            locked.set()
            release.wait(5)
        connections.close_all()

    holder = threading.Thread(target=hold_a_row)
    holder.start()
    locked.wait(5)
    threading.Timer(0.5, release.set).start()

    assert services.send_queued_emails(pks) == 2
    holder.join()
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
