"""Changing what guards an account: strong passwords, a fresh password first, and an e-mail
about every change."""

import pytest
from django.urls import reverse

from mail.models import OutgoingEmail
from tests.factories import PASSWORD, totp_code

NEW_PASSWORD = "another-long-passphrase-77"


def _log_in(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _age_authentication(client, seconds):
    """Move this session's login into the past, beyond the re-authentication window."""
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


@pytest.mark.django_db
def test_signup_refuses_a_password_shorter_than_twelve_characters(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "kratko@example.org", "password1": "Kp9#vB2!xQ4", "password2": "Kp9#vB2!xQ4"},
    )

    assert response.status_code == 422
    assert "najmanje 12 znakova" in response.content.decode()


@pytest.mark.django_db
def test_changing_the_password_needs_the_current_password(client, user):
    _log_in(client, user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-the-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 422
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_adding_an_email_address_asks_for_the_password_again(client, user):
    _log_in(client, user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not user.emailaddress_set.filter(email="second@example.org").exists()


@pytest.mark.django_db
def test_password_change_is_announced_by_email(client, user, django_capture_on_commit_callbacks):
    _log_in(client, user)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    email = OutgoingEmail.objects.get(template="account/email/password_changed")
    assert email.to == user.email
    assert email.language == "bs"


@pytest.mark.django_db
def test_turning_on_two_factor_is_announced_by_email(
    client, user, django_capture_on_commit_callbacks
):
    _log_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert OutgoingEmail.objects.filter(template="mfa/email/totp_activated", to=user.email).exists()


@pytest.mark.django_db
def test_changing_the_email_address_works_after_entering_the_password_again(client, user):
    _log_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )

    assert response.status_code == 302
    assert user.emailaddress_set.filter(email="second@example.org").exists()


@pytest.mark.django_db
def test_the_password_entered_again_counts_only_for_a_few_minutes(client, user):
    _log_in(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    _age_authentication(client, 301)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )

    assert response["Location"].startswith(reverse("account_reauthenticate"))
