"""The sessions list's "last seen": kept to the minute without a database write per request."""

import pytest
from allauth.usersessions.models import UserSession

from accounts import middleware


@pytest.mark.django_db
def test_a_signed_in_request_within_the_minute_writes_nothing(
    client, user, django_assert_num_queries
):
    client.force_login(user)
    client.get("/ping")
    seen = UserSession.objects.get(user=user).last_seen_at

    # one: the session with its record and user (accounts.session_store); no write
    with django_assert_num_queries(1):
        client.get("/ping")

    assert UserSession.objects.get(user=user).last_seen_at == seen


@pytest.mark.django_db
def test_last_seen_is_renewed_once_the_minute_has_passed(client, user, monkeypatch):
    monkeypatch.setattr(middleware, "USER_SESSION_RESOLUTION", 0)  # the minute passes at once
    client.force_login(user)
    client.get("/ping")
    seen = UserSession.objects.get(user=user).last_seen_at

    client.get("/ping")

    assert UserSession.objects.get(user=user).last_seen_at > seen


@pytest.mark.django_db
def test_a_new_browser_on_the_same_session_is_recorded_at_once(client, user):
    client.force_login(user)
    client.get("/ping", HTTP_USER_AGENT="Firefox")

    client.get("/ping", HTTP_USER_AGENT="Chromium")

    assert UserSession.objects.get(user=user).user_agent == "Chromium"


@pytest.mark.django_db
def test_a_record_naming_another_user_neither_signs_in_as_them_nor_stays(client, user):
    from tests import factories

    other = factories.UserFactory(email="drugi@example.org")
    client.force_login(user)
    client.get("/ping")
    UserSession.objects.filter(user=user).update(user=other)

    response = client.get("/ping")

    assert response.wsgi_request.user == user  # the user the session names, read afresh
    assert UserSession.objects.get(session_key=client.session.session_key).user == user
