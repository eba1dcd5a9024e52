import logging

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, activate_totp, totp_code

SECURITY = "diaspora_portal.security"


def _security_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == SECURITY]


def _assert_no_secrets(caplog, *secrets):
    for record in caplog.records:
        text = record.getMessage()
        for secret in secrets:
            assert secret.lower() not in text.lower(), text


@pytest.mark.django_db
def test_failed_login_is_logged_without_the_address_or_password(client, user, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)

    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-guess-123"})

    assert f"login failed: user={user.pk} ip=127.0.0.1" in _security_lines(caplog)
    _assert_no_secrets(caplog, user.email, "wrong-guess-123")


@pytest.mark.django_db
def test_failed_login_for_an_unknown_address_is_logged_without_it(client, caplog):
    caplog.set_level(logging.INFO, logger=SECURITY)

    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "x" * 12})

    assert "login failed: user=unknown ip=127.0.0.1" in _security_lines(caplog)
    _assert_no_secrets(caplog, "nobody@example.org")


@pytest.mark.django_db
def test_wrong_second_factor_code_is_logged(client, user, caplog):
    activate_totp(user)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    caplog.set_level(logging.INFO, logger=SECURITY)

    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert any(
        line.startswith(f"second factor failed: user={user.pk} type=totp")
        for line in _security_lines(caplog)
    )
    _assert_no_secrets(caplog, user.email, "000000")


@pytest.mark.django_db
def test_adding_and_removing_a_second_factor_is_logged(
    client, user, caplog, django_capture_on_commit_callbacks
):
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    caplog.set_level(logging.INFO, logger=SECURITY)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    client.post(reverse("mfa_deactivate_totp"))

    lines = _security_lines(caplog)
    assert f"second factor added: user={user.pk} type=totp" in lines
    assert f"second factor removed: user={user.pk} type=totp" in lines
    _assert_no_secrets(caplog, user.email, secret)


@pytest.mark.django_db
def test_staff_access_to_the_admin_is_logged(client, caplog):
    from tests.factories import UserFactory, log_in_with_totp

    superuser = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_totp(client, superuser, activate_totp(superuser))
    caplog.set_level(logging.INFO, logger=SECURITY)

    client.get("/admin/accounts/user/")

    assert (
        f"admin access: user={superuser.pk} method=GET path=/admin/accounts/user/"
        in _security_lines(caplog)
    )
    _assert_no_secrets(caplog, superuser.email)


@pytest.mark.django_db
def test_refused_staff_access_is_logged(client, user, caplog):
    client.force_login(user)
    caplog.set_level(logging.INFO, logger=SECURITY)

    client.get("/admin/")

    assert (
        f"staff area refused: reason=not_staff user={user.pk} method=GET path=/admin/"
        in _security_lines(caplog)
    )
