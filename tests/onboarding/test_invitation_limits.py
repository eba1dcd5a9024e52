"""Invitations to join sent by admins of organizations stay bounded: approved organizations only,
hourly limits per person and per organization shared by every process, a cap on open ones."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from mail.models import OutgoingEmail
from onboarding import invitations
from onboarding.models import Invitation
from organizations.models import Organization
from tests import factories
from tests.support.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PAGE = "/onboarding/invitations/"
PER_PERSON = "You have sent many invitations in the last hour. Try again later."
PER_ORGANIZATION = "Your organization has sent many invitations in the last hour. Try again later."
TOO_MANY_OPEN = "Your organization has many invitations that are not answered yet."
NOT_APPROVED = "Only approved organizations may invite other organizations."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ONBOARDING_INVITATIONS_PER_HOUR = 3
    settings.ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR = 5
    settings.ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION = 20


def _admin_client(organization) -> tuple[Client, object]:
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    client = Client()
    client.force_login(admin)
    return client, admin


def _invite(client, email):
    return client.post(PAGE, {"email": email, "language": "bs"}, HTTP_ACCEPT_LANGUAGE="en")


def _sent() -> tuple[int, int]:
    return Invitation.objects.count(), OutgoingEmail.objects.count()


@pytest.mark.django_db
def test_an_admin_over_the_hourly_limit_gets_429_with_the_message_on_the_page():
    client, _admin = _admin_client(factories.OrganizationFactory())
    for n in range(3):
        assert _invite(client, f"org{n}@example.org").status_code == 302

    response = _invite(client, "org3@example.org")

    assert response.status_code == 429
    assert PER_PERSON in response.content.decode()
    assert "<h1" in response.content.decode()
    assert _sent() == (3, 3)


@pytest.mark.django_db
def test_two_admins_of_one_organization_share_its_hourly_limit():
    organization = factories.OrganizationFactory()
    first, _ = _admin_client(organization)
    second, _ = _admin_client(organization)
    for n in range(3):
        assert _invite(first, f"a{n}@example.org").status_code == 302
    for n in range(2):
        assert _invite(second, f"b{n}@example.org").status_code == 302

    response = _invite(second, "b2@example.org")

    assert response.status_code == 429
    assert PER_ORGANIZATION in response.content.decode()
    assert _sent() == (5, 5)


@pytest.mark.django_db
def test_open_invitations_of_an_organization_are_capped(settings):
    settings.ONBOARDING_INVITATIONS_PER_HOUR = 100
    settings.ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR = 100
    settings.ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION = 2
    client, _admin = _admin_client(factories.OrganizationFactory())
    _invite(client, "a@example.org")
    _invite(client, "b@example.org")

    response = _invite(client, "c@example.org")

    assert response.status_code == 429
    assert TOO_MANY_OPEN in response.content.decode()
    assert _sent() == (2, 2)
    # an answered (registration started), revoked or expired invitation is no longer open
    Invitation.objects.filter(email="a@example.org").update(started_at=timezone.now())
    assert _invite(client, "c@example.org").status_code == 302
    Invitation.objects.filter(email="b@example.org").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _invite(client, "d@example.org").status_code == 302


@pytest.mark.django_db
def test_resending_an_expired_invitation_counts_against_the_open_cap(settings):
    settings.ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION = 1
    client, admin = _admin_client(factories.OrganizationFactory())
    _invite(client, "a@example.org")
    expired = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _invite(client, "b@example.org")

    response = client.post(f"{PAGE}{expired.pk}/resend/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert TOO_MANY_OPEN in response.content.decode()
    expired.refresh_from_db()
    assert expired.times_sent == 1
    assert _sent() == (2, 2)


@pytest.mark.django_db
def test_a_resend_over_the_hourly_limit_gets_429_with_the_message_and_sends_nothing():
    client, _admin = _admin_client(factories.OrganizationFactory())
    for n in range(3):
        _invite(client, f"org{n}@example.org")
    invitation = Invitation.objects.first()

    response = client.post(f"{PAGE}{invitation.pk}/resend/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert PER_PERSON in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.times_sent == 1
    assert OutgoingEmail.objects.count() == 3


@pytest.mark.django_db
def test_an_invitation_of_an_organization_no_longer_approved_is_not_resent():
    # given an admin of two approved organizations who invited on behalf of the first
    organization = factories.OrganizationFactory()
    client, admin = _admin_client(organization)
    factories.MembershipFactory(user=admin, role="admin")  # a second approved organization
    invitations.invite_organization(
        email="a@example.org", by=admin, inviting_organization=organization
    )
    invitation = Invitation.objects.get()
    # when the first is archived, the invitation cannot be sent again in its name
    Organization.objects.filter(pk=organization.pk).update(status="archived")

    response = client.post(f"{PAGE}{invitation.pk}/resend/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.times_sent == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_the_service_refuses_to_invite_on_behalf_of_an_organization_not_approved():
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    admin = factories.MembershipFactory(organization=organization, role="admin").user

    with pytest.raises(invitations.InvitationRefused) as refused:
        invitations.invite_organization(
            email="a@example.org", by=admin, inviting_organization=organization
        )

    assert refused.value.code == "not_approved"
    assert str(refused.value.messages[0]) == NOT_APPROVED
    assert _sent() == (0, 0)


SEND_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
import mail.services
mail.services.enqueue_email = lambda pk: False  # rows only: the broker stays out of it
from accounts.models import User
from onboarding import invitations
from organizations.models import Organization
organization = Organization.objects.get(pk=int(sys.argv[1]))
admin = User.objects.get(pk=int(sys.argv[2]))
for n in range(int(sys.argv[3])):
    invitations.invite_organization(
        email=f"p{n}@example.org", by=admin, inviting_organization=organization
    )
print("sent")
"""


@pytest.mark.django_db(transaction=True)
def test_invitations_sent_by_another_process_count_against_the_organizations_limit():
    # given one admin who sent the organization's hourly number through another web process
    organization = factories.OrganizationFactory()
    _first, first_admin = _admin_client(organization)
    second, _ = _admin_client(organization)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings",
        "DATABASE_URL": database_url(),
        "ONBOARDING_INVITATIONS_PER_HOUR": "100",
        "ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR": "5",
    }
    result = subprocess.run(
        [sys.executable, "-c", SEND_IN_ANOTHER_PROCESS, str(organization.pk), str(first_admin.pk)]
        + ["5"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "sent", result.stderr

    # when the other admin invites through this process, the organization's limit holds
    response = _invite(second, "one-more@example.org")

    assert response.status_code == 429
    assert PER_ORGANIZATION in response.content.decode()
    assert not Invitation.objects.filter(email="one-more@example.org").exists()
