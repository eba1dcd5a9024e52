"""Nudges and summary e-mails fan out in a task: the staff request only asks for them."""

import secrets
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.tokens import token_hash
from mail.models import OutgoingEmail
from meetings import notices, services
from meetings.models import Invitation, Notice
from meetings.tasks import send_pending_invitations_task
from tests import factories


def _invite(meeting, count, *, answer="", prefix="org"):
    organization = factories.OrganizationFactory()
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            organization=organization,
            email=f"{prefix}{n}@m{meeting.pk}.example.org",
            language=["bs", "en"][n % 2],
            answer=answer,
            token_hash=token_hash(secrets.token_urlsafe(32)),
        )
        for n in range(count)
    )


def _held_meeting(count):
    yesterday = timezone.now() - timedelta(days=1)
    meeting = factories.MeetingFactory(
        starts_at=yesterday, ends_at=yesterday + timedelta(hours=1), status="held"
    )
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak.", "en": "Summary."})
    _invite(meeting, count, answer="yes")
    return meeting


def _emails(template):
    return sorted(
        OutgoingEmail.objects.filter(template=f"meetings/emails/{template}").values_list(
            "to", flat=True
        )
    )


def _wait_until(condition, timeout=30, message=""):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


# --- The staff request only asks ----------------------------------------------------------


@pytest.mark.django_db
def test_the_nudge_request_queues_no_email_and_costs_the_same_queries_for_3_or_30_invitees(
    staff_client, monkeypatch
):
    monkeypatch.setattr(notices, "BATCH_SIZE", 10)  # small batches stand in for a big audience
    staff_client.get("/")  # the session's first sight is recorded once, outside the counts
    counts = []
    for size in (3, 30):
        meeting = factories.MeetingFactory()
        _invite(meeting, size)
        url = reverse("staff_meetings:nudge", args=[meeting.pk])
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.post(url, {"number": "1"})
        assert response.status_code == 302
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert not OutgoingEmail.objects.exists()
    assert notices.send_requested_notices() == 33
    assert len(_emails("nudge")) == 33


@pytest.mark.django_db
def test_publishing_queues_no_email_and_costs_the_same_queries_for_3_or_30_invitees(
    staff_client, monkeypatch
):
    monkeypatch.setattr(notices, "BATCH_SIZE", 10)
    staff_client.get("/")  # the session's first sight is recorded once, outside the counts
    counts = []
    for size in (3, 30):
        meeting = _held_meeting(size)
        url = reverse("staff_meetings:publish", args=[meeting.pk])
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.post(url)
        assert response.status_code == 302
        counts.append(len(queries))

    assert counts[0] == counts[1], counts
    assert not OutgoingEmail.objects.exists()
    assert notices.send_requested_notices() == 33
    assert notices.send_requested_notices() == 0
    assert len(_emails("summary")) == 33


# --- Exactly once ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retried_task_and_publishing_again_send_nobody_a_second_summary(monkeypatch):
    monkeypatch.setattr(notices, "BATCH_SIZE", 2)
    meeting = _held_meeting(5)

    services.publish_minutes(meeting=meeting, by=None)
    [fanout] = notices.NoticeRound.objects.filter(meeting=meeting)
    assert notices.send_notice_round(fanout.pk) == 5
    assert notices.send_notice_round(fanout.pk) == 0  # the task again: a retry
    services.unpublish_minutes(meeting=meeting, by=None)
    services.publish_minutes(meeting=meeting, by=None)
    assert notices.send_requested_notices() == 0

    assert len(_emails("summary")) == 5
    assert Notice.objects.filter(kind="summary").count() == 5


@pytest.mark.django_db
def test_a_summary_unpublished_before_its_task_ran_is_not_sent():
    meeting = _held_meeting(2)
    services.publish_minutes(meeting=meeting, by=None)
    services.unpublish_minutes(meeting=meeting, by=None)

    assert notices.send_requested_notices() == 0
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_nudge_for_a_meeting_cancelled_before_its_task_ran_is_not_sent():
    meeting = factories.MeetingFactory()
    _invite(meeting, 2)
    notices.send_nudge(meeting=meeting, by=None, number=1)
    services.cancel_meeting(meeting=meeting, by=None)

    assert notices.send_requested_notices() == 0
    assert not OutgoingEmail.objects.filter(template="meetings/emails/nudge").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_nudge_at_once_queue_each_email_once(monkeypatch):
    monkeypatch.setattr(notices, "BATCH_SIZE", 20)
    meeting = factories.MeetingFactory()
    _invite(meeting, 150)
    notices.send_nudge(meeting=meeting, by=None, number=1)
    [fanout] = notices.NoticeRound.objects.all()
    start = threading.Barrier(2)
    queued = []

    def worker():
        start.wait()
        try:
            queued.append(notices.send_notice_round(fanout.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queued.append(notices.send_requested_notices())  # whatever one left, the sweep finishes

    assert sum(queued) == 150
    assert OutgoingEmail.objects.count() == 150
    assert len(set(_emails("nudge"))) == 150


# --- Real workers, a broker that is down ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_each_nonresponder_one_nudge_even_on_a_double_click(
    staff_client, mailbox, celery_worker
):
    meeting = factories.MeetingFactory()
    _invite(meeting, 4)
    _invite(meeting, 2, answer="yes", prefix="yes")
    silent = sorted(Invitation.objects.filter(answer="").values_list("email", flat=True))
    url = reverse("staff_meetings:nudge", args=[meeting.pk])

    staff_client.post(url, {"number": "1"})
    staff_client.post(url, {"number": "1"})  # the second click of a double click

    mailbox.wait_for(4)
    _wait_until(lambda: set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"})
    time.sleep(1)  # a duplicate still in flight would arrive meanwhile
    assert sorted(m["To"] for m in mailbox.messages) == silent
    assert not notices.NoticeRound.objects.filter(requested_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_broker_down_when_staff_nudge_loses_nothing_the_sweep_sends_it(staff_client, broker_outage):
    start_outage, end_outage = broker_outage
    meeting = factories.MeetingFactory()
    _invite(meeting, 3)
    start_outage("refused")

    response = staff_client.post(reverse("staff_meetings:nudge", args=[meeting.pk]), {"number": 1})
    assert response.status_code == 302
    assert not OutgoingEmail.objects.exists()
    end_outage()

    assert send_pending_invitations_task() == 0  # just asked for: its task may be on its way
    notices.NoticeRound.objects.update(requested_at=timezone.now() - timedelta(minutes=1))
    assert send_pending_invitations_task() == 3  # the minute's sweep
    assert send_pending_invitations_task() == 0
    assert len(_emails("nudge")) == 3
