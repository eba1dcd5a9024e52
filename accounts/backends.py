"""Authentication backends that load a signed-in user, the staff group flag and whether the
user has a second factor, in one query.

Every signed-in request asks whether the user is ministry staff (the staff session clock in
``accounts.middleware``, the signpost in the navigation): the flag comes with the user's row
(an EXISTS on the group), where it used to cost a query of its own. What the flag grants is
unchanged: see ``accounts.roles``. So does whether a second factor is set up, which the staff
gate asks on every staff request (``accounts.roles.has_mfa``).
"""

from allauth.account import auth_backends
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection

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

    Raw SQL on purpose: the same query through the ORM (an ``Exists`` annotation) costs three
    times the CPU to build, on every signed-in request.
    """
    user_model = get_user_model()
    quote = connection.ops.quote_name
    users = quote(user_model._meta.db_table)
    through = quote(user_model.groups.through._meta.db_table)
    groups = quote(Group._meta.db_table)
    authenticators = quote(Authenticator._meta.db_table)
    # Only quoted table and column names from the models go into the text; values are bound.
    sql = (
        f"SELECT {users}.*, EXISTS (SELECT 1 FROM {through} INNER JOIN {groups}"  # noqa: S608
        f" ON {groups}.{quote('id')} = {through}.{quote('group_id')}"
        f" WHERE {through}.{quote('user_id')} = {users}.{quote('id')}"
        f" AND {groups}.{quote('name')} = %s) AS in_ministry_staff_group,"
        f" EXISTS (SELECT 1 FROM {authenticators}"
        f" WHERE {authenticators}.{quote('user_id')} = {users}.{quote('id')}"
        f" AND {authenticators}.{quote('type')} IN (%s, %s)) AS has_second_factor"
        f" FROM {users} WHERE {users}.{quote('id')} = %s"
    )
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    params = [MINISTRY_STAFF_GROUP, *SECOND_FACTORS, user_id]
    for user in user_model._default_manager.raw(sql, params):  # noqa: S611
        remember_ministry_staff(user, user.in_ministry_staff_group)
        remember_second_factor(user, user.has_second_factor)
        return user
    return None


class StaffFlagMixin:
    def get_user(self, user_id):
        user = user_with_staff_flag(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


class ModelBackend(StaffFlagMixin, backends.ModelBackend):
    """Django's model backend, the user loaded with the staff group flag."""


class AuthenticationBackend(StaffFlagMixin, auth_backends.AuthenticationBackend):
    """allauth's backend (e-mail login), the user loaded with the staff group flag."""
