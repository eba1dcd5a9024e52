"""Staff withdraw published minutes with a reason; the public page then shows no summary."""

import pytest

from meetings.models import Minutes
from tests.meetings.test_meetings import _held_meeting_with_minutes

pytestmark = pytest.mark.django_db


def _withdraw_url(meeting):
    return f"/staff/meetings/{meeting.pk}/minutes/withdraw/"


def test_staff_meeting_page_offers_to_withdraw_published_minutes(staff_client):
    meeting, _organization, _item = _held_meeting_with_minutes()

    html = staff_client.get(f"/staff/meetings/{meeting.pk}/").content.decode()

    assert f'action="{_withdraw_url(meeting)}"' in html
    assert 'name="reason"' in html


def test_withdrawing_keeps_the_reason_and_the_public_page_shows_no_summary(
    client, staff_client, staff_user_with_mfa
):
    meeting, _organization, _item = _held_meeting_with_minutes()
    assert "Dogovoren je dnevni kanal" in client.get(meeting.get_absolute_url()).content.decode()

    response = staff_client.post(_withdraw_url(meeting), {"reason": "Pogrešan datum odluke."})

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.withdrawn_reason == "Pogrešan datum odluke."
    assert minutes.withdrawn_by == staff_user_with_mfa
    assert minutes.withdrawn_at is not None
    staff_html = staff_client.get(f"/staff/meetings/{meeting.pk}/").content.decode()
    assert "Pogrešan datum odluke." in staff_html
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "Dogovoren je dnevni kanal" not in public
    assert "Nastaviti sa sastancima." not in public


def test_withdrawing_without_a_reason_is_a_422_and_keeps_the_minutes_published(staff_client):
    meeting, _organization, _item = _held_meeting_with_minutes()

    response = staff_client.post(_withdraw_url(meeting), {"reason": "  "})

    assert response.status_code == 422
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED


def test_withdrawing_is_post_only_and_staff_only(client, staff_client, user):
    meeting, _organization, _item = _held_meeting_with_minutes()

    assert staff_client.get(_withdraw_url(meeting)).status_code == 405
    client.force_login(user)
    assert client.post(_withdraw_url(meeting), {"reason": "x"}).status_code in (302, 403, 404)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED


def test_withdrawn_minutes_leave_the_cached_public_page_the_archive_and_the_api(
    client, staff_client, settings, django_capture_on_commit_callbacks
):
    from core.page_cache import forget_pages

    settings.PAGE_CACHE_SECONDS = 60
    settings.FRAGMENT_CACHE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()
        meeting, _organization, _item = _held_meeting_with_minutes()
    api = f"/api/v1/meetings/{meeting.slug}/"
    assert "Dogovoren je dnevni kanal" in client.get(meeting.get_absolute_url()).content.decode()
    assert meeting.slug in client.get("/meetings/").content.decode()
    assert "Dogovoren je dnevni kanal" in client.get(api).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(_withdraw_url(meeting), {"reason": "Ispravka."})

    assert (
        "Dogovoren je dnevni kanal" not in client.get(meeting.get_absolute_url()).content.decode()
    )
    assert "Dogovoren je dnevni kanal" not in client.get(api).content.decode()
    assert meeting.slug not in client.get("/meetings/").content.decode()
