import time
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .roles import (
    _is_ministry_staff,
    is_staff_path,
    refuse_staff_access,
    security_log,
    staff_refusal,
)
from .sessions import LOGIN_AT_KEY, LOGIN_LANGUAGE_ATTR, SEEN_AT_KEY


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, first moving a session opened before ``accounts.backends`` to the backend that
    replaced the one it names (one session write), so that nobody is logged out by the change;
    the request's user is found by Django (``auth.get_user``, the session checked as always),
    offered the user the session store read with the session's row."""

    def process_request(self, request):
        from .backends import REPLACED_BACKENDS

        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            replaced = REPLACED_BACKENDS.get(request.session.get(BACKEND_SESSION_KEY))
            if replaced:
                request.session[BACKEND_SESSION_KEY] = replaced
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _request_user(request))


def _request_user(request):
    """As Django's middleware does (once per request), within ``read_with_session``."""
    from .backends import read_with_session

    if not hasattr(request, "_cached_user"):
        with read_with_session(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


# The idle clock is written to the session at most this often, so that a page does not cost a
# session write on every request.
SEEN_AT_RESOLUTION = 60


class StaffAccessMiddleware:
    """Refuse every staff path to anyone but a ministry staff session with a second factor.

    Denied by default, before any view runs: a staff or admin view that forgets its own check is
    still closed. Ministry staff sessions also end after ``STAFF_SESSION_IDLE_TIMEOUT`` seconds
    without a request and ``STAFF_SESSION_MAX_AGE`` seconds after login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._end_expired_staff_session(request)
        if is_staff_path(request.path_info):
            refusal = staff_refusal(request)
            if refusal is not None:
                return refuse_staff_access(request, refusal)
            if request.path_info.startswith("/admin/"):
                security_log.info(
                    "admin access: user=%s method=%s path=%s",
                    request.user.pk,
                    request.method,
                    request.path,
                )
        return self.get_response(request)

    def _end_expired_staff_session(self, request) -> None:
        if not _is_ministry_staff(request.user):
            return
        now = time.time()
        login_at = request.session.get(LOGIN_AT_KEY)
        seen_at = request.session.get(SEEN_AT_KEY, login_at)
        if login_at is None or now - login_at > settings.STAFF_SESSION_MAX_AGE:
            reason = "max_age"
        elif now - seen_at > settings.STAFF_SESSION_IDLE_TIMEOUT:
            reason = "idle"
        else:
            if now - seen_at >= SEEN_AT_RESOLUTION:
                request.session[SEEN_AT_KEY] = now
            return
        security_log.info("staff session ended: reason=%s user=%s", reason, request.user.pk)
        logout(request)
        messages.info(request, _("Your staff session has ended. Log in again to continue."))


class LoginLanguageMiddleware:
    """After a login, keep the interface in the user's saved language (the language cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, LOGIN_LANGUAGE_ATTR, None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# A session's row in the sessions list ("last seen", address, browser) is written at most this
# often (seconds), and at once when the address or the browser changes.
USER_SESSION_RESOLUTION = 60


class UserSessionsMiddleware:
    """allauth's session tracking without a write transaction on every signed-in request.

    allauth's own middleware reads, re-reads the user and updates the session's row on each
    request (five queries). This records the same row, but skips it while the record read with
    the session (``accounts.session_store``) names the same user, address and browser and was
    seen within the last minute: no query and no shared-cache read of its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from allauth.usersessions import app_settings
        from allauth.usersessions.models import UserSession

        session_key = getattr(getattr(request, "session", None), "session_key", None)
        if (
            app_settings.TRACK_ACTIVITY
            and session_key
            and request.user.is_authenticated
            and not _recorded_lately(request, UserSession)
        ):
            UserSession.objects.create_from_request(request)
        return self.get_response(request)


def _recorded_lately(request, record_model) -> bool:
    """Whether the session's record, as read with it, is this user's, from this address and
    browser, seen less than ``USER_SESSION_RESOLUTION`` seconds ago."""
    record = getattr(request.session, "record_read_with_it", None)
    if record is None:
        return False
    browser_length = record_model._meta.get_field("user_agent").max_length
    return (
        record.user_id == request.user.pk
        and str(record.ip) == get_adapter().get_client_ip(request)
        and record.user_agent == request.META.get("HTTP_USER_AGENT", "")[:browser_length]
        and record.last_seen_at > timezone.now() - timedelta(seconds=USER_SESSION_RESOLUTION)
    )
