"""Authentication backends that load a signed-in user, the staff group flag and whether the
user has a second factor, in one query (with the session's row, when the session store could).

Every signed-in request asks whether the user is ministry staff (the staff session clock in
``accounts.middleware``, the signpost in the navigation): the flag comes with the user's row
(an EXISTS on the group), where it used to cost a query of its own. What the flag grants is
unchanged: see ``accounts.roles``. So does whether a second factor is set up, which the staff
gate asks on every staff request (``accounts.roles.has_mfa``).
"""

import contextlib
import functools
from contextvars import ContextVar

from allauth.account import auth_backends
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connections, router

from core import rows

from .roles import (
    MINISTRY_STAFF_GROUP,
    SECOND_FACTORS,
    remember_ministry_staff,
    remember_second_factor,
)

# Sessions opened before these backends existed name the backends they replace; the
# authentication middleware moves them over (``accounts.middleware.AuthenticationMiddleware``).
REPLACED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "accounts.backends.AuthenticationBackend"
    ),
}


def user_with_staff_flag(user_id):
    """The user with this id, its staff group flag known; None when there is none.

    Plain SQL on purpose, its row made into a user by ``Model.from_db`` (as a queryset does):
    the same query through the ORM (an ``Exists`` annotation) costs three times the CPU to
    build, and a raw queryset twice, on every signed-in request.
    """
    user_model = get_user_model()
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    database = router.db_for_read(user_model)
    selection, params = user_selection(database)
    quote = connections[database].ops.quote_name
    users = quote(user_model._meta.db_table)
    # Only quoted table and column names from the models go into the text; values are bound.
    sql = f"SELECT {selection} FROM {users} WHERE {users}.{quote('id')} = %s"  # noqa: S608
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [*params, user_id])
        row = cursor.fetchone()
    return None if row is None else user_from_row(database, row)


@functools.cache
def user_selection(database: str) -> tuple[str, tuple]:
    """The select list of a user's row with its two flags, and the values it binds: the users
    table is named by its own name (a query joins it as it is)."""
    user_model = get_user_model()
    quote = connections[database].ops.quote_name
    table = user_model._meta.db_table
    users = quote(table)
    through = quote(user_model.groups.through._meta.db_table)
    groups = quote(Group._meta.db_table)
    authenticators = quote(Authenticator._meta.db_table)
    _fields, columns = rows.columns(user_model, table=table)
    # Only quoted table and column names from the models go into the text; values are bound.
    selection = (
        f"{columns}, EXISTS (SELECT 1 FROM {through} INNER JOIN {groups}"  # noqa: S608
        f" ON {groups}.{quote('id')} = {through}.{quote('group_id')}"
        f" WHERE {through}.{quote('user_id')} = {users}.{quote('id')}"
        f" AND {groups}.{quote('name')} = %s) AS in_ministry_staff_group,"
        f" EXISTS (SELECT 1 FROM {authenticators}"
        f" WHERE {authenticators}.{quote('user_id')} = {users}.{quote('id')}"
        f" AND {authenticators}.{quote('type')} IN (%s, %s)) AS has_second_factor"
    )
    return selection, (MINISTRY_STAFF_GROUP, *SECOND_FACTORS)


def user_from_row(database: str, row) -> AbstractBaseUser | None:
    """The user in ``row`` (the values of ``user_selection``, in order), its flags remembered;
    None when the row holds no user (an outer join that found none)."""
    user_model = get_user_model()
    fields = user_model._meta.concrete_fields
    if row[0] is None:
        return None
    user = rows.instance(user_model, database, fields, row[: len(fields)])
    in_ministry_staff_group, has_second_factor = row[len(fields) : len(fields) + 2]
    remember_ministry_staff(user, in_ministry_staff_group)
    remember_second_factor(user, has_second_factor)
    return user


# --- The user read together with the session's row -------------------------------------------
#
# The session store reads the signed-in user with the session's row, in the same query
# (``accounts.session_store``), and the authentication middleware hands it to the backend for
# the time it asks for the request's user (``read_with_session``): one query fewer on every
# signed-in request. The backend takes it only if it is the user the session names; anything
# else is read as before.

_read_with_session: ContextVar = ContextVar("user_read_with_session", default=None)


@contextlib.contextmanager
def read_with_session(session):
    """While Django finds the request's user, offer it the user read with ``session``'s row."""
    token = _read_with_session.set(getattr(session, "user_read_with_it", None))
    try:
        yield
    finally:
        _read_with_session.reset(token)


def _user_read_with_session(user_id):
    user = _read_with_session.get()
    if user is None:
        return None
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    return user if user.pk == user_id else None


class StaffFlagMixin:
    def get_user(self, user_id):
        user = _user_read_with_session(user_id) or user_with_staff_flag(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


class ModelBackend(StaffFlagMixin, backends.ModelBackend):
    """Django's model backend, the user loaded with the staff group flag."""


class AuthenticationBackend(StaffFlagMixin, auth_backends.AuthenticationBackend):
    """allauth's backend (e-mail login), the user loaded with the staff group flag."""
