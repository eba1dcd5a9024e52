"""Reminders against two real Celery worker processes, real Redis and a real SMTP server."""

import secrets
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core.tokens import token_hash
from mail.models import OutgoingEmail
from meetings.models import Invitation, Notice
from meetings.tasks import send_due_reminders_task
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _wait_until(condition, timeout, message=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.3)


def test_concurrent_ticks_on_two_workers_remind_each_invitee_once(smtp_server, worker_processes):
    # given a meeting whose one-hour reminder fell due a minute ago (the day-before one is long
    # past and skipped), twelve invitees who may come and one who declined
    start = timezone.now() + timedelta(minutes=59)
    meeting = factories.MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    organization = factories.OrganizationFactory()
    for i in range(13):
        Invitation.objects.create(
            meeting=meeting,
            organization=organization,
            email=f"org{i}@example.org",
            answer="no" if i == 0 else ["", "yes", "maybe"][i % 3],
            language=["bs", "en"][i % 2],
            token_hash=token_hash(secrets.token_urlsafe(32)),
        )
    worker_processes(smtp_port=smtp_server.port)
    worker_processes(smtp_port=smtp_server.port)

    # when beat's ticks pile up: several at once, taken by both idle workers together
    for _ in range(4):
        send_due_reminders_task.delay()

    # then each invitee but the declined one gets the reminder exactly once
    _wait_until(lambda: len(smtp_server.messages) >= 12, 60, "not every reminder arrived")
    _wait_until(lambda: set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}, 20)
    time.sleep(2)  # a duplicate still in flight would arrive meanwhile
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == sorted(f"org{i}@example.org" for i in range(1, 13))
    assert Notice.objects.filter(kind="reminder", number=60, starts_at=start).count() == 12
    assert OutgoingEmail.objects.count() == 12
