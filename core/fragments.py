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
from django.utils.translation import get_language

from .cache import KeptUnderGeneration
from .page_cache import GENERATION_KEY

_kept = KeptUnderGeneration(GENERATION_KEY, "_public_fragment")


def current_generation(request=None) -> str:
    """The public generation, read once per request (every fragment of a page shares it);
    empty when the cache is down."""
    return _kept.current(request)


def _key(name: str, values: list) -> str:
    parts = [get_language() or "", *(str(value) for value in values)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"fragments:{name}:{digest}"


def expect(request, fragments: list[tuple[str, list]]) -> None:
    """Read the fragments a page is about to ask for (name and values, as its template or view
    names them) in one round trip, with the generation if the request has not read it yet. A
    fragment named differently from the template's only costs a read."""
    if request is None or not settings.FRAGMENT_CACHE_SECONDS:
        return
    _kept.expect(request, [_key(name, values) for name, values in fragments])


def public_fragment(name: str, values: list, build: Callable[[], Any], *, request=None) -> Any:
    """``build()``, or what it returned for the same name, language and values under the current
    generation. ``build`` must show only public data, the same for every visitor."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:  # off: build it afresh
        return build()
    return _kept.get_or_make(_key(name, values), build, timeout=seconds, request=request)
