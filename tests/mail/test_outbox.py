import time

import pytest
from django.db import transaction

from mail import services
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(**kwargs):
    with transaction.atomic():
        return services.queue_rendered_email(
            to=kwargs.get("to", "org@example.org"),
            subject="Poziv",
            body_text="Pozdrav <b>svima</b>",
            language=kwargs.get("language", "bs"),
        )


def test_queued_email_is_sent_once_however_often_the_task_runs(mailbox, settings):
    email = _queue()

    services.send_queued_email(email.pk)
    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 1
    [message] = mailbox.wait_for(1)
    assert message["Message-ID"] == email.message_id
    assert len(mailbox.messages) == 1


def test_smtp_failure_is_retried_and_sent_when_the_server_is_back(mailbox, settings):
    email = _queue()
    settings.EMAIL_PORT = 9  # nothing listens there

    services.send_queued_email(email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.RETRYING
    assert email.last_error
    assert email.next_attempt_at is not None

    settings.EMAIL_PORT = mailbox.port
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at)
    assert services.requeue_due_emails() == 1
    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert len(mailbox.wait_for(1)) == 1


def test_email_fails_for_good_after_the_last_attempt(mailbox, settings):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    settings.EMAIL_PORT = 9

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.next_attempt_at is None


def test_text_body_gets_an_escaped_html_version(mailbox):
    email = _queue()

    assert "&lt;b&gt;svima&lt;/b&gt;" in services.html_from_text(
        email.body_text, subject=email.subject, language="bs"
    )


def test_sweep_leaves_fresh_rows_to_their_own_task():
    _queue()

    assert services.requeue_due_emails() == 0


def test_worker_sends_the_email_after_commit(mailbox, celery_worker):
    email = _queue()

    [message] = mailbox.wait_for(1)

    assert message["Subject"] == "Poziv"
    # the worker records the outcome right after the SMTP server accepted the message
    deadline = time.monotonic() + 10
    while email.status != OutgoingEmail.Status.SENT and time.monotonic() < deadline:
        time.sleep(0.05)
        email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
