"""Colleague invitations stay bounded: approved organizations only, hourly limits per person and
per organization shared by every process, and a cap on open invitations."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from organizations import services
from organizations.models import MemberInvitation
from tests import factories
from tests.support.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PER_PERSON = "You have sent many invitations in the last hour. Try again later."
PER_ORGANIZATION = "Your organization has sent many invitations in the last hour. Try again later."
TOO_MANY_OPEN = "Your organization has many invitations that are not answered yet."
NOT_APPROVED = "Your organization can invite colleagues once the ministry has approved it."


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR = 3
    settings.ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR = 5
    settings.ORGANIZATION_OPEN_INVITATIONS = 20


def _admin_client(organization) -> tuple[Client, object]:
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    client = Client()
    client.force_login(admin)
    return client, admin


def _invite(client, organization, email):
    return client.post(
        reverse("organizations:manage_invite", kwargs={"slug": organization.slug}),
        {"email": email, "role": "member"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _sent() -> tuple[int, int]:
    return MemberInvitation.objects.count(), OutgoingEmail.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "rejected", "archived", "draft"])
def test_only_an_approved_organization_may_invite_colleagues(status):
    organization = factories.OrganizationFactory(status=status, approved_at=None)
    client, _admin = _admin_client(organization)

    response = _invite(client, organization, "kolega@example.org")

    assert response.status_code == 403
    assert NOT_APPROVED in response.content.decode()
    assert _sent() == (0, 0)
    # the members page says so instead of offering the form
    page = client.get(
        reverse("organizations:manage_members", kwargs={"slug": organization.slug}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert NOT_APPROVED in page
    assert "Send the invitation" not in page


@pytest.mark.django_db
def test_an_admin_over_the_hourly_limit_gets_429_with_the_message_on_the_page_and_nothing_is_sent():
    organization = factories.OrganizationFactory()
    client, _admin = _admin_client(organization)
    for n in range(3):
        assert _invite(client, organization, f"kolega{n}@example.org").status_code == 302

    response = _invite(client, organization, "kolega3@example.org")

    assert response.status_code == 429
    content = response.content.decode()
    assert PER_PERSON in content
    assert "<h1" in content  # the members page with the form, not a bare error
    assert _sent() == (3, 3)


@pytest.mark.django_db
def test_the_limit_message_is_translated():
    organization = factories.OrganizationFactory()
    client, _admin = _admin_client(organization)
    for n in range(3):
        _invite(client, organization, f"kolega{n}@example.org")

    response = client.post(
        reverse("organizations:manage_invite", kwargs={"slug": organization.slug}),
        {"email": "kolega3@example.org", "role": "member"},
        HTTP_ACCEPT_LANGUAGE="bs",
    )

    assert response.status_code == 429
    assert PER_PERSON not in response.content.decode()
    assert "posljednjih sat vremena" in response.content.decode()


@pytest.mark.django_db
def test_two_admins_of_one_organization_share_its_hourly_limit():
    organization = factories.OrganizationFactory()
    first, _ = _admin_client(organization)
    second, _ = _admin_client(organization)
    for n in range(3):
        assert _invite(first, organization, f"a{n}@example.org").status_code == 302
    for n in range(2):
        assert _invite(second, organization, f"b{n}@example.org").status_code == 302

    response = _invite(second, organization, "b2@example.org")

    assert response.status_code == 429
    assert PER_ORGANIZATION in response.content.decode()
    assert _sent() == (5, 5)
    # another organization's admin is not held by it
    other = factories.OrganizationFactory()
    third, _ = _admin_client(other)
    assert _invite(third, other, "c@example.org").status_code == 302


@pytest.mark.django_db
def test_open_invitations_of_an_organization_are_capped(settings):
    settings.ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR = 100
    settings.ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR = 100
    settings.ORGANIZATION_OPEN_INVITATIONS = 2
    organization = factories.OrganizationFactory()
    client, admin = _admin_client(organization)
    _invite(client, organization, "a@example.org")
    _invite(client, organization, "b@example.org")

    response = _invite(client, organization, "c@example.org")

    assert response.status_code == 429
    assert TOO_MANY_OPEN in response.content.decode()
    assert _sent() == (2, 2)
    # once one has expired (or been accepted) there is room again
    MemberInvitation.objects.filter(email="a@example.org").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _invite(client, organization, "c@example.org").status_code == 302


SEND_IN_ANOTHER_PROCESS = """
import sys
import django
django.setup()
import mail.services
mail.services.enqueue_email = lambda pk: False  # rows only: the broker stays out of it
from accounts.models import User
from organizations import services
from organizations.models import Organization
organization = Organization.objects.get(pk=int(sys.argv[1]))
admin = User.objects.get(pk=int(sys.argv[2]))
for n in range(int(sys.argv[3])):
    services.invite_member(
        organization=organization, email=f"p{n}@example.org", role="member", by=admin
    )
print("sent")
"""


@pytest.mark.django_db(transaction=True)
def test_invitations_sent_by_another_process_count_against_the_limit(settings):
    # given an admin who sent their hourly number of invitations through another web process
    organization = factories.OrganizationFactory()
    client, admin = _admin_client(organization)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diaspora_portal.settings",
        "DATABASE_URL": database_url(),
        "ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR": "3",
        "ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR": "5",
    }
    result = subprocess.run(
        [sys.executable, "-c", SEND_IN_ANOTHER_PROCESS, str(organization.pk), str(admin.pk), "3"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "sent", result.stderr

    # when they invite once more through this process, it is refused
    response = _invite(client, organization, "one-more@example.org")

    assert response.status_code == 429
    assert PER_PERSON in response.content.decode()
    assert not MemberInvitation.objects.filter(email="one-more@example.org").exists()


@pytest.mark.django_db
def test_the_service_refuses_a_pending_organization_whatever_the_caller():
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    admin = factories.MembershipFactory(organization=organization, role="admin").user

    with pytest.raises(services.InvitationRefused) as refused:
        services.invite_member(
            organization=organization, email="x@example.org", role="member", by=admin
        )

    assert refused.value.code == "not_approved"
    assert _sent() == (0, 0)
