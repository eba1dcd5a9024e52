import time

import pytest
from django.urls import reverse

from accounts.sessions import LOGIN_AT_KEY, SEEN_AT_KEY


def _shift_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


@pytest.mark.django_db
def test_staff_session_ends_after_the_idle_timeout(staff_client, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 30 * 60
    _shift_session(staff_client, **{SEEN_AT_KEY: 31 * 60})

    response = staff_client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in staff_client.session


@pytest.mark.django_db
def test_staff_session_survives_a_shorter_pause(staff_client, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 30 * 60
    _shift_session(staff_client, **{SEEN_AT_KEY: 29 * 60})

    assert staff_client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_activity_keeps_the_staff_session_alive(staff_client, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 30 * 60
    _shift_session(staff_client, **{SEEN_AT_KEY: 20 * 60})
    staff_client.get("/")
    _shift_session(staff_client, **{LOGIN_AT_KEY: 40 * 60})

    # 20 minutes later again: 40 minutes since login, but only 20 since the last request
    session = staff_client.session
    session[SEEN_AT_KEY] -= 20 * 60
    session.save()

    assert staff_client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_staff_session_ends_at_the_absolute_limit_even_when_active(staff_client, settings):
    settings.STAFF_SESSION_MAX_AGE = 12 * 3600
    _shift_session(staff_client, **{LOGIN_AT_KEY: 12 * 3600 + 60, SEEN_AT_KEY: 10})

    response = staff_client.get("/")

    assert "_auth_user_id" not in staff_client.session
    assert "Vaša sesija osoblja je završena" in response.content.decode()


@pytest.mark.django_db
def test_other_users_sessions_have_no_staff_idle_timeout(client, user):
    client.force_login(user)
    _shift_session(client, **{SEEN_AT_KEY: 5 * 3600, LOGIN_AT_KEY: 13 * 3600})

    assert client.get(reverse("account_overview")).status_code == 200


def test_staff_session_limits_come_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STAFF_SESSION_IDLE_TIMEOUT, settings.STAFF_SESSION_MAX_AGE)"
    )
    env = {**os.environ, "STAFF_SESSION_IDLE_MINUTES": "15", "STAFF_SESSION_MAX_HOURS": "8"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["900", "28800"]


@pytest.mark.django_db
def test_login_switches_the_interface_to_the_saved_language(client, user):
    user.language = "en"
    user.save()
    client.cookies["django_language"] = "bs"

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct-horse-battery-staple-42"},
    )

    assert response.cookies["django_language"].value == "en"
    page = client.get(reverse("account_overview"))
    assert page["Content-Language"] == "en"
    assert "My account" in page.content.decode()
