import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, activate_totp, totp_code


@pytest.mark.django_db
def test_user_sets_up_totp_with_a_code_from_an_authenticator_app(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    # setting up a second factor asks for the password again first
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in response.content.decode()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.mark.django_db
def test_wrong_totp_code_is_refused_next_to_the_field(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 422
    assert not Authenticator.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_login_with_totp_asks_for_the_code(client, user):
    secret = activate_totp(user)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_staff_logs_in_with_totp_and_reaches_the_staff_area(client, staff_user):
    secret = activate_totp(staff_user)
    client.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_user_sees_and_ends_other_sessions(client, user):
    from django.test import Client

    other_device = Client()
    other_device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    response = client.get(reverse("usersessions_list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr") >= 3  # header + two sessions

    client.post(reverse("usersessions_list"), {"action": "logout"})

    assert other_device.get(reverse("account_overview")).status_code == 302
    assert client.get(reverse("account_overview")).status_code == 200
