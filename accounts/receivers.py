"""Signal receivers: session bookkeeping at login and the security log.

The security log ("diaspora_portal.security") names users by their id and never carries e-mail
addresses, passwords, codes or keys.
"""

import time

from allauth.account import signals as account_signals
from allauth.account.adapter import get_adapter
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import translation

from .models import User
from .roles import security_log
from .sessions import LOGIN_AT_KEY, LOGIN_LANGUAGE_ATTR, SEEN_AT_KEY

SECOND_FACTOR_TYPES = {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN}


def _client_ip(request) -> str:
    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "-"


@receiver(auth_signals.user_logged_in, dispatch_uid="accounts_start_session")
def start_session(sender, request, user, **kwargs):
    """Start the session's clocks and switch the interface to the user's language."""
    if request is None:
        return
    now = time.time()
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        setattr(request, LOGIN_LANGUAGE_ATTR, user.language)
    security_log.info("login: user=%s ip=%s", user.pk, _client_ip(request))


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts_log_logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_log.info("logout: user=%s", user.pk)


@receiver(auth_signals.user_login_failed, dispatch_uid="accounts_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or ""
    known = User.objects.filter(email__iexact=login).values_list("pk", flat=True).first()
    security_log.warning(
        "login failed: user=%s ip=%s",
        known if known is not None else "unknown",
        _client_ip(request),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts_second_factor_added")
def second_factor_added(sender, request, user, authenticator, **kwargs):
    security_log.info("second factor added: user=%s type=%s", user.pk, authenticator.type)
    # Adding a TOTP or a security key proves it with a code or a touch, after a fresh
    # re-authentication: this session has passed the second factor, as a login with it would.
    if (
        request is not None
        and authenticator.type in SECOND_FACTOR_TYPES
        and getattr(request, "user", None) is not None
        and request.user.pk == user.pk
    ):
        from allauth.account.internal.flows.login import record_authentication

        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts_second_factor_removed")
def second_factor_removed(sender, request, user, authenticator, **kwargs):
    security_log.warning("second factor removed: user=%s type=%s", user.pk, authenticator.type)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="accounts_second_factor_reset")
def second_factor_reset(sender, request, user, authenticator, **kwargs):
    security_log.warning("second factor reset: user=%s type=%s", user.pk, authenticator.type)


@receiver(account_signals.password_changed, dispatch_uid="accounts_log_password_changed")
@receiver(account_signals.password_set, dispatch_uid="accounts_log_password_set")
@receiver(account_signals.password_reset, dispatch_uid="accounts_log_password_reset")
def log_password_change(sender, request, user, **kwargs):
    security_log.info("password changed: user=%s ip=%s", user.pk, _client_ip(request))


@receiver(account_signals.email_changed, dispatch_uid="accounts_log_email_changed")
def log_email_changed(sender, request, user, **kwargs):
    security_log.info("primary e-mail address changed: user=%s", user.pk)


@receiver(account_signals.email_added, dispatch_uid="accounts_log_email_added")
def log_email_added(sender, request, user, **kwargs):
    security_log.info("e-mail address added: user=%s", user.pk)


@receiver(account_signals.email_removed, dispatch_uid="accounts_log_email_removed")
def log_email_removed(sender, request, user, **kwargs):
    security_log.info("e-mail address removed: user=%s", user.pk)


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_log_second_factor_failed")
def log_second_factor_failed(sender, request, user, authenticator, **kwargs):
    security_log.warning(
        "second factor failed: user=%s type=%s ip=%s",
        user.pk,
        authenticator.type if authenticator is not None else "-",
        _client_ip(request),
    )
