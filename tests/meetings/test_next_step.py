"""The staff meeting page names the next step for the meeting's state, with a link to it."""

import re

import pytest
from django.utils import timezone

from meetings import services
from tests import factories
from tests.meetings.test_notices import invite

pytestmark = pytest.mark.django_db


def _next_step(staff_client, meeting) -> str | None:
    """The href of the link in the "Next step" box, or None when there is no box."""
    html = staff_client.get(f"/staff/meetings/{meeting.pk}/").content.decode()
    box = re.search(r'<section[^>]*id="next-step".*?</section>', html, re.S)
    if box is None:
        return None
    return re.search(r'<a [^>]*href="([^"]+)"', box.group(0)).group(1)


def _over(**kwargs):
    starts_at = timezone.now() - timezone.timedelta(days=2)
    return factories.MeetingFactory(
        starts_at=starts_at, ends_at=starts_at + timezone.timedelta(hours=1), **kwargs
    )


def test_a_draft_meeting_asks_to_be_scheduled(staff_client):
    meeting = factories.MeetingFactory(status="draft")

    assert _next_step(staff_client, meeting) == "#schedule"


def test_a_scheduled_meeting_without_invitations_asks_to_invite_organizations(staff_client):
    meeting = factories.MeetingFactory(status="scheduled")

    assert _next_step(staff_client, meeting) == "#invite"


def test_an_invited_meeting_that_is_not_over_has_no_next_step_yet(staff_client):
    meeting = factories.MeetingFactory(status="scheduled")
    invite(meeting, "a@club.example")

    assert _next_step(staff_client, meeting) is None


def test_an_invited_meeting_that_is_over_asks_to_record_attendance(staff_client):
    meeting = _over(status="scheduled")
    invite(meeting, "a@club.example")

    assert _next_step(staff_client, meeting) == "#attendance"


def test_with_attendance_recorded_the_meeting_is_marked_as_held(staff_client):
    meeting = _over(status="scheduled")
    invite(meeting, "a@club.example")
    services.record_attendance(
        meeting=meeting, by=None, organization=factories.OrganizationFactory(), people=2
    )

    assert _next_step(staff_client, meeting) == "#mark-held"


def test_a_held_meeting_asks_for_the_minutes(staff_client):
    meeting = _over(status="held")

    assert _next_step(staff_client, meeting) == f"/staff/meetings/{meeting.pk}/minutes/"


def test_minutes_with_a_summary_ask_to_be_published(staff_client):
    meeting = _over(status="held")
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak.", "en": "Summary."})

    assert _next_step(staff_client, meeting) == f"/staff/meetings/{meeting.pk}/minutes/#publish"


def test_published_minutes_leave_nothing_to_do(staff_client):
    meeting = _over(status="held")
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak.", "en": "Summary."})
    services.publish_minutes(meeting=meeting, by=None)

    assert _next_step(staff_client, meeting) is None
