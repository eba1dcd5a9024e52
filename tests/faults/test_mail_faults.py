"""Faults while e-mail goes out: SMTP down during a fan-out, a worker SIGKILLed mid-batch, a
task message taken along by a killed worker. Every e-mail arrives, and only an attempt that was
cut off during its SMTP exchange is ever repeated (with the same Message-ID)."""

import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import transaction

from diaspora_portal.celery import app
from mail import services
from mail.models import OutgoingEmail
from meetings import invitations
from organizations.models import Organization
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

Status = OutgoingEmail.Status


def _queue(n, tag="Poziv"):
    """Queue ``n`` e-mails in one transaction, as a fan-out does (the integrator's invitations
    use the same outbox)."""
    with transaction.atomic():
        return [
            services.queue_rendered_email(
                to=f"org{i}@example.org",
                subject=f"{tag} {i}",
                body_text="Pozdrav",
                language="bs",
            )
            for i in range(n)
        ]


def _invite(n):
    """Invite ``n`` organizations (one address each) to a meeting, as staff do: one transaction,
    then the sending task on a worker renders and queues every invitation e-mail."""
    meeting = factories.MeetingFactory(title="Diaspora Online Check-In")
    organizations = [factories.OrganizationFactory() for _ in range(n)]
    with transaction.atomic():
        invited = invitations.invite(
            meeting, Organization.objects.filter(pk__in=[o.pk for o in organizations]), by=None
        )
    assert invited == n
    return meeting


def _wait_until(condition, timeout, message="", tick=None):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        if tick is not None:
            tick()
        time.sleep(0.3)


def _beat():
    """What Celery beat schedules: the sweep every few seconds, the SMTP probe every minute."""
    services.sweep_outbox()
    services.pull_waiting_emails_forward_if_smtp_answers()


def _counts(server):
    return Counter(m["Message-ID"] for m in server.messages)


def test_smtp_down_during_a_fan_out_of_200_invitations_every_one_arrives_exactly_once(
    smtp_server, worker_processes
):
    # SMTP is down when staff invite 200 organizations
    smtp_server.stop()
    worker_processes(smtp_port=smtp_server.port)
    meeting = _invite(200)
    _wait_until(
        lambda: not meeting.invitations.filter(last_email__isnull=True).exists(),
        90,
        "the worker did not queue every invitation",
    )
    emails = list(OutgoingEmail.objects.filter(pk__in=meeting.invitations.values("last_email")))
    assert len(emails) == 200
    _wait_until(
        lambda: not OutgoingEmail.objects.filter(status=Status.QUEUED).exists(),
        90,
        "the worker did not try every e-mail",
    )
    assert OutgoingEmail.objects.filter(status=Status.SENT).count() == 0

    # a while later SMTP comes back
    time.sleep(2)
    smtp_server.start()
    returned = time.monotonic()
    _wait_until(
        lambda: len(smtp_server.messages) >= 200,
        60,
        f"only {len(smtp_server.messages)} of 200 arrived within a minute",
        tick=_beat,
    )

    assert time.monotonic() - returned < 60
    _wait_until(lambda: OutgoingEmail.objects.filter(status=Status.SENT).count() == 200, 20)
    time.sleep(1)
    counts = _counts(smtp_server)
    assert set(counts) == {e.message_id for e in emails}
    assert set(counts.values()) == {1}
    assert {m["To"] for m in smtp_server.messages} == set(
        meeting.invitations.values_list("email", flat=True)
    )


def test_worker_killed_mid_batch_every_email_arrives_and_none_is_repeated_unless_cut_off(
    smtp_server, worker_processes, monkeypatch
):
    monkeypatch.setattr(services, "LOST_MESSAGE_GRACE", services.timedelta(seconds=2))
    # a slow SMTP server, so the batch is still running when the worker dies
    smtp_server.handler.on_data = lambda message: time.sleep(0.05)
    worker = worker_processes(smtp_port=smtp_server.port, lease_seconds=4)
    emails = _queue(60)
    _wait_until(lambda: len(smtp_server.messages) >= 15, 60, "the batch did not start")

    worker.kill()
    arrived_before = len(smtp_server.messages)
    worker_processes(smtp_port=smtp_server.port, lease_seconds=4)

    _wait_until(
        lambda: OutgoingEmail.objects.filter(status=Status.SENT).count() == 60,
        60,
        "not every e-mail was sent after the restart",
        tick=_beat,
    )
    time.sleep(1)
    assert arrived_before < 60
    counts = _counts(smtp_server)
    assert set(counts) == {e.message_id for e in emails}
    # Only an attempt cut off between DATA and the recorded outcome goes again, and once.
    cut_off = {
        e.message_id
        for e in OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails], interruptions__gt=0)
    }
    assert len(cut_off) <= 1
    assert {mid for mid, n in counts.items() if n > 1} <= cut_off
    assert max(counts.values()) <= 2


# A consumer that takes one task message without acknowledging it and is SIGKILLed at once.
TAKE_AND_DIE = """
import os, signal, sys
from kombu import Connection
with Connection(sys.argv[1]) as connection:
    message = connection.SimpleQueue(sys.argv[2], no_ack=False).get(timeout=10)
    print("taken", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_task_message_a_killed_worker_took_along_is_replaced_within_seconds(
    smtp_server, worker_processes, monkeypatch
):
    monkeypatch.setattr(services, "LOST_MESSAGE_GRACE", services.timedelta(seconds=2))
    [email] = _queue(1)
    # a worker takes the message from the queue and dies before it claims the row: the message
    # stays unacked on Redis until the visibility timeout (an hour)
    taker = subprocess.run(
        [sys.executable, "-c", TAKE_AND_DIE, app.conf.broker_url, app.conf.task_default_queue],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert taker.returncode == -signal.SIGKILL, taker.stderr
    assert "taken" in taker.stdout
    assert services.broker_queue_length() == 0

    worker_processes(smtp_port=smtp_server.port)
    _wait_until(
        lambda: len(smtp_server.messages) >= 1,
        30,
        "the e-mail waited for the broker's visibility timeout",
        tick=services.sweep_outbox,
    )

    email.refresh_from_db()
    assert email.status == Status.SENT
    # the original message, handed back late, finds the row sent
    services.send_queued_email(email.pk)
    assert [m["Message-ID"] for m in smtp_server.messages] == [email.message_id]
