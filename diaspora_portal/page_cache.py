"""A short shared cache of public pages for visitors who are not signed in.

A public page costs 8–25 ms to build at ten thousand organizations, most of it template
rendering; the same page for the next anonymous visitor is the same bytes. This middleware keeps
such pages in the shared Redis cache for ``PAGE_CACHE_SECONDS`` (60 by default; 0 turns it off),
keyed by scheme, host, path and query, language and Accept header, under a generation that any
committed change to an organization, meeting or workspace post renews (``forget_pages``,
connected in ``diaspora_portal.apps``), so an approval or a published summary shows at once.

Only what is safe to share is stored or served:

- GET and HEAD from visitors without a session or messages cookie (signed-in people and anyone
  with a flash message always get a fresh page), never htmx fragments;
- paths under the public prefixes below, never a personal link (RSVP, downloads);
- responses that are 200, set no cookie and used no CSRF token (a page with a form is personal
  to its visitor's token and is never stored).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from .cache import generation, renew_generation

GENERATION_KEY = "pages:generation"
PUBLIC_PREFIXES = ("/organizations/", "/meetings/", "/workspace/", "/privacy/", "/api/v1/")
PERSONAL_PREFIXES = ("/meetings/rsvp/", "/privacy/my-data/", "/privacy/download/")
# Changes to these apps' models renew the generation: they are what public pages show.
PUBLIC_APPS = {"organizations", "meetings", "workspace"}


def forget_pages(sender=None, **_kwargs) -> None:
    """Start a new generation of cached pages once the change is committed (a signal receiver
    for the public apps' models): a page built before the commit never outlives it."""
    if sender is not None and sender._meta.app_label not in PUBLIC_APPS:
        return
    transaction.on_commit(lambda: renew_generation(GENERATION_KEY))


def _may_use_cache(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path
    if path.startswith(PERSONAL_PREFIXES):
        return False
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


def _key(request, generation: str) -> str:
    parts = "\n".join(
        [
            # Absolute links (the API, feeds) carry the scheme and host the page was built for.
            request.scheme,
            request.get_host(),
            request.get_full_path(),
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
