import logging
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from mail import services
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutgoingEmail.Status


def _queue(**kwargs):
    with transaction.atomic():
        return services.queue_rendered_email(
            to=kwargs.pop("to", "org@example.org"),
            subject=kwargs.pop("subject", "Poziv"),
            body_text=kwargs.pop("body_text", "Pozdrav <b>svima</b>"),
            language=kwargs.pop("language", "bs"),
            **kwargs,
        )


def _wait_for_status(email, status, timeout=15):
    deadline = time.monotonic() + timeout
    email.refresh_from_db()
    while email.status != status and time.monotonic() < deadline:
        time.sleep(0.05)
        email.refresh_from_db()
    return email


# --- Sending once ---------------------------------------------------------------------------


def test_queued_email_is_sent_once_however_often_the_task_runs(mailbox):
    email = _queue()

    services.send_queued_email(email.pk)
    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 1
    [message] = mailbox.wait_for(1)
    assert message["Message-ID"] == email.message_id
    assert len(mailbox.messages) == 1


def test_task_for_a_row_another_worker_is_sending_sends_nothing(mailbox):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() + timedelta(minutes=1)
    )

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.SENDING
    assert email.attempts == 1
    assert mailbox.messages == []


def test_message_id_comes_from_the_rows_uuid_not_its_number(mailbox):
    first, second = _queue(), _queue()

    assert first.message_id.split("@")[0] == f"<{first.uuid}"
    assert first.message_id != second.message_id


def test_a_rollback_after_queue_email_sends_nothing(mailbox, celery_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.queue_rendered_email(
            to="rolled-back@example.org", subject="Rolled back", body_text="x", language="bs"
        )
        raise RuntimeError("the caller's transaction fails")
    marker = _queue(subject="Marker")

    # the marker was queued later and went through the same worker: the rolled-back one would
    # have arrived first
    mailbox.wait_for(1)
    _wait_for_status(marker, Status.SENT)
    assert [m["Subject"] for m in mailbox.messages] == ["Marker"]
    assert not OutgoingEmail.objects.filter(to="rolled-back@example.org").exists()


def test_worker_sends_the_email_after_commit(mailbox, celery_worker):
    email = _queue()

    [message] = mailbox.wait_for(1)

    assert message["Subject"] == "Poziv"
    assert _wait_for_status(email, Status.SENT).status == Status.SENT


def test_attempt_is_committed_as_sending_before_smtp_is_contacted(smtp_server):
    email = _queue()
    seen = {}

    def look_at_the_row(message):
        # runs inside the SMTP conversation, on another database connection
        row = OutgoingEmail.objects.get(pk=email.pk)
        seen.update(status=row.status, attempts=row.attempts, lease_until=row.lease_until)

    smtp_server.handler.on_data = look_at_the_row

    services.send_queued_email(email.pk)

    assert seen["status"] == Status.SENDING
    assert seen["attempts"] == 1
    assert seen["lease_until"] > timezone.now()


def test_attachments_and_headers_are_sent(mailbox):
    email = _queue(
        headers={"X-Portal-Meeting": "42", "Message-ID": "<forged@example.org>"},
        attachments=[
            {"filename": "poziv.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
        ],
    )

    services.send_queued_email(email.pk)

    [message] = mailbox.wait_for(1)
    assert message["X-Portal-Meeting"] == "42"
    assert message["Message-ID"] == email.message_id
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "poziv.ics"
    assert attachment.get_content_type() == "text/calendar"


# --- Failures -------------------------------------------------------------------------------


def test_smtp_down_is_retried_after_seconds_not_minutes(smtp_server):
    email = _queue()
    smtp_server.stop()

    before = timezone.now()
    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.RETRYING
    assert email.last_error
    assert email.next_attempt_at - before <= timedelta(seconds=15)
    # the sweep (every few seconds) enqueues the retry once it is due, not before
    assert services.sweep_outbox() == 0
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert services.sweep_outbox() == 1


def test_temporary_refusal_of_a_recipient_is_retried(smtp_server):
    smtp_server.handler.rcpt_replies["busy@example.org"] = "451 4.3.0 Try again later"
    email = _queue(to="busy@example.org")

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.RETRYING
    assert "451" in email.last_error


def test_refused_recipient_fails_at_once_with_an_error_log(smtp_server, caplog):
    smtp_server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    email = _queue(to="nobody@example.org")

    with caplog.at_level(logging.ERROR, logger="mail.services"):
        services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert "550" in email.last_error
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert str(email.pk) in record.getMessage()
    assert "nobody@example.org" not in record.getMessage()


def test_message_rejected_with_5xx_fails_at_once(smtp_server):
    smtp_server.handler.data_reply = "554 5.7.1 Message rejected as spam"
    email = _queue()

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1


def test_message_that_cannot_be_built_fails_at_once(smtp_server):
    email = _queue(headers={"X-Meeting": "42\nBcc: everyone@example.org"})

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert smtp_server.messages == []


def test_email_fails_for_good_after_the_last_attempt(smtp_server, caplog):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=services.MAX_ATTEMPTS - 1)
    smtp_server.stop()

    with caplog.at_level(logging.ERROR, logger="mail.services"):
        services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert email.next_attempt_at is None
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_retries_ride_out_a_weekend_outage():
    delays = [services.retry_delay(n) for n in range(1, services.MAX_ATTEMPTS)]

    assert delays[0] <= timedelta(seconds=10)
    assert sum(delays, timedelta()) >= timedelta(days=3)
    assert max(delays) <= timedelta(hours=6)


# --- Expiry ---------------------------------------------------------------------------------


def test_email_past_its_not_after_time_expires_instead_of_arriving_late(mailbox):
    email = _queue(not_after=timezone.now() + timedelta(minutes=5))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        not_after=timezone.now() - timedelta(seconds=1)
    )

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.EXPIRED
    assert mailbox.messages == []


