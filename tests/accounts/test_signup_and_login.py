"""Accounts end to end: the e-mails travel through a real worker and a real SMTP server."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.slow


def _link(message, path_fragment):
    body = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S*{re.escape(path_fragment)}\S*", body)
    assert match, body
    return match.group(0).replace("http://testserver", "")


def test_signup_confirms_the_email_before_login(
    client, mailbox, celery_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "Selma@Example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    # the confirmation arrives by SMTP, in Bosnian, as text and HTML
    [message] = mailbox.wait_for(1)
    assert message["To"] == "selma@example.org"
    assert "Potvrdite" in message["Subject"] or "potvrd" in message["Subject"].lower()
    assert message.get_body(("html",)) is not None
    confirm_path = _link(message, "/accounts/confirm-email/")

    # without confirming, logging in does not let the user in
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "selma@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    # confirming logs the user in
    client.get(confirm_path)
    response = client.post(confirm_path)
    assert response.status_code == 302
    user = User.objects.get(email="selma@example.org")
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("account_overview")).status_code == 200


def test_password_reset_by_email(
    client, mailbox, celery_worker, django_capture_on_commit_callbacks
):
    user = UserFactory(email="hasan@example.org", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "hasan@example.org"})
    assert response.status_code == 302

    [message] = mailbox.wait_for(1)
    # the e-mail is in the recipient's language, whatever the page's language
    assert message["Content-Language"] == "en"
    assert "Password Reset" in message["Subject"]
    reset_path = _link(message, "/accounts/password/reset/key/")

    response = client.get(reset_path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    new_password = "a-brand-new-passphrase-2026"
    response = client.post(form_path, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "hasan@example.org", "password": new_password}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_login_with_wrong_password_shows_an_error(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    assert response.status_code == 422
    assert "error-summary" in response.content.decode()


@pytest.mark.django_db
def test_login_is_rate_limited_after_repeated_failures(client, user):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code in (422, 429)
    assert "_auth_user_id" not in client.session
