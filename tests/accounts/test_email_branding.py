"""allauth's e-mails name the portal in the recipient's language and link to SITE_URL, never
to the host a request carried (tests run with SITE_URL=http://testserver)."""

import pytest
from django.urls import reverse

from mail.models import OutgoingEmail
from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name", "greeting"),
    [
        ("bs", "Portal dijaspore", "Portal dijaspore vas pozdravlja!"),
        ("en", "Diaspora Portal", "Hello from Diaspora Portal!"),
    ],
)
def test_password_reset_email_names_the_portal_not_the_host(client, language, name, greeting):
    user = UserFactory(language=language)

    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="127.0.0.1")

    email = OutgoingEmail.objects.get(to=user.email)
    assert email.subject.startswith(f"[{name}] ")
    assert greeting in email.body_text
    assert "127.0.0.1" not in email.body_text
    assert "http://testserver/accounts/password/reset/key/" in email.body_text


@pytest.mark.django_db
def test_signup_confirmation_names_the_portals_own_domain(client, settings):
    settings.SITE_URL = "https://portal.example"

    client.post(
        reverse("account_signup"),
        {"email": "nova@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    email = OutgoingEmail.objects.get(to="nova@example.org")
    assert email.subject.startswith("[Diaspora Portal] ")
    assert "account on portal.example" in email.body_text
    assert "https://portal.example/accounts/confirm-email/" in email.body_text
    assert "127.0.0.1" not in email.body_text
