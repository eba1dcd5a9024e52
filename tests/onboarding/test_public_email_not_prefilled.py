"""The organization's public e-mail is never pre-filled with the invited person's address: an
address staff used to reach a person does not become public unless the person types it."""

import re

import pytest

from mail.models import OutgoingEmail
from onboarding import invitations
from tests import factories
from tests.onboarding.conftest import step_url

pytestmark = pytest.mark.django_db


def test_the_invited_address_is_not_pre_filled_as_the_public_address(client):
    invitations.invite_organization(
        by=factories.StaffUserFactory(),
        email="amra.privatno@zenit.example",
        organization_name="KUD Zenit Göteborg",
        country="SE",
        message="",
    )
    body = OutgoingEmail.objects.get(to="amra.privatno@zenit.example").body_text
    token = re.search(r"/onboarding/invite/([^/\s]+)/", body).group(1)
    client.get(f"/onboarding/invite/{token}/")
    client.force_login(factories.UserFactory(email="amra.privatno@zenit.example"))
    client.get("/onboarding/")

    page = client.get(step_url("basics"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    public_email = re.search(r"<input[^>]*name=\"public_email\"[^>]*>", page).group(0)
    assert "value=" not in public_email
    assert "amra.privatno@zenit.example" not in page
    # what is not private is still pre-filled, and the field says what it is for
    assert 'value="KUD Zenit Göteborg"' in page
    assert "Shown on the public profile" in page