def test_sweep_expires_waiting_rows_past_their_not_after_time():
    email = _queue(not_after=timezone.now() + timedelta(minutes=5))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.RETRYING, not_after=timezone.now() - timedelta(seconds=1)
    )

    services.sweep_outbox()

    email.refresh_from_db()
    assert email.status == Status.EXPIRED


# --- The sweep ------------------------------------------------------------------------------


def test_sweep_leaves_fresh_rows_to_their_own_task():
    _queue()

    assert services.sweep_outbox() == 0


def test_sweep_never_re_enqueues_a_row_whose_task_waits_in_a_busy_queue(monkeypatch):
    email = _queue()
    # long past the enqueue grace, but its task message was sent and waits behind others
    monkeypatch.setattr(services, "broker_queue_length", lambda: 250)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=timezone.now() - services.QUEUE_PATIENCE + timedelta(minutes=1),
        next_attempt_at=timezone.now() - timedelta(minutes=8),
    )

    assert services.sweep_outbox() == 0


def test_sweep_re_enqueues_a_row_whose_message_vanished_from_an_empty_queue():
    # A worker SIGKILLed after it took the message and before it claimed the row: Redis would
    # hand the unacked message back only after its visibility timeout.
    from diaspora_portal.celery import app

    email = _queue()
    app.control.purge()  # the message the killed worker took with it
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=timezone.now() - services.LOST_MESSAGE_GRACE - timedelta(seconds=1)
    )

    assert services.broker_queue_length() == 0
    assert services.sweep_outbox() == 1
    assert services.sweep_outbox() == 0  # enqueued again just now: one new message, not more


def test_sweep_leaves_a_row_whose_message_is_still_in_the_queue():
    email = _queue()  # its message is on the real broker and no worker runs
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=timezone.now() - services.LOST_MESSAGE_GRACE - timedelta(seconds=1)
    )

    assert services.broker_queue_length() >= 1
    assert services.sweep_outbox() == 0


def test_a_lost_message_and_its_replacement_send_the_email_once(mailbox):
    # The old message comes back (the visibility timeout) after the sweep sent a new one.
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=timezone.now() - services.QUEUE_PATIENCE
    )
    services.sweep_outbox()

    services.send_queued_email(email.pk)  # the replacement
    services.send_queued_email(email.pk)  # the original, redelivered late

    assert len(mailbox.messages) == 1


def test_sweep_enqueues_a_row_whose_task_message_could_not_be_sent():
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=None, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    assert services.sweep_outbox() == 1
    assert services.sweep_outbox() == 0  # claimed: a second sweep adds no second message


def test_sweep_enqueues_a_row_whose_message_went_missing_even_in_a_busy_queue(monkeypatch):
    monkeypatch.setattr(services, "broker_queue_length", lambda: 250)
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        enqueued_at=timezone.now() - services.QUEUE_PATIENCE - timedelta(minutes=1)
    )

    assert services.sweep_outbox() == 1


def test_row_whose_worker_died_gets_one_more_try_with_the_same_message_id(mailbox):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING,
        attempts=1,
        enqueued_at=None,
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    assert services.sweep_outbox() == 1
    email.refresh_from_db()
    assert email.status == Status.RETRYING
    assert email.interruptions == 1

    services.send_queued_email(email.pk)
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    [message] = mailbox.wait_for(1)
    assert message["Message-ID"] == email.message_id


def test_row_whose_worker_died_twice_fails_instead_of_looping(mailbox):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING,
        attempts=2,
        interruptions=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    assert services.sweep_outbox() == 0
    email.refresh_from_db()
    assert email.status == Status.FAILED
    services.send_queued_email(email.pk)
    assert mailbox.messages == []


