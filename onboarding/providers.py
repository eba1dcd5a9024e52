"""What other apps give onboarding, registered explicitly: onboarding names no app above it.

- the page the checklist's community item leads to: the workspace registers its page of
  community channels (``register_community_page``) from its AppConfig.ready;
- the funnel's last stage, "attended a meeting": the meetings app registers the count
  (``register_attendance_count``) from its AppConfig.ready.

Until an app registers, the community item leads to the link staff set, and nobody has
attended.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_community_pages: list[Callable[[], str]] = []
_attendance_counts: list[Callable[[QuerySet], int]] = []


def register_community_page(page: Callable[[], str]) -> None:
    """``page()`` returns the URL of the community channels page (or "" when there is none)."""
    if page not in _community_pages:
        _community_pages.append(page)


def register_attendance_count(count: Callable[[QuerySet], int]) -> None:
    """``count(organizations)`` says how many of the organizations attended a meeting."""
    if count not in _attendance_counts:
        _attendance_counts.append(count)


def community_page() -> str:
    """The registered community channels page, or ""."""
    for page in _community_pages:
        url = page()
        if url:
            return url
    return ""


def attendance_count(organizations: QuerySet) -> int:
    """How many of ``organizations`` attended a meeting, as the registered count says (0)."""
    for count in _attendance_counts:
        return count(organizations)
    return 0
