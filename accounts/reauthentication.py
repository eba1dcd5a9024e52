"""Fresh proof of both factors before a member of staff destroys or takes away someone's data.

allauth's ``reauthentication_required`` is satisfied by either the password or a second factor
entered again. Erasing an account on someone's behalf, a staff member's own erasure, CSV exports
with contact data and copies of a person's data prepared by staff want both, each proved within
``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (a fresh login counts: it asked for both). What is
missing is asked for through allauth's own pages (password, then the second factor); allauth
replays the suspended POST afterwards, so the person does not have to submit the form again.
"""

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.utils import is_mfa_enabled
from django.urls import reverse


def _proved_recently(request, method: str) -> bool:
    now = time.time()
    window = account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == method and now - float(record.get("at", 0)) < window
        for record in get_authentication_records(request, request.user)
    )


def missing_factor_url(request) -> str | None:
    """The page that asks for a factor not proved recently enough, or None if both were."""
    if not _proved_recently(request, "password"):
        return reverse("account_reauthenticate")
    if is_mfa_enabled(request.user) and not _proved_recently(request, "mfa"):
        return reverse("mfa_reauthenticate")
    return None


def both_factors_required(view=None, *, methods=("GET", "POST"), when=None):
    """Decorate a view: for requests of ``methods`` (and ``when(request)``, if given), ask for
    the password and the second factor again unless both were proved within the window."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            applies = request.method in methods and (when is None or when(request))
            if applies and request.user.is_authenticated:
                url = missing_factor_url(request)
                if url is not None:
                    return suspend_request(request, url)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
