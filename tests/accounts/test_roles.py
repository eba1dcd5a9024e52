"""The staff rule offered to views outside the staff paths: decorator, mixin, REST permission."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, StaffUserFactory, activate_totp

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.roles_urls")]

PAGES = ["/elsewhere/decorated/", "/elsewhere/mixin/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_lets_in_a_staff_session_with_a_second_factor(staff_client, path):
    response = staff_client.get(path)

    assert response.status_code == 200
    assert response.content == b"inside"


@pytest.mark.parametrize("path", PAGES)
def test_page_sends_a_visitor_to_log_in(client, path):
    response = client.get(path)

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("path", PAGES)
def test_page_refuses_an_organization_user(client, user, path):
    client.force_login(user)

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_page_sends_a_password_only_staff_session_to_confirm_the_second_factor(client, path):
    staff = StaffUserFactory()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    activate_totp(staff)

    response = client.get(path)

    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_api_lets_in_a_staff_session_with_a_second_factor(staff_client):
    response = staff_client.get("/elsewhere/api/")

    assert response.status_code == 200
    assert response.json() == {"inside": True}


def test_api_refuses_a_password_only_staff_session(client):
    staff = StaffUserFactory()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    activate_totp(staff)

    assert client.get("/elsewhere/api/").status_code == 403


def test_api_refuses_visitors_and_organization_users(client, user):
    assert client.get("/elsewhere/api/").status_code == 403
    client.force_login(user)
    assert client.get("/elsewhere/api/").status_code == 403
