"""The ``?page=`` parameter of paginated lists, read the same way everywhere."""

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

# Longer values are not page numbers (and would be slow to parse as such).
MAX_PAGE_DIGITS = 10

INVALID_PAGE = _("The page number must be a whole number from 1 up; showing the first page.")
PAST_THE_LAST_PAGE = _("There are fewer pages of results; showing the last page.")


def page_number(raw: str | None, *, max_digits: int = MAX_PAGE_DIGITS) -> tuple[int, str | None]:
    """Return the requested page number and an error message if ``raw`` is not one."""
    if raw is None or raw == "":
        return 1, None
    if len(raw) <= max_digits and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw), None
    return 1, INVALID_PAGE


def page_of(paginator: Paginator, number: int, error: str | None) -> tuple[Page, str | None]:
    """The page ``number`` of ``paginator`` (the last one when past it) and the message to show."""
    if error is None and number > paginator.num_pages:
        error = PAST_THE_LAST_PAGE
    return paginator.get_page(number), error


def requested_page(request, object_list, per_page: int) -> tuple[Page, str | None]:
    """The page of ``object_list`` that ``?page=`` asks for, and the message to show (with a
    422) when that is not a page: the first page for a number that is not one, the last page
    past the end."""
    number, error = page_number(request.GET.get("page"))
    return page_of(Paginator(object_list, per_page), number, error)
