"""Organization roles: who is admin or member of which organization.

A user belongs to organizations as admin (manages the profile, invites colleagues) or member.
Ministry staff act on organizations through the staff area (/staff/), under its own rule
(accounts.roles), not through these checks. Each check is one query per request and
organization.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection

from .models import Membership


def _membership_role(user_id, organization_id) -> str | None:
    """The role of the user's membership in the organization, or None (one query).

    Plain SQL on purpose, as for the user in accounts.backends: the same query through the ORM
    costs about four times the CPU to build, on every signed-in view of a profile.
    """
    quote = connection.ops.quote_name
    meta = Membership._meta
    column = {field.name: quote(field.column) for field in meta.concrete_fields}
    # Only quoted table and column names from the model go into the text; values are bound.
    sql = (
        f"SELECT {column['role']} FROM {quote(meta.db_table)}"  # noqa: S608
        f" WHERE {column['user']} = %s AND {column['organization']} = %s"
        f" ORDER BY {column['id']} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, organization_id])
        row = cursor.fetchone()
    return row[0] if row else None


def organization_role(user, organization) -> str | None:
    """Return "admin", "member" or None for the user's place in the organization."""
    if not user.is_authenticated or not user.is_active or organization is None:
        return None
    cache = user.__dict__.setdefault("_organization_roles", {})
    if organization.pk not in cache:
        cache[organization.pk] = _membership_role(user.pk, organization.pk)
    return cache[organization.pk]


def is_organization_admin(user, organization) -> bool:
    """Admins of the organization may change its profile, channels, contacts and members."""
    return organization_role(user, organization) == "admin"


def is_organization_member(user, organization) -> bool:
    """Members and admins of the organization see its members-only parts."""
    return organization_role(user, organization) is not None


def check_organization_admin(user, organization) -> None:
    """Raise PermissionDenied unless the user may change the organization."""
    if not is_organization_admin(user, organization):
        raise PermissionDenied
