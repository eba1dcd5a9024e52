"""Invitations to join: unguessable single-use links, states, resend, revoke, rate limit."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.tokens import token_hash
from mail.models import OutgoingEmail
from onboarding import invitations
from onboarding.models import Invitation, Registration
from organizations.models import Organization
from tests import factories
from tests.onboarding.conftest import step_url

pytestmark = pytest.mark.django_db


def _invite(by=None, **fields):
    by = by or factories.StaffUserFactory()
    fields = {
        "email": "info@zenit.example",
        "organization_name": "KUD Zenit Göteborg",
        "country": "SE",
        "message": "Dobro došli u mrežu!",
        **fields,
    }
    invitation = invitations.invite_organization(by=by, **fields)
    email = OutgoingEmail.objects.filter(to=fields["email"]).latest("pk")
    token = re.search(r"/onboarding/invite/([^/\s]+)/", email.body_text).group(1)
    return invitation, token


def test_invitation_email_carries_the_message_and_a_link_whose_token_is_stored_only_hashed():
    invitation, token = _invite()
    email = OutgoingEmail.objects.get(to="info@zenit.example")
    assert "Dobro došli u mrežu!" in email.body_text
    assert len(token) >= 40
    assert token not in invitation.token_hash
    assert invitation.token_hash == token_hash(token)
    assert invitation.state == "sent"


def test_link_prefills_the_registration_and_the_states_follow_the_journey(client):
    invitation, token = _invite()

    response = client.get(f"/onboarding/invite/{token}/")
    assert response.status_code == 200
    assert "email=info%40zenit.example" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "opened"

    user = factories.UserFactory(email="info@zenit.example")
    client.force_login(user)
    response = client.get("/onboarding/")
    assert response["Location"] == step_url("basics")
    invitation.refresh_from_db()
    assert invitation.state == "started"
    response = client.get(step_url("basics"))
    content = response.content.decode()
    assert 'value="KUD Zenit Göteborg"' in content
    assert '<option value="SE" selected>' in content

    Registration.objects.filter(user=user).update(submitted_at=timezone.now())
    from onboarding.services import mark_completed

    mark_completed(registration=Registration.objects.get(user=user))
    invitation.refresh_from_db()
    assert invitation.state == "completed"


def test_signed_in_user_following_the_link_starts_at_once(client, user):
    invitation, token = _invite()
    client.force_login(user)
    response = client.get(f"/onboarding/invite/{token}/")
    assert response["Location"] == step_url("basics")
    assert Registration.objects.get(user=user).invitation == invitation


def test_a_used_link_is_refused_to_another_user_with_a_clear_page(client, user):
    _invitation, token = _invite()
    client.force_login(user)
    client.get(f"/onboarding/invite/{token}/")

    other = Client()
    other.force_login(factories.UserFactory())
    response = other.get(f"/onboarding/invite/{token}/")
    assert response.status_code == 410
    assert "već iskorišten" in response.content.decode()
    anonymous = Client().get(f"/onboarding/invite/{token}/")
    assert anonymous.status_code == 410


def test_an_expired_link_gets_a_clear_page(client, settings):
    invitation, token = _invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(f"/onboarding/invite/{token}/")
    assert response.status_code == 410
    assert "istekla" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "expired"


def test_invitation_expires_after_the_configured_days(settings):
    settings.ONBOARDING_INVITATION_DAYS = 3
    invitation, _token = _invite()
    assert invitation.expires_at - invitation.sent_at == timedelta(days=3)


def test_an_unknown_token_is_a_404_page(client):
    response = client.get("/onboarding/invite/not-a-real-token/")
    assert response.status_code == 404


def test_a_revoked_link_no_longer_works(client):
    invitation, token = _invite()
    invitations.revoke_invitation(invitation=invitation, by=invitation.invited_by)
    response = client.get(f"/onboarding/invite/{token}/")
    assert response.status_code == 410
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_resending_replaces_the_link_and_extends_the_expiry(client):
    invitation, old_token = _invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()
    invitations.resend_invitation(invitation=invitation, by=invitation.invited_by)
    email = OutgoingEmail.objects.filter(to=invitation.email).latest("pk")
    new_token = re.search(r"/onboarding/invite/([^/\s]+)/", email.body_text).group(1)

    assert client.get(f"/onboarding/invite/{old_token}/").status_code == 404
    assert client.get(f"/onboarding/invite/{new_token}/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.times_sent == 2
    assert invitation.state == "opened"


def test_inviter_is_rate_limited(settings):
    settings.ONBOARDING_INVITATIONS_PER_HOUR = 2
    staff = factories.StaffUserFactory()
    _invite(by=staff, email="a@example.org")
    _invite(by=staff, email="b@example.org")
    with pytest.raises(invitations.RateLimited):
        invitations.invite_organization(by=staff, email="a@example.org")
    assert Invitation.objects.count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_staff_invite_from_the_staff_onboarding_page(staff_client):
    response = staff_client.post(
        "/staff/onboarding/",
        {"email": "info@sevdah.example", "organization_name": "Sevdah Beč", "language": "en"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.language == "en"
    assert invitation.inviting_organization is None
    email = OutgoingEmail.objects.get()
    assert email.language == "en"
    response = staff_client.get("/staff/onboarding/")
    assert "info@sevdah.example" in response.content.decode()


def test_staff_page_shows_field_errors_with_422(staff_client):
    response = staff_client.post("/staff/onboarding/", {"email": "nope", "language": "bs"})
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()


def test_staff_page_answers_429_when_the_rate_limit_is_reached(staff_client, settings):
    settings.ONBOARDING_INVITATIONS_PER_HOUR = 0
    response = staff_client.post("/staff/onboarding/", {"email": "a@b.example", "language": "bs"})
    assert response.status_code == 429
    assert not Invitation.objects.exists()


def test_staff_resend_and_revoke(staff_client, staff_user_with_mfa):
    invitation, _token = _invite(by=staff_user_with_mfa)
    staff_client.post(f"/staff/onboarding/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.times_sent == 2
    staff_client.post(f"/staff/onboarding/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


@pytest.mark.parametrize("role", ["anonymous", "user"])
def test_staff_onboarding_page_is_refused_to_others(client, role):
    if role == "user":
        client.force_login(factories.UserFactory())
    response = client.get("/staff/onboarding/")
    assert response.status_code in (302, 403)
    if role == "user":
        assert response.status_code == 403


def test_admin_of_an_approved_organization_invites_on_its_behalf(client):
    membership = factories.MembershipFactory(role="admin")
    client.force_login(membership.user)
    response = client.post(
        "/onboarding/invitations/", {"email": "info@novi.example", "language": "bs"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.inviting_organization == membership.organization
    assert membership.organization.name in OutgoingEmail.objects.get().subject


@pytest.mark.parametrize("role", ["member", "admin of a pending organization", "user"])
def test_others_may_not_invite(client, role):
    user = factories.UserFactory()
    if role == "member":
        factories.MembershipFactory(user=user, role="member")
    elif role != "user":
        factories.MembershipFactory(
            user=user, role="admin", organization__status="pending", organization__approved_at=None
        )
    client.force_login(user)
    response = client.post("/onboarding/invitations/", {"email": "x@y.example", "language": "bs"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_cannot_revoke_someone_elses_invitation(client):
    invitation, _token = _invite()
    membership = factories.MembershipFactory(role="admin")
    client.force_login(membership.user)
    response = client.post(f"/onboarding/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_submitting_a_registration_from_an_invitation_completes_it(client, complete_steps):
    invitation, token = _invite()
    user = factories.UserFactory()
    client.force_login(user)
    client.get(f"/onboarding/invite/{token}/")
    complete_steps()
    client.post(step_url("review"), {"go": "next"})
    invitation.refresh_from_db()
    assert invitation.state == "completed"
    assert Organization.objects.filter(status="pending").count() == 1
    response = client.get(f"/onboarding/invite/{token}/")
    assert response["Location"] == "/onboarding/submitted/"
