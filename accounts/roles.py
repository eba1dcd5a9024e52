"""Roles and the checks every view uses to enforce them on the server.

The staff rule lives here once and is offered four ways: the default-deny middleware
(``accounts.middleware.StaffAccessMiddleware``) for every path under ``STAFF_PATH_PREFIXES``, the
``staff_required`` decorator, the ``StaffRequiredMixin`` for class-based views and the
``StaffWithMFAPermission`` class for Django REST framework views. Outside the staff area a staff
power (editing any post, reading hidden posts or unpublished guides, posting as the ministry) is
granted by ``is_staff_session(request)`` alone: powers belong to a session that passed the second
factor, never to membership of the staff group.
"""

import logging
from enum import StrEnum
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

MINISTRY_STAFF_GROUP = "Ministry staff"

# Every path under these prefixes is refused unless the request passes the staff rule, whether
# or not its view checks anything itself.
STAFF_PATH_PREFIXES = ("/staff/", "/admin/")

security_log = logging.getLogger("diaspora_portal.security")


class StaffRefusal(StrEnum):
    """Why a request may not enter the staff area."""

    ANONYMOUS = "anonymous"
    NOT_STAFF = "not_staff"
    UNVERIFIED_EMAIL = "unverified_email"
    NO_SECOND_FACTOR = "no_second_factor"
    SESSION_WITHOUT_SECOND_FACTOR = "session_without_second_factor"


def _is_ministry_staff(user) -> bool:
    """Return whether the user belongs to the ministry staff group (superusers always do).

    Membership grants nothing by itself: only the staff gate (``staff_refusal``, the session
    timeouts) and the signposts to the staff area ask this; powers ask ``is_staff_session``.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Asked by the navigation and by the view on the same request: look it up once. A user
    # loaded by the authentication backends (accounts.backends) comes with the answer.
    if not hasattr(user, "_is_ministry_staff"):
        user._is_ministry_staff = user.groups.filter(name=MINISTRY_STAFF_GROUP).exists()
    return user._is_ministry_staff


def remember_ministry_staff(user, in_group: bool) -> None:
    """Record on the user object whether it is in the staff group, as loaded with its row."""
    user._is_ministry_staff = in_group


# The kinds of authenticator that count as a second factor (allauth.mfa's type values).
SECOND_FACTORS = ("totp", "webauthn")


def remember_second_factor(user, has_one: bool) -> None:
    """Record on the user object whether it has a second factor, as loaded with its row."""
    user._has_mfa = has_one


def has_mfa(user) -> bool:
    """Return whether the user has a second factor (TOTP or a security key) set up."""
    from allauth.mfa.models import Authenticator

    # Known from the user's row for a signed-in request (accounts/backends.py); else asked once
    # per request: the staff gate in the middleware and the view's own check ask alike.
    if not hasattr(user, "_has_mfa"):
        user._has_mfa = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
    return user._has_mfa


def can_add_second_factor(user) -> bool:
    """Return whether allauth lets the user add an authenticator (every address verified)."""
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    # Without any address row (an account from createsuperuser) allauth would let TOTP be set
    # up for an address nobody has proven: ask for the verification first as well.
    return bool(addresses) and all(addresses)


def session_passed_second_factor(request) -> bool:
    """Return whether this session's authentication records include a second factor.

    Owning an authenticator is not enough: a session opened with the password alone (before the
    authenticator existed, or through another door) has not proven the second factor.
    """
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_refusal(request) -> StaffRefusal | None:
    """Return why the request may not enter the staff area, or None when it may."""
    user = request.user
    if not user.is_authenticated:
        return StaffRefusal.ANONYMOUS
    if not _is_ministry_staff(user):
        return StaffRefusal.NOT_STAFF
    if not has_mfa(user):
        if not can_add_second_factor(user):
            return StaffRefusal.UNVERIFIED_EMAIL
        return StaffRefusal.NO_SECOND_FACTOR
    if not session_passed_second_factor(request):
        return StaffRefusal.SESSION_WITHOUT_SECOND_FACTOR
    return None


def is_staff_session(request) -> bool:
    """Return whether the request is a ministry staff session that passed the second factor.

    The only way code outside the staff area grants a staff power. A staff account whose
    session has not passed the second factor (no authenticator yet, a password-only login, a
    superuser from ``createsuperuser``) gets what any signed-in user gets. Services never see the
    request: the view asks this and passes the decision in.
    """
    # REST framework wraps the Django request; the session and the cached answer live on it.
    request = getattr(request, "_request", request)
    user = request.user
    # Asked by the navigation, the view and its helpers on the same request; keyed by the user
    # because a login or logout during the request changes who asks.
    cached = getattr(request, "_staff_session", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, staff_refusal(request) is None)
        request._staff_session = cached
    return cached[1]


def leads_to_staff_area(request) -> bool:
    """Return whether to point the user to the staff area, whose gate asks for any missing step.

    A signpost, never a power: staff whose session has not passed the second factor see it too,
    so that they find the gate that asks for it.
    """
    return _is_ministry_staff(request.user)


def needs_staff_care(request) -> bool:
    """Return whether the account is a staff account, for rules that ask more of staff.

    A restriction, never a power: erasing a staff account asks for both factors again whether or
    not this session passed the second factor.
    """
    return _is_ministry_staff(request.user)


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES)


def refuse_staff_access(request, refusal: StaffRefusal):
    """Answer a refused request: the next step for staff, login for visitors, 403 for others."""
    path = request.get_full_path()
    security_log.warning(
        "staff area refused: reason=%s user=%s method=%s path=%s",
        refusal,
        request.user.pk if request.user.is_authenticated else "-",
        request.method,
        request.path,
    )
    if refusal == StaffRefusal.ANONYMOUS:
        return redirect_to_login(path)
    if refusal == StaffRefusal.NOT_STAFF:
        raise PermissionDenied
    if refusal == StaffRefusal.UNVERIFIED_EMAIL:
        return redirect("account_verify_email_first")
    if refusal == StaffRefusal.NO_SECOND_FACTOR:
        messages.warning(
            request,
            _("Ministry staff must use two-factor authentication. Set it up to continue."),
        )
        return redirect("mfa_activate_totp")
    messages.warning(
        request,
        _("Confirm it is you with your second factor to enter the staff area."),
    )
    return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': path})}")


def staff_required(view):
    """Let only ministry staff whose session passed two-factor authentication reach the view.

    Anonymous visitors go to the login page; other users get 403; staff are led to the missing
    step (verify the address, set up a second factor, or confirm it in this session).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refusal = staff_refusal(request)
        if refusal is not None:
            return refuse_staff_access(request, refusal)
        return view(request, *args, **kwargs)

    return wrapper


class StaffRequiredMixin:
    """The ``staff_required`` rule for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        refusal = staff_refusal(request)
        if refusal is not None:
            return refuse_staff_access(request, refusal)
        return super().dispatch(request, *args, **kwargs)


class StaffWithMFAPermission:
    """The staff rule as a Django REST framework permission class.

    REST framework only needs ``has_permission`` and ``has_object_permission``; not subclassing
    its ``BasePermission`` keeps this module importable without the framework.
    """

    message = _("Only ministry staff with two-factor authentication may use this.")

    def has_permission(self, request, view) -> bool:
        return is_staff_session(request)

    def has_object_permission(self, request, view, obj) -> bool:
        return self.has_permission(request, view)
