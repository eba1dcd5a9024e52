"""The session store reads its row in plain SQL: the same sessions as Django's own store."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_the_project_uses_this_store():
    assert settings.SESSION_ENGINE == "accounts.session_store"


def test_a_session_reads_back_what_was_saved_in_one_query():
    from django.db import connection

    saved = SessionStore()
    saved["language"] = "hr"
    saved.save()

    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(saved.session_key)
        assert loaded["language"] == "hr"
    assert len(queries) == 1
    assert loaded.session_key == saved.session_key
    assert DjangoSessionStore(saved.session_key)["language"] == "hr"


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    expired = SessionStore()
    expired["language"] = "en"
    expired.save()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    for key in (expired.session_key, "no-such-session-key-0123456789"):
        session = SessionStore(key)
        assert session.load() == {}
        assert session.session_key is None


def test_signing_in_and_out_still_works(client, user):
    client.force_login(user)
    assert client.get("/").wsgi_request.user == user
    client.logout()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_session_query_is_planned_once_per_connection():
    # DATABASE_PREPARED_STATEMENTS (on unless turned off): a query a connection runs more than
    # a few times is prepared, so PostgreSQL no longer plans it on every request.
    from django.db import connection

    saved = SessionStore()
    saved["language"] = "hr"
    saved.save()
    for _ in range(6):
        assert SessionStore(saved.session_key).load() == {"language": "hr"}

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "django_session" LEFT JOIN "usersessions_usersession"%'],
        )
        assert cursor.fetchone()[0] == 1
