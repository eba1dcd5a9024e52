"""Staff access is denied by default: every URL under /staff/ and /admin/, found by walking the
URL resolver, so views added later are covered without anyone listing them here."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.factories import PASSWORD, StaffUserFactory, UserFactory, activate_totp, log_in_with_totp
from tests.support.urls import routes

STAFF_PREFIXES = ("/staff/", "/admin/")


def staff_paths() -> list[str]:
    paths = sorted({r.path() for r in routes() if r.path().startswith(STAFF_PREFIXES)})
    for path in paths:
        resolve(path)  # a sample the resolver does not know would test nothing: fail loudly
    return paths


def test_the_walk_finds_the_staff_area_and_the_whole_admin():
    paths = staff_paths()

    assert "/staff/" in paths
    assert "/admin/" in paths
    assert "/admin/login/" in paths
    assert "/admin/accounts/user/" in paths
    assert "/admin/accounts/user/1/change/" in paths
    # regex routes too: the admin's app index and its catch-all
    assert any(resolve(path).url_name == "app_list" for path in paths)
    assert any(resolve(path).func.__name__ == "catch_all_view" for path in paths)
    assert len(paths) > 40


def _anonymous():
    return Client()


def _verified_user():
    client = Client()
    client.post(reverse("account_login"), {"login": UserFactory().email, "password": PASSWORD})
    return client


def _staff_without_second_factor():
    client = Client()
    client.post(reverse("account_login"), {"login": StaffUserFactory().email, "password": PASSWORD})
    return client


def _staff_with_password_only_session(**extra):
    # The session logs in with the password; the authenticator is added elsewhere afterwards.
    user = StaffUserFactory(**extra)
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    activate_totp(user)
    return client


def _superuser_with_password_only_session():
    return _staff_with_password_only_session(is_superuser=True, is_staff=True)


REFUSED = {
    # persona: where the refusal sends it (None: 403)
    _anonymous: "/accounts/login/",
    _verified_user: None,
    _staff_without_second_factor: "/accounts/2fa/totp/activate",
    _staff_with_password_only_session: "/accounts/2fa/reauthenticate/",
    _superuser_with_password_only_session: "/accounts/2fa/reauthenticate/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", REFUSED, ids=lambda persona: persona.__name__.lstrip("_"))
def test_no_staff_url_lets_in_anyone_but_a_staff_session_with_a_second_factor(persona):
    client = persona()
    assert "_auth_user_id" in client.session or persona is _anonymous
    expected = REFUSED[persona]

    for path in staff_paths():
        for method in (client.get, client.post):
            response = method(path)

            assert response.status_code != 200, (method.__name__, path)
            if expected is None:
                assert response.status_code == 403, (method.__name__, path)
            else:
                assert response.status_code == 302, (method.__name__, path)
                assert response["Location"].startswith(expected), (method.__name__, path)


@pytest.mark.django_db
def test_superuser_whose_session_passed_the_second_factor_gets_into_every_staff_url(client, caplog):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    log_in_with_totp(client, superuser, activate_totp(superuser))

    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200
    for path in staff_paths():
        caplog.clear()
        response = client.get(path)
        # The views answer for themselves (a missing object, a bad parameter), never the gate.
        assert not any("staff area refused" in r.getMessage() for r in caplog.records), path
        if response.status_code == 302:
            assert not response["Location"].startswith(("/accounts/", "/admin/login/")), path


@pytest.mark.django_db
def test_staff_with_a_password_only_session_confirms_the_second_factor_and_gets_in():
    user = StaffUserFactory()
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    secret = activate_totp(user)

    response = client.get("/staff/")
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fstaff%2F"

    from tests.factories import totp_code

    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_ministry_staff_without_the_admin_flag_is_refused_by_the_admin(staff_client):
    assert staff_client.get("/staff/").status_code == 200

    response = staff_client.get("/admin/", follow=True)

    assert response.status_code == 403


@pytest.mark.django_db
def test_password_alone_at_the_admin_login_logs_nobody_in(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(superuser)

    response = client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})

    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_admin_login_view_itself_sends_visitors_to_the_portal_login(rf):
    # Behind the middleware too: the view routed at /admin/login/ is allauth's door.
    from allauth.core.context import request_context
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/admin/login/", {"next": "/admin/"})
    request.user = AnonymousUser()

    with request_context(request):
        response = resolve("/admin/login/").func(request)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
