"""Organization roles: who is admin or member of which organization.

A user belongs to organizations as admin (manages the profile, invites colleagues) or member.
Ministry staff act on organizations through the staff area (/staff/), under its own rule
(accounts.roles), not through these checks. Each check is one query per request and
organization.
"""

from django.core.exceptions import PermissionDenied

from .models import Membership


def organization_role(user, organization) -> str | None:
    """Return "admin", "member" or None for the user's place in the organization."""
    if not user.is_authenticated or not user.is_active or organization is None:
        return None
    cache = user.__dict__.setdefault("_organization_roles", {})
    if organization.pk not in cache:
        cache[organization.pk] = (
            # No ordering: Membership's default one would join the organization table.
            Membership.objects.filter(user=user, organization=organization)
            .order_by()
            .values_list("role", flat=True)
            .first()
        )
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