def test_sweep_leaves_a_row_whose_attempt_is_under_way():
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() + timedelta(minutes=1)
    )

    assert services.sweep_outbox() == 0
    email.refresh_from_db()
    assert email.status == Status.SENDING


def test_a_successful_send_pulls_waiting_rows_forward(mailbox):
    waiting = [_queue(subject=f"Waiting {n}") for n in range(3)]
    OutgoingEmail.objects.filter(pk__in=[e.pk for e in waiting]).update(
        status=Status.RETRYING,
        attempts=8,
        enqueued_at=None,
        next_attempt_at=timezone.now() + timedelta(hours=2),
    )
    fresh = _queue(subject="Fresh")

    services.send_queued_email(fresh.pk)

    for email in waiting:
        email.refresh_from_db()
        assert email.next_attempt_at <= timezone.now()
        assert email.enqueued_at is not None  # its task message is on its way


def test_smtp_probe_notices_smtp_is_back_and_pulls_waiting_rows_forward(smtp_server):
    email = _queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.RETRYING,
        attempts=10,
        enqueued_at=None,
        next_attempt_at=timezone.now() + timedelta(hours=4),
    )

    smtp_server.stop()
    assert services.pull_waiting_emails_forward_if_smtp_answers() == 0
    smtp_server.start()
    assert services.pull_waiting_emails_forward_if_smtp_answers() == 1

    email.refresh_from_db()
    assert email.enqueued_at is not None


# --- Secrets and retention ------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "account/email/password_reset_key",
        "account/email/email_confirmation_signup",
        "account/email/email_confirmation",
        "account/email/login_code",
    ],
)
def test_sent_email_with_a_secret_keeps_no_body(mailbox, template):
    email = _queue(
        template=template,
        body_text="Reset: http://127.0.0.1:8000/accounts/password/reset/key/abc-def/",
        body_html='<a href="http://127.0.0.1:8000/accounts/password/reset/key/abc-def/">x</a>',
    )

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert "abc-def" not in email.body_text + email.body_html
    assert email.redacted_at is not None
    assert "abc-def" in mailbox.wait_for(1)[0].get_body(("plain",)).get_content()


def test_sent_email_without_a_secret_keeps_its_body(mailbox):
    email = _queue(template="meetings/invitation", body_text="Sastanak u petak")

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.body_text == "Sastanak u petak"
    assert email.redacted_at is None


def test_purge_deletes_finished_rows_after_the_retention_period(settings):
    settings.MAIL_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    old_sent, recent_sent, old_failed, old_queued = (_queue() for _ in range(4))
    OutgoingEmail.objects.filter(pk=old_sent.pk).update(status=Status.SENT, sent_at=old)
    OutgoingEmail.objects.filter(pk=recent_sent.pk).update(
        status=Status.SENT, sent_at=timezone.now() - timedelta(days=29)
    )
    OutgoingEmail.objects.filter(pk=old_failed.pk).update(status=Status.FAILED, updated_at=old)
    OutgoingEmail.objects.filter(pk=old_queued.pk).update(updated_at=old, created_at=old)

    assert services.purge_old_emails() == 2

    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        recent_sent.pk,
        old_queued.pk,
    }


def test_sweep_probe_and_purge_run_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"mail.purge_old_emails", "mail.requeue_stuck_emails", "mail.probe_smtp"} <= tasks


# --- HTML from text -------------------------------------------------------------------------


def test_text_body_gets_an_escaped_html_version():
    html = services.html_from_text("Pozdrav <b>svima</b>", subject="Poziv", language="bs")

    assert "&lt;b&gt;svima&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "name", ["evil.example", "https://evil.example/login", "www.evil.example", "a@evil.example"]
)
def test_a_display_name_never_becomes_a_link(name):
    html = services.html_from_text(
        f"{name} invited you: http://127.0.0.1:8000/accounts/signup/.",
        subject="Poziv",
        language="bs",
    )

    assert "evil.example" in html
    assert 'href="http://127.0.0.1:8000/accounts/signup/"' in html
    assert html.count("<a ") == 1


def test_many_emails_are_queued_in_one_insert_and_each_sent_once(
    mailbox, celery_worker, django_assert_max_num_queries
):
    emails = [
        {
            "to": f"org{i}@example.org",
            "subject": "Podsjetnik",
            "body_text": "Uskoro.",
            "language": "bs",
        }
        for i in range(30)
    ]
    with transaction.atomic(), django_assert_max_num_queries(3):
        services.queue_rendered_emails(emails)

    messages = mailbox.wait_for(30)
    time.sleep(0.5)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(e["to"] for e in emails)
    assert len(messages) == 30


def test_dropped_pending_email_expires_and_is_never_sent(mailbox):
    email = _queue()

    assert services.drop_pending_emails(pks=[email.pk]) == 1
    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == Status.EXPIRED
    assert mailbox.messages == []
