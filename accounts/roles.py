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
