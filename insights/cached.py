"""Insights kept in the shared cache under the page cache's generation.

Any committed change to an organization, meeting or noticeboard post renews that generation
(``diaspora_portal.page_cache.forget_pages``), so the figures follow the data at once; what
other apps hold (onboarding) is at most ``FRAGMENT_CACHE_SECONDS`` old. The key holds the
language too: charts carry translated labels. Staff figures are cached under their own names
and never shown on a public page.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from core.cache import generation
from core.page_cache import GENERATION_KEY


def cached(name: str, values: list, build: Callable[[], Any]) -> Any:
    """``build()``, or what it returned for the same name, language and values this generation."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    current = generation(GENERATION_KEY) if seconds else ""
    if not current:
        return build()
    parts = [get_language() or "", *(str(value) for value in values)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    key = f"insights:{current}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=seconds)
    return value
