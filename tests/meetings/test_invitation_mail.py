"""Invitation e-mails end to end: real Celery worker processes, real Redis, a real SMTP server;
the .ics attachments parsed back with icalendar."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from mail import services as mail_services
from mail.models import OutgoingEmail
from meetings import invitations, rsvp_links, services
from meetings.models import Invitation
from organizations.models import Organization
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _calendar(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content())
    raise AssertionError("no text/calendar part")


def _wait(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _sweep_until_sent(count, timeout=60):
    """Run what beat would run (both sweeps) until ``count`` e-mails are sent."""
    deadline = time.monotonic() + timeout
    while OutgoingEmail.objects.filter(status="sent").count() < count:
        assert time.monotonic() < deadline, list(OutgoingEmail.objects.values("status", "to"))
        invitations.send_pending_invitations()
        OutgoingEmail.objects.filter(status__in=["queued", "retrying"]).update(
            next_attempt_at=OutgoingEmail.objects.earliest("created_at").created_at
        )
        mail_services.sweep_outbox()
        time.sleep(0.5)


def test_invitation_update_and_cancellation_arrive_with_their_ics(
    staff_client, smtp_server, worker_processes
):
    worker_processes(smtp_port=smtp_server.port)
    meeting = factories.MeetingFactory(title="3. Diaspora Online Check-In")
    organization = factories.OrganizationFactory(
        name="Udruženje Ljiljan", public_email="info@ljiljan.example", preferred_language="bs"
    )
    factories.ContactFactory(organization=organization, email="sekretar@ljiljan.example")

    started = time.monotonic()
    response = staff_client.post(
        reverse("staff_meetings:invite", args=[meeting.pk]),
        {"organizations": [organization.pk]},
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 2

    invitation_mails = smtp_server.wait_for(2)
    assert {m["To"] for m in invitation_mails} == {
        "info@ljiljan.example",
        "sekretar@ljiljan.example",
    }
    message = next(m for m in invitation_mails if m["To"] == "info@ljiljan.example")
    invitation = Invitation.objects.get(email="info@ljiljan.example")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert message["Subject"].startswith("Poziv: 3. Diaspora Online Check-In")
    assert rsvp_links.rsvp_url(invitation) in text and rsvp_links.rsvp_url(invitation) in html
    assert meeting.video_url in text and "calendar.google.com" in html
    calendar = _calendar(message)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert str(event["ATTENDEE"]) == "mailto:info@ljiljan.example"

    invitations.record_answer(
        Invitation.objects.get(email="sekretar@ljiljan.example"), answer="no", by=None
    )
    services.update_meeting(
        meeting=meeting,
        by=None,
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
    )
    update = smtp_server.wait_for(3)[2]
    event = _calendar(update).walk("VEVENT")[0]
    assert update["To"] == "info@ljiljan.example"  # the one who declined gets no update
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting.ical_uid, 1)
    assert event.decoded("DTSTART") == (meeting.starts_at + timedelta(hours=2)).replace(
        microsecond=0
    )

    services.cancel_meeting(meeting=meeting, by=None)
    cancellations = smtp_server.wait_for(5)[3:]
    assert {m["To"] for m in cancellations} == {
        "info@ljiljan.example",
        "sekretar@ljiljan.example",
    }
    for message in cancellations:
        calendar = _calendar(message)
        assert calendar["METHOD"] == "CANCEL"
        assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 2
        assert str(calendar.walk("VEVENT")[0]["UID"]) == meeting.ical_uid


def test_smtp_down_then_up_sends_every_invitation_once(smtp_server, worker_processes):
    smtp_server.stop()
    worker_processes(smtp_port=smtp_server.port)
    meeting = factories.MeetingFactory()
    factories.OrganizationFactory.create_batch(6)
    invitations.invite(meeting, Organization.objects.all(), by=None)
    _wait(lambda: OutgoingEmail.objects.filter(status="retrying").count() == 6)

    smtp_server.start()
    _sweep_until_sent(6)
    time.sleep(1)

    addresses = [m["To"] for m in smtp_server.messages]
    assert sorted(addresses) == sorted(Invitation.objects.values_list("email", flat=True))
    assert OutgoingEmail.objects.count() == 6


@pytest.mark.parametrize("kind", ["refused", "hanging"])
def test_broker_down_while_staff_invite_loses_nothing(
    staff_client, broker_outage, smtp_server, worker_processes, kind
):
    start_outage, end_outage = broker_outage
    meeting = factories.MeetingFactory()
    factories.OrganizationFactory.create_batch(4)
    start_outage(kind)

    started = time.monotonic()
    response = staff_client.post(
        reverse("staff_meetings:invite", args=[meeting.pk]), {"everyone": "on"}
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    assert meeting.invitations.filter(mail_pending="request").count() == 4
    assert not OutgoingEmail.objects.exists()

    end_outage()
    worker_processes(smtp_port=smtp_server.port)
    # what the minute's beat runs: the invitation sweep, then the outbox sweep
    _sweep_until_sent(4)
    time.sleep(1)

    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        meeting.invitations.values_list("email", flat=True)
    )
    assert OutgoingEmail.objects.count() == 4
