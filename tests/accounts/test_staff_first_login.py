"""A new staff member's first login: password, verified address, authenticator, staff area.

The e-mails travel through the outbox, a real worker and a real SMTP server.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import make_ministry_staff
from tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.slow


def _confirmation_path(message):
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S*(/accounts/confirm-email/\S+)", body)
    assert match, body
    return match.group(1)


def _set_up_totp_and_enter_the_staff_area(client, response):
    # the staff gate sends a member without a second factor to set one up
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302

    # setting up the authenticator proved the second factor in this session
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Dio za osoblje" in response.content.decode()


def test_superuser_from_createsuperuser_goes_from_password_to_the_staff_area(
    client, mailbox, celery_worker
):
    User.objects.create_superuser(email="direktorica@example.org", password=PASSWORD)

    response = client.post(
        reverse("account_login"), {"login": "direktorica@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302

    [message] = mailbox.wait_for(1)
    confirm_path = _confirmation_path(message)
    client.get(confirm_path)
    response = client.post(confirm_path)

    # confirming logs in and leads on to the staff area
    assert response["Location"] == reverse("account_continue")
    response = client.get(response["Location"])
    assert response["Location"] == "/staff/"
    _set_up_totp_and_enter_the_staff_area(client, client.get("/staff/"))


def test_staff_session_with_an_unverified_address_is_offered_the_verification_email(
    client, mailbox, celery_worker
):
    # a session opened before the address was verified (an older login door, an old session)
    staff = User.objects.create_user(email="osoblje@example.org", password=PASSWORD)
    make_ministry_staff(user=staff)
    client.force_login(staff)

    response = client.get("/staff/")
    assert response["Location"] == reverse("account_verify_email_first")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Pošalji e-mail za potvrdu" in page.content.decode()

    response = client.post(reverse("account_verify_email_first"))
    assert response.status_code == 302

    [message] = mailbox.wait_for(1)
    assert message["To"] == "osoblje@example.org"
    confirm_path = _confirmation_path(message)
    client.get(confirm_path)
    response = client.post(confirm_path)
    assert response["Location"] == reverse("account_continue")
    response = client.get(response["Location"])
    assert response["Location"] == "/staff/"
    _set_up_totp_and_enter_the_staff_area(client, client.get("/staff/"))
