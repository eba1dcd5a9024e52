"""The staff funnel, stalled registrations and their once-only reminders."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mail.models import OutgoingEmail
from onboarding import funnel, invitations, providers
from onboarding.models import Registration
from onboarding.tasks import send_stalled_reminders_task
from tests import factories

pytestmark = pytest.mark.django_db


def _stalled(days=10, **fields):
    registration = Registration.objects.create(user=factories.UserFactory(), **fields)
    Registration.objects.filter(pk=registration.pk).update(
        last_activity_at=timezone.now() - timedelta(days=days)
    )
    registration.refresh_from_db()
    return registration


def _counts():
    return {stage["key"]: stage["count"] for stage in funnel.funnel()}


def test_funnel_counts_each_stage():
    staff = factories.StaffUserFactory()
    invitations.invite_organization(by=staff, email="a@example.org")
    invitations.invite_organization(by=staff, email="b@example.org")
    Registration.objects.create(user=factories.UserFactory())
    pending = factories.OrganizationFactory(status="pending", approved_at=None)
    approved = factories.OrganizationFactory()
    for organization in (pending, approved):
        Registration.objects.create(
            user=factories.UserFactory(), submitted_at=timezone.now(), organization=organization
        )

    assert _counts() == {
        "invited": 2,
        "started": 3,
        "submitted": 2,
        "approved": 1,
        "attended": 0,
    }


def count_all(organizations):
    return organizations.count()


def test_attendance_stage_asks_the_registered_count(monkeypatch):
    monkeypatch.setattr(providers, "_attendance_counts", [count_all])
    Registration.objects.create(
        user=factories.UserFactory(),
        submitted_at=timezone.now(),
        organization=factories.OrganizationFactory(),
    )
    assert _counts()["attended"] == 1


def test_stalled_lists_only_registrations_without_recent_progress(settings):
    settings.ONBOARDING_STALLED_DAYS = 7
    old = _stalled(days=8)
    _stalled(days=3)
    _stalled(days=30, submitted_at=timezone.now())
    assert list(funnel.stalled_registrations()) == [old]


def test_a_stalled_registration_gets_one_reminder_however_often_the_task_runs(settings):
    settings.ONBOARDING_MAX_REMINDERS = 1
    registration = _stalled()

    assert send_stalled_reminders_task() == 1
    assert send_stalled_reminders_task() == 0
    assert funnel.send_stalled_reminders(now=timezone.now() + timedelta(days=30)) == 0

    email = OutgoingEmail.objects.get()
    assert email.to == registration.user.email
    assert "/onboarding/" in email.body_text
    registration.refresh_from_db()
    assert registration.reminders_sent == 1


def test_never_more_reminders_than_the_maximum_even_after_new_progress(settings):
    settings.ONBOARDING_MAX_REMINDERS = 2
    registration = _stalled(days=10)
    assert funnel.send_stalled_reminders() == 1
    assert funnel.send_stalled_reminders() == 0  # no progress since: no second reminder

    def progress_then_stall_again():
        # The user came back after the reminder, then stopped again.
        now = timezone.now()
        Registration.objects.filter(pk=registration.pk).update(
            last_reminded_at=now - timedelta(days=20), last_activity_at=now - timedelta(days=8)
        )

    progress_then_stall_again()
    assert funnel.send_stalled_reminders() == 1
    progress_then_stall_again()
    assert funnel.send_stalled_reminders() == 0  # the maximum is reached
    assert OutgoingEmail.objects.count() == 2


def test_recent_and_submitted_registrations_get_no_reminder():
    _stalled(days=1)
    _stalled(days=30, submitted_at=timezone.now())
    assert funnel.send_stalled_reminders() == 0
    assert not OutgoingEmail.objects.exists()


def test_reminder_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "onboarding.send_stalled_reminders" in tasks


def test_staff_page_shows_the_funnel_and_stalled_registrations(staff_client):
    registration = _stalled()
    response = staff_client.get("/staff/onboarding/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="funnel-title"' in content
    assert registration.user.email in content


def test_staff_dashboard_links_to_onboarding(staff_client):
    response = staff_client.get("/staff/")
    assert 'href="/staff/onboarding/"' in response.content.decode()


def test_funnel_is_not_shown_to_organization_admins():
    client = Client()
    client.force_login(factories.MembershipFactory(role="admin").user)
    assert client.get("/staff/onboarding/").status_code == 403


def test_an_onboarded_organization_that_attended_a_meeting_counts_as_attended():
    organization = factories.OrganizationFactory()
    Registration.objects.create(
        user=factories.UserFactory(), submitted_at=timezone.now(), organization=organization
    )
    factories.OrganizationFactory()  # listed, but never came through onboarding
    assert _counts()["attended"] == 0

    from meetings.models import Attendance

    Attendance.objects.create(meeting=factories.MeetingFactory(), organization=organization)

    assert _counts()["attended"] == 1
