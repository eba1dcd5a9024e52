"""Public parts of pages kept in the shared cache, for everyone who is shown them alike.

Signed-in people never get a page from the anonymous page cache (``page_cache.py``), so the
costly public part of a page (the directory's cards, the archive's summaries, a page of the
organizations API) is kept on its own: in templates with ``{% public_fragment %}``
(``templatetags/fragments.py``), in views with :func:`public_fragment`.

The key holds the fragment's name, the active language and the values it depends on; the
entry holds the public pages' generation it was built under, which any committed change to an
organization, meeting or post renews (``page_cache.forget_pages``), so an edit shows at once:
an entry of an older generation is built again. Only public data goes inside: nothing
that depends on who is looking (their user, role, membership or staff session). The generation
is read before the fragment is built, so the data it queries is never older than its entry;
a request's first fragment is read together with the generation (one round trip), the others
under the generation the request read.
``FRAGMENT_CACHE_SECONDS`` = 0 builds every fragment afresh (as the tests do).
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from .cache import generation, generation_and
from .page_cache import GENERATION_KEY

_REQUEST_ATTR = "_public_fragment_generation"


def current_generation(request=None) -> str:
    """The public generation, read once per request (every fragment of a page shares it);
    empty when the cache is down."""
    if request is None:
        return generation(GENERATION_KEY)
    if not hasattr(request, _REQUEST_ATTR):
        setattr(request, _REQUEST_ATTR, generation(GENERATION_KEY))
    return getattr(request, _REQUEST_ATTR)


def public_fragment(name: str, values: list, build: Callable[[], Any], *, request=None) -> Any:
    """``build()``, or what it returned for the same name, language and values under the current
    generation. ``build`` must show only public data, the same for every visitor."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:  # off: build it afresh
        return build()
    parts = [get_language() or "", *(str(value) for value in values)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    key = f"fragments:{name}:{digest}"
    if request is not None and hasattr(request, _REQUEST_ATTR):
        current = getattr(request, _REQUEST_ATTR)
        stored = cache.get(key) if current else None
    else:
        current, stored = generation_and(GENERATION_KEY, key)
        if request is not None:
            setattr(request, _REQUEST_ATTR, current)
    if not current:  # the cache is down: build it afresh
        return build()
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
        return stored[1]
    content = build()
    cache.set(key, (current, content), timeout=seconds)
    return content
