"""Retention at scale: the nightly run does the same work for 5 or 50 rows of each kind."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEntry
from mail.models import OutgoingEmail
from meetings import personal_data as meetings_personal_data
from meetings.models import Invitation as MeetingInvitation
from onboarding.models import Invitation as JoinInvitation
from onboarding.models import Registration
from organizations.models import MemberInvitation
from privacy import retention
from tests import factories

pytestmark = pytest.mark.django_db

DAYS = 10


@pytest.fixture(autouse=True)
def _periods(settings, tmp_path):
    settings.PRIVACY_DRAFT_RETENTION_DAYS = DAYS
    settings.PRIVACY_INVITATION_RETENTION_DAYS = DAYS
    settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS = DAYS
    settings.PRIVACY_SESSION_RETENTION_DAYS = DAYS
    settings.PRIVACY_AUDIT_RETENTION_DAYS = DAYS
    settings.MAIL_RETENTION_DAYS = DAYS
    settings.PRIVACY_EXPORT_ROOT = tmp_path


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def _past_their_period(count, tag):
    """``count`` rows of each kind that retention removes or anonymizes."""
    organization = factories.OrganizationFactory()
    meeting = factories.MeetingFactory(starts_at=ago(DAYS + 2), status="held")
    users = [factories.UserFactory() for _ in range(count)]
    drafts = Registration.objects.bulk_create(Registration(user=user) for user in users)
    Registration.objects.filter(pk__in=[d.pk for d in drafts]).update(
        last_activity_at=ago(DAYS + 1)
    )
    JoinInvitation.objects.bulk_create(
        JoinInvitation(
            email=f"{tag}-j{i}@example.org",
            token_hash=f"{tag}-j-{i}-".ljust(64, "0"),
            sent_at=ago(100),
            expires_at=ago(DAYS + 1),
        )
        for i in range(count)
    )
    MemberInvitation.objects.bulk_create(
        MemberInvitation(
            organization=organization,
            email=f"{tag}-m{i}@example.org",
            token_hash=f"{tag}-m-{i}-".ljust(64, "0"),
            expires_at=ago(DAYS + 1),
        )
        for i in range(count)
    )
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(
            meeting=meeting,
            organization=organization,
            email=f"{tag}-r{i}@example.org",
            token_hash=f"{tag}-r-{i}-".ljust(64, "0"),
            answer="yes",
            people=3,
            comment="Dolazimo.",
        )
        for i in range(count)
    )
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            to=f"{tag}-e{i}@example.org",
            from_email="portal@example.org",
            subject="Poziv",
            body_text="Tekst",
            language="bs",
            status="sent",
            sent_at=ago(DAYS + 1),
        )
        for i in range(count)
    )
    entries = AuditEntry.objects.bulk_create(AuditEntry(action="csv_export") for _ in range(count))
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).update(created_at=ago(DAYS + 1))


def _retention_queries(count, tag):
    _past_their_period(count, tag)
    with CaptureQueriesContext(connection) as queries:
        removed = retention.enforce_retention()
    for kind in (
        "registration_drafts",
        "onboarding_invitations",
        "member_invitations",
        "rsvp_details",
        "sent_emails",
        "audit_entries",
    ):
        assert removed[kind] >= count, kind
    return len(queries)


def test_retention_runs_the_same_number_of_queries_for_5_or_50_rows_of_each_kind():
    few = _retention_queries(5, "few")
    many = _retention_queries(50, "many")

    assert few == many


def test_retiring_rsvp_details_is_one_update_whatever_the_number_of_invitations():
    _past_their_period(20, "r")

    with CaptureQueriesContext(connection) as queries:
        assert meetings_personal_data.retire_rsvp_details() == 20

    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    tokens = set(MeetingInvitation.objects.values_list("token_hash", flat=True))
    assert len(tokens) == 20
    assert all(token.startswith(meetings_personal_data.RETIRED_LINK_PREFIX) for token in tokens)
    assert set(MeetingInvitation.objects.values_list("answer", "people", "comment")) == {
        ("yes", None, "")
    }
    assert meetings_personal_data.retire_rsvp_details() == 0
