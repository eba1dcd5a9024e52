"""The video link lets anyone join the check-in: it reaches invitees only (their invitation
e-mail and its calendar file, their RSVP page, reminders), never a public page, file, feed or
the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mail.models import OutgoingEmail
from meetings import invitations, notices, rsvp_links, services
from meetings.models import Invitation
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "secret-room-4711"
LINK = f"https://meet.example.org/{SECRET}"


def _meeting(**kwargs):
    return factories.MeetingFactory(video_url=LINK, **kwargs)


def _invited(meeting):
    organization = factories.OrganizationFactory(public_email="info@ljiljan.example")
    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    invitations.send_pending_invitations()
    return organization, Invitation.objects.get(organization=organization)


def _attached_event(email):
    (attachment,) = email.attachments
    return Calendar.from_ical(attachment["content"]).walk("VEVENT")[0]


def test_the_public_meeting_calendar_file_leaves_the_video_link_out(client):
    meeting = _meeting()

    response = client.get(reverse("meetings:ics", args=[meeting.slug]))

    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["URL"]).endswith(meeting.get_absolute_url())


def test_the_calendar_feed_leaves_the_video_link_out(client):
    _meeting()

    response = client.get(reverse("meetings:feed"))

    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "signed_in", "member_of_another_organization"])
def test_the_meeting_page_and_its_calendar_links_hide_the_video_link_from_non_invitees(
    client, viewer
):
    meeting = _meeting()
    _invited(meeting)
    if viewer == "signed_in":
        client.force_login(factories.UserFactory())
    elif viewer == "member_of_another_organization":
        other = factories.OrganizationFactory()
        client.force_login(factories.MembershipFactory(organization=other).user)

    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "calendar.google.com" in html  # the "add to calendar" links are still there
    assert SECRET not in html


def test_the_meetings_api_never_carries_the_video_link(client):
    meeting = _meeting()

    listing = client.get("/api/v1/meetings/")
    one = client.get(f"/api/v1/meetings/{meeting.slug}/")

    assert listing.status_code == one.status_code == 200
    assert SECRET not in listing.content.decode()
    assert SECRET not in one.content.decode()


def test_the_invitees_own_invitation_rsvp_page_and_reminder_carry_the_video_link(client):
    now = timezone.now()
    meeting = _meeting(starts_at=now + timedelta(minutes=59))
    _organization, invitation = _invited(meeting)

    email = OutgoingEmail.objects.get(to="info@ljiljan.example")
    assert LINK in email.body_text and LINK in email.body_html
    assert LINK in str(_attached_event(email)["DESCRIPTION"])
    token = rsvp_links.rsvp_url(invitation).rsplit("/rsvp/", 1)[1].strip("/")
    rsvp = client.get(reverse("meetings:rsvp", args=[token]))
    assert f'href="{LINK}"' in rsvp.content.decode()
    assert sum(notices.send_reminder(due, now=now) for due in notices.due_reminders(now=now))
    reminder = OutgoingEmail.objects.get(template="meetings/emails/reminder")
    assert LINK in reminder.body_text and f'href="{LINK}"' in reminder.body_html


def test_changing_the_video_link_sends_invitees_an_update_with_the_same_uid_and_a_higher_sequence():
    meeting = _meeting()
    _organization, invitation = _invited(meeting)
    first = _attached_event(OutgoingEmail.objects.get(to="info@ljiljan.example"))

    services.update_meeting(
        meeting=meeting, by=None, video_url="https://meet.example.org/new-room-0815"
    )
    invitations.send_pending_invitations()

    update = OutgoingEmail.objects.filter(to="info@ljiljan.example").latest("pk")
    event = _attached_event(update)
    assert str(event["UID"]) == str(first["UID"])
    assert event["SEQUENCE"] > first["SEQUENCE"]
    assert "new-room-0815" in str(event["DESCRIPTION"])
    assert "new-room-0815" in update.body_text
