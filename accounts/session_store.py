"""The database session store: its row, allauth's record of it and its user in one query.

Every signed-in request reads its session row, asks who the user is and whether allauth's
record of the session (``usersessions``, one row per session key: the sessions list's address,
browser and "last seen") is current. Through the ORM that was three queries and a read from the
shared cache, and building the session's query cost about four times the CPU of running it.
Here one plain query reads the session's row (same table, same conditions: the key and an
expiry in the future) with its record and the user the record names, with the user's staff
flag and second factor (``accounts.backends.user_selection``). The store keeps them as
``record_read_with_it`` and ``user_read_with_it``: the authentication backend takes that user
only if it is the one the session names (``accounts.backends.read_with_session``), the
sessions middleware writes the record only if it is not current (``accounts.middleware``).
Writing, rotating and deleting sessions are Django's own (``SESSION_ENGINE``).
"""

import functools
from datetime import datetime
from typing import NamedTuple

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .backends import user_from_row, user_selection


class SessionRecord(NamedTuple):
    """allauth's record of a session, as read with it."""

    user_id: int
    ip: str
    user_agent: str
    last_seen_at: datetime


class SessionStore(db.SessionStore):
    record_read_with_it: SessionRecord | None = None
    user_read_with_it = None

    def _get_session_from_db(self):
        self.record_read_with_it = self.user_read_with_it = None
        if self.session_key is None:
            return None
        model = self.model
        database = router.db_for_read(model)
        sql, params = _session_sql(model, database)
        with connections[database].cursor() as cursor:
            cursor.execute(sql, [*params, self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        fields = 2 + len(SessionRecord._fields)
        if row[2] is not None:
            self.record_read_with_it = SessionRecord(*row[2:fields])
        self.user_read_with_it = user_from_row(database, row[fields:])
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


@functools.cache
def _session_sql(model, database: str) -> tuple[str, tuple]:
    """The session's query (the same text every time) and the values its select list binds."""
    quote = connections[database].ops.quote_name
    sessions = quote(model._meta.db_table)
    records = quote(UserSession._meta.db_table)
    users = quote(get_user_model()._meta.db_table)
    record_user = quote(UserSession._meta.get_field("user").column)
    selection, params = user_selection(database)
    key, expiry = quote("session_key"), quote("expire_date")
    record = ", ".join(
        f"{records}.{quote(UserSession._meta.get_field(name).column)}"
        for name in SessionRecord._fields
    )
    # Only quoted table and column names from the models go into the text; values are bound.
    sql = (
        f"SELECT {sessions}.{quote('session_data')}, {sessions}.{expiry}, {record},"  # noqa: S608
        f" {selection}"
        f" FROM {sessions} LEFT JOIN {records} ON {records}.{key} = {sessions}.{key}"
        f" LEFT JOIN {users} ON {users}.{quote('id')} = {records}.{record_user}"
        f" WHERE {sessions}.{key} = %s AND {sessions}.{expiry} > %s"
    )
    return sql, params
