"""Unpublished guides are for a staff session that passed the second factor, not the group."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from onboarding.models import Guide
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return Guide.objects.create(title="Nacrt vodiča", body="Još nije gotovo.", is_published=False)


@pytest.mark.parametrize(
    "kind", ["staff without authenticator", "staff password-only session", "superuser"]
)
def test_password_only_staff_session_cannot_read_an_unpublished_guide(draft, kind):
    if kind == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
        EmailAddress.objects.filter(user=user).delete()
    else:
        user = factories.StaffUserFactory()
        if kind == "staff password-only session":
            factories.activate_totp(user)
    client = Client()
    client.force_login(user)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_session_with_second_factor_reads_an_unpublished_guide(staff_client, draft):
    response = staff_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Nacrt vodiča" in response.content.decode()
