"""A short shared cache of public pages for visitors who are not signed in.

A public page costs 8–25 ms to build at ten thousand organizations, most of it template
rendering; the same page for the next anonymous visitor is the same bytes. This middleware keeps
such pages in the shared Redis cache for ``PAGE_CACHE_SECONDS`` (60 by default; 0 turns it off),
keyed by scheme, host, path and query, language and Accept header, under a generation that any
committed change to an organization, meeting, workspace post or institution renews
(``forget_pages``, connected in ``diaspora_portal.apps``), so an approval or a published summary
shows at once.

Only what is safe to share is stored or served:

- GET and HEAD from visitors without a session or messages cookie (signed-in people and anyone
  with a flash message always get a fresh page), never htmx fragments;
- paths under the public prefixes below, never a personal link (RSVP, downloads);
- responses that are 200, set no cookie and used no CSRF token (a page with a form is personal
  to its visitor's token and is never stored);
- pages declared (``declare``, from ``diaspora_portal/cached_pages.py``) whose query holds
  only the page's own filters, each once and with a valid value. Anything else
  (``?utm_source=…``, a random parameter, an unknown country or area, a page number out of
  range) is answered afresh and not stored, so random query strings cannot fill the cache: the
  stored pages are bounded by the valid filter combinations visitors ask for, not by the
  number of requests.
"""

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from .cache import generation, renew_generation

GENERATION_KEY = "pages:generation"


class _Declared:
    """What the project declares (diaspora_portal/cached_pages.py, installed at start-up): the
    page cache itself knows no app, no URL and no model."""

    pages: dict[str, dict[str, Callable[[str], bool]]] = {}
    public_apps: frozenset[str] = frozenset()
    public_prefixes: tuple[str, ...] = ()
    personal_prefixes: tuple[str, ...] = ()


def declare(
    *,
    pages: dict[str, dict[str, Callable[[str], bool]]],
    public_apps,
    public_prefixes: tuple[str, ...],
    personal_prefixes: tuple[str, ...],
) -> None:
    """Name the cached pages (by URL name, with the query parameters each may be stored with
    and what a valid value of each is; a page not named is never stored), the apps whose
    changes renew the generation, and the path prefixes served from the cache or never."""
    _Declared.pages = dict(pages)
    _Declared.public_apps = frozenset(public_apps)
    _Declared.public_prefixes = tuple(public_prefixes)
    _Declared.personal_prefixes = tuple(personal_prefixes)


def renews_generation(model) -> bool:
    """Whether every committed change to this model's rows renews the generation (a model of a
    public app: saved, deleted or its many-to-many changed, see ``forget_pages``)."""
    return model._meta.app_label in _Declared.public_apps


def forget_pages(sender=None, **_kwargs) -> None:
    """Start a new generation of cached pages once the change is committed (a signal receiver
    for the public apps' models): a page built before the commit never outlives it."""
    if sender is not None and not renews_generation(sender):
        return
    transaction.on_commit(lambda: renew_generation(GENERATION_KEY))


def renew_after_migrate(**_kwargs) -> None:
    """A deploy runs the migrations: pages, fragments and insights kept by the code before it
    are not served by the code after it, whose templates may have changed."""
    renew_generation(GENERATION_KEY)


# --- Which query parameters each cached page may be stored with ----------------------------


def text(max_length: int) -> Callable[[str], bool]:
    return lambda value: len(value) <= max_length and "\x00" not in value


def page(value: str) -> bool:
    # A whole number from 1 up; a page past the last one is answered 422 and never stored.
    return value == "" or (len(value) <= 6 and value.isascii() and value.isdigit() and value != "0")


def country(value: str) -> bool:
    from django_countries import countries

    return value == "" or value in countries


def year(value: str) -> bool:
    return value == "" or (len(value) == 4 and value.isascii() and value.isdigit())


def one_of(*choices: str) -> Callable[[str], bool]:
    allowed = {"", *choices}
    return lambda value: value in allowed


def _known_parameters(request) -> bool:
    """True if the request's page is declared and its query holds only that page's parameters,
    each once, each with a valid value."""
    match = request.resolver_match
    allowed = _Declared.pages.get(match.view_name) if match is not None else None
    if allowed is None:
        return False
    for name, values in request.GET.lists():
        validate = allowed.get(name)
        if validate is None or len(values) != 1 or not validate(values[0]):
            return False
    return True


def _may_use_cache(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path
    if path.startswith(_Declared.personal_prefixes):
        return False
    return path == "/" or path.startswith(_Declared.public_prefixes)


def _key(request, generation: str) -> str:
    parts = "\n".join(
        [
            # Absolute links (the API, feeds) carry the scheme and host the page was built for.
            request.scheme,
            request.get_host(),
            request.path,
            # The query as it is understood, not as it was spelled: "?q=%73" and "?q=s", or the
            # same filters in another order, are one page (only known parameters are stored).
            urlencode(sorted(request.GET.lists()), doseq=True),
            request.LANGUAGE_CODE,
            request.headers.get("Accept", ""),
        ]
    )
    return f"pages:{generation}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and _known_parameters(request)
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _may_use_cache(request):
            return self.get_response(request)
        current = generation(GENERATION_KEY)
        key = _key(request, current)
        stored = cache.get(key) if current else None
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if current and _storable(request, response):
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cache.set(key, (response.content, list(response.headers.items())), timeout=seconds)
        return response
