"""Roles and the checks every view uses to enforce them on the server."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

MINISTRY_STAFF_GROUP = "Ministry staff"


def is_ministry_staff(user) -> bool:
    """Return whether the user belongs to the ministry staff (superusers always do)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Asked by the navigation and by the view on the same request: look it up once.
    if not hasattr(user, "_is_ministry_staff"):
        user._is_ministry_staff = user.groups.filter(name=MINISTRY_STAFF_GROUP).exists()
    return user._is_ministry_staff


def has_mfa(user) -> bool:
    """Return whether the user has a second factor (TOTP or a security key) set up."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def staff_required(view):
    """Let only ministry staff with two-factor authentication reach the view.

    Anonymous visitors go to the login page; other users get 403; staff without a second factor
    are sent to set one up first.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_ministry_staff(user):
            raise PermissionDenied
        if not has_mfa(user):
            messages.warning(
                request,
                _("Ministry staff must use two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


# --- Organization roles -------------------------------------------------------------------
# A user belongs to organizations as admin (manages the profile, invites colleagues) or member.
# Ministry staff act on organizations through the staff area (/staff/), under its own rule, not
# through these checks. Each check is one query per request and organization.


def organization_role(user, organization) -> str | None:
    """Return "admin", "member" or None for the user's place in the organization."""
    if not user.is_authenticated or not user.is_active or organization is None:
        return None
    cache = user.__dict__.setdefault("_organization_roles", {})
    if organization.pk not in cache:
        from organizations.models import Membership

        cache[organization.pk] = (
            Membership.objects.filter(user=user, organization=organization)
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
