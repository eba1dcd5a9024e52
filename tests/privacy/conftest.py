import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mail.models import OutgoingEmail
from tests import factories


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    settings.PRIVACY_EXPORT_ROOT = tmp_path / "exports"
    # A TOTP code made just before a 30 s boundary still counts for the staff login.
    settings.MFA_TOTP_TOLERANCE = 1


def export_link(to: str) -> str:
    """The path of the download link in the latest export e-mail to ``to``."""
    email = OutgoingEmail.objects.filter(to=to, template="privacy/emails/export_ready").first()
    assert email is not None, f"no export e-mail to {to}"
    match = re.search(r"https?://[^/\s]+(/privacy/download/\S+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


@pytest.fixture
def world(db):
    """Two people in two organizations, each with data in every app."""
    from meetings.models import Invitation as MeetingInvitation
    from onboarding.models import Invitation as JoinInvitation
    from onboarding.models import Registration
    from organizations.models import MemberInvitation

    meeting = factories.MeetingFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-1),
        status="held",
    )
    people = {}
    for key, name, phone, org_name in [
        ("amra", "Amra Kovačević", "+4915112345678", "Udruženje Most Berlin"),
        ("tarik", "Tarik Begović", "+46701234567", "Zavičajni klub Malmö"),
    ]:
        user = factories.UserFactory(email=f"{key}@example.org", full_name=name)
        organization = factories.OrganizationFactory(name=org_name)
        factories.MembershipFactory(user=user, organization=organization, role="admin")
        factories.ContactFactory(
            organization=organization, name=name, email=user.email, phone=phone
        )
        MemberInvitation.objects.create(
            organization=organization,
            email=f"{key}.colleague@example.org",
            role="member",
            token_hash=f"{key}-member".ljust(64, "0"),
            invited_by=user,
            expires_at=timezone.now() + timedelta(days=7),
        )
        JoinInvitation.objects.create(
            email=f"{key}.friend@example.org",
            organization_name=f"Prijatelji {key}",
            message=f"Pozdrav od {name}",
            token_hash=f"{key}-join".ljust(64, "0"),
            invited_by=user,
            inviting_organization=organization,
            sent_at=timezone.now(),
            expires_at=timezone.now() + timedelta(days=30),
        )
        MeetingInvitation.objects.create(
            meeting=meeting,
            organization=organization,
            email=user.email,
            token_hash=f"{key}-rsvp".ljust(64, "0"),
            answer="yes",
            people=3,
            comment=f"Dolazimo, {name}",
            answered_at=timezone.now(),
        )
        Registration.objects.create(user=user, data={"basics": {"name": f"Nacrt {key}"}})
        OutgoingEmail.objects.create(
            to=user.email,
            from_email="portal@example.org",
            subject=f"Dobrodošli, {name}",
            body_text=f"Zdravo {name}",
            language="bs",
            status="sent",
            sent_at=timezone.now(),
        )
        people[key] = {"user": user, "organization": organization, "phone": phone}
    people["meeting"] = meeting
    return people
