from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from core.models import AuditEntry
from mail.models import OutgoingEmail
from meetings.models import Invitation as MeetingInvitation
from onboarding.models import Invitation as JoinInvitation
from onboarding.models import Registration
from organizations.models import MemberInvitation
from privacy import retention
from privacy.models import DataExport
from tests import factories

pytestmark = pytest.mark.django_db

DAYS = 10


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.PRIVACY_DRAFT_RETENTION_DAYS = DAYS
    settings.PRIVACY_INVITATION_RETENTION_DAYS = DAYS
    settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS = DAYS
    settings.PRIVACY_SESSION_RETENTION_DAYS = DAYS
    settings.PRIVACY_AUDIT_RETENTION_DAYS = DAYS
    settings.MAIL_RETENTION_DAYS = DAYS


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def _token(name: str) -> str:
    return name.ljust(64, "0")


def _join_invitation(name, **dates):
    return JoinInvitation.objects.create(
        email=f"{name}@example.org",
        token_hash=_token(name),
        sent_at=ago(100),
        **{"expires_at": ago(-1), **dates},
    )


def _member_invitation(organization, name, **dates):
    return MemberInvitation.objects.create(
        organization=organization,
        email=f"{name}@example.org",
        token_hash=_token(name),
        **{"expires_at": ago(-1), **dates},
    )


def _rsvp(meeting, organization, name):
    return MeetingInvitation.objects.create(
        meeting=meeting,
        organization=organization,
        email=f"{name}@example.org",
        token_hash=_token(name),
        answer="yes",
        people=4,
        comment="Dolazimo s djecom.",
    )


def _user_session(user, name, *, last_seen, live):
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(3600 if live else -1)
    store.create()
    return UserSession.objects.create(
        user=user,
        ip="192.0.2.7",
        session_key=store.session_key,
        last_seen_at=last_seen,
        user_agent=name,
    )


def _email(name, *, sent_days_ago):
    return OutgoingEmail.objects.create(
        to=f"{name}@example.org",
        from_email="p@example.org",
        subject=name,
        body_text=".",
        language="bs",
        status="sent",
        sent_at=ago(sent_days_ago),
    )


def test_retention_removes_exactly_what_is_past_its_period_and_a_second_run_nothing(
    settings, tmp_path
):
    settings.PRIVACY_EXPORT_ROOT = tmp_path
    user = factories.UserFactory()
    organization = factories.OrganizationFactory()
    old_meeting = factories.MeetingFactory(starts_at=ago(DAYS + 2), status="held")
    recent_meeting = factories.MeetingFactory(starts_at=ago(DAYS - 2), status="held")

    old_draft = Registration.objects.create(user=user)
    Registration.objects.filter(pk=old_draft.pk).update(last_activity_at=ago(DAYS + 1))
    fresh_draft = Registration.objects.create(user=factories.UserFactory())
    submitted = Registration.objects.create(user=factories.UserFactory(), submitted_at=ago(400))
    Registration.objects.filter(pk=submitted.pk).update(last_activity_at=ago(400))

    join_keep = [
        _join_invitation("open"),
        _join_invitation("just-expired", expires_at=ago(DAYS - 1)),
        _join_invitation("just-used", completed_at=ago(DAYS - 1)),
    ]
    join_gone = [
        _join_invitation("long-expired", expires_at=ago(DAYS + 1)),
        _join_invitation("long-used", completed_at=ago(DAYS + 1)),
        _join_invitation("long-revoked", revoked_at=ago(DAYS + 1)),
    ]
    member_keep = [
        _member_invitation(organization, "m-open"),
        _member_invitation(organization, "m-just-used", accepted_at=ago(DAYS - 1)),
    ]
    member_gone = [
        _member_invitation(organization, "m-long-expired", expires_at=ago(DAYS + 1)),
        _member_invitation(organization, "m-long-used", accepted_at=ago(DAYS + 1)),
    ]
    old_rsvp = _rsvp(old_meeting, organization, "old-rsvp")
    recent_rsvp = _rsvp(recent_meeting, organization, "recent-rsvp")

    old_mail = _email("old-mail", sent_days_ago=DAYS + 1)
    new_mail = _email("new-mail", sent_days_ago=DAYS - 1)

    ended_old = _user_session(user, "ended-old", last_seen=ago(DAYS + 1), live=False)
    ended_recent = _user_session(user, "ended-recent", last_seen=ago(DAYS - 1), live=False)
    live_old = _user_session(user, "live-old", last_seen=ago(DAYS + 1), live=True)

    old_entry = AuditEntry.objects.create(action="csv_export")
    AuditEntry.objects.filter(pk=old_entry.pk).update(created_at=ago(DAYS + 1))
    new_entry = AuditEntry.objects.create(action="csv_export")

    (tmp_path / "old.json").write_text("{}")
    expired_export = DataExport.objects.create(
        requested_by=user,
        subject_user=user,
        status="ready",
        file_name="old.json",
        token_hash=_token("export"),
        expires_at=ago(0.01),
    )

    removed = retention.enforce_retention()

    assert removed == {
        "registration_drafts": 1,
        "onboarding_invitations": 3,
        "member_invitations": 2,
        "rsvp_details": 1,
        "sent_emails": 1,
        "ended_sessions": 1,
        "audit_entries": 1,
        "export_files": 1,
    }
    assert set(Registration.objects.values_list("pk", flat=True)) == {fresh_draft.pk, submitted.pk}
    assert set(JoinInvitation.objects.all()) == set(join_keep)
    assert not JoinInvitation.objects.filter(pk__in=[i.pk for i in join_gone]).exists()
    assert set(MemberInvitation.objects.all()) == set(member_keep)
    assert not MemberInvitation.objects.filter(pk__in=[i.pk for i in member_gone]).exists()
    old_rsvp.refresh_from_db()
    recent_rsvp.refresh_from_db()
    assert (old_rsvp.answer, old_rsvp.people, old_rsvp.comment) == ("yes", None, "")
    assert old_rsvp.token_hash != _token("old-rsvp")
    assert (recent_rsvp.people, recent_rsvp.comment) == (4, "Dolazimo s djecom.")
    assert list(OutgoingEmail.objects.all()) == [new_mail]
    assert not OutgoingEmail.objects.filter(pk=old_mail.pk).exists()
    assert set(UserSession.objects.all()) == {ended_recent, live_old}
    assert not UserSession.objects.filter(pk=ended_old.pk).exists()
    assert list(AuditEntry.objects.all()) == [new_entry]
    assert not (tmp_path / "old.json").exists()
    assert DataExport.objects.get(pk=expired_export.pk).status == "expired"

    assert set(retention.enforce_retention().values()) == {0}


def test_retention_runs_nightly_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-enforce-retention"]

    assert entry["task"] == "privacy.enforce_retention"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {30})
