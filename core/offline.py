"""What the browser may keep for offline reading, decided once, here.

The service worker (``static/js/sw.js``) stores a page only when the response carries
``X-Offline: allow``, is a 200 from this origin and its ``Cache-Control`` says neither
``private`` nor ``no-store``. The header is set only by ``offline_readable`` views (the meetings
list and a meeting's page) and only on the public version of the page: for visitors without a
signed-in session, without a query string, on a response that set no cookie and used no CSRF
token. Everything else (staff pages, forms, personal links, signed-in pages, the API) is never
kept; signed-in pages are also marked ``Cache-Control: private`` by ``PrivateSignedInPages``.
"""

import hashlib
import json
import os
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

OFFLINE_HEADER = "X-Offline"
ALLOW = "allow"
SERVICE_WORKER_SOURCE = settings.BASE_DIR / "static" / "js" / "sw.js"
THEME_COLOR = "#002395"
BACKGROUND_COLOR = "#ffffff"
ICONS = [
    {"src": "img/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "img/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {
        "src": "img/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]
# What the offline page needs, stored when the worker is installed.
PRECACHE_STATIC = ["css/portal.css", "img/favicon.svg"]


def _is_private(response) -> bool:
    value = response.get("Cache-Control", "")
    return "private" in value or "no-store" in value


def _signed_in(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def may_keep_offline(request, response) -> bool:
    """True if this response is the public page every visitor gets, fit to keep offline."""
    return (
        request.method == "GET"
        and not request.GET
        and not request.headers.get("HX-Request")
        and response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _is_private(response)
        and not _signed_in(request)
    )


def offline_readable(view):
    """Mark the public version of a view's page as readable offline (see the module's doc)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if may_keep_offline(request, response):
            response[OFFLINE_HEADER] = ALLOW
        return response

    return wrapped


def mark_offline(response):
    """For pages that are the same for everyone by construction (the offline page)."""
    response[OFFLINE_HEADER] = ALLOW
    return response


class PrivateSignedInPages:
    """Signed-in pages are personal: ``Cache-Control: private`` unless the view said more or
    the page is the same for everyone by construction (``mark_offline``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The offline page is the same for everyone (mark_offline): the worker installed by a
        # signed-in visitor must be able to keep it.
        everyones = response.get(OFFLINE_HEADER) == ALLOW
        if _signed_in(request) and not everyones and not _is_private(response):
            patch_cache_control(response, private=True)
        return response


@cache
def cache_version() -> str:
    """Changes whenever a static file, the offline page or the release changes, so the worker's
    bytes change, the browser installs the new one and the old caches are deleted."""
    digest = hashlib.sha256(os.environ.get("SENTRY_RELEASE", "").encode())
    files = []
    for folder in settings.STATICFILES_DIRS:
        files.extend(sorted(p for p in Path(folder).rglob("*") if p.is_file()))
    files.append(settings.BASE_DIR / "templates" / "offline.html")
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def service_worker_source(offline_url: str) -> str:
    config = {
        "version": cache_version(),
        "offlineUrl": offline_url,
        "precache": [static(name) for name in PRECACHE_STATIC],
    }
    return f"const CONFIG = {json.dumps(config)};\n" + SERVICE_WORKER_SOURCE.read_text()


def manifest(*, home_url: str, description: str, name: str, short_name: str, language: str):
    return {
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": language,
        "id": home_url,
        "start_url": home_url,
        "scope": home_url,
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
