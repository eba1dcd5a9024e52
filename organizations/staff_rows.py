"""The rows of the staff organization list and review queue, built in Python.

Each shows 50 organizations a page; through the template engine their rows were most of the
pages' time (bench/signed_in.py, "staff organizations", "staff review queue"). The markup is
the one the templates had: a row header with the link, cells (labelled for a phone where the
table stacks), status badges.
What is the same for every row (labels, status names, the date format, the link's pattern) is
worked out once per page.
"""

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_countries import countries

from .models import Organization

_BADGE = {
    Organization.Status.APPROVED: "badge badge--approved",
    Organization.Status.PENDING: "badge badge--pending",
    Organization.Status.REJECTED: "badge badge--rejected",
}
_ROW = (
    '<tr><th scope="row"><a href="{}">{}</a></th>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}{}</td><td data-label="{}">{}</td></tr>'
)


# The columns the rows read, as plain values: the rest of an organization stays in the database.
LIST_FIELDS = (
    "pk",
    "name",
    "country",
    "city",
    "status",
    "verified_at",
    "dormant_since",
    "last_confirmed_at",
    "updated_at",
)
REVIEW_FIELDS = ("pk", "name", "country", "city", "updated_at")

_REVIEW_ROW = '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>'


def _detail_pattern() -> str:
    """The detail page's address with ``{}`` for the key (one reverse() per page)."""
    return reverse("staff_organizations:detail", args=[987654321]).replace("987654321", "{}")


def _short_date_format():
    """As the template's ``|date:"SHORT_DATE_FORMAT"`` (in the current time zone), each day
    formatted once per page."""
    pattern, days = get_format("SHORT_DATE_FORMAT"), {}

    def short_date(moment) -> str:
        if not moment:
            return ""
        day = localtime(moment).date()
        if day not in days:
            days[day] = dateformat.format(day, pattern)
        return days[day]

    return short_date


def _country_names():
    """The country's name in the current language, each looked up once per page."""
    names = {}

    def country_name(code: str) -> str:
        if code not in names:
            names[code] = countries.name(code) if code else ""
        return names[code]

    return country_name


def review_rows(organizations) -> SafeString:
    """The review queue's rows (``.values(*REVIEW_FIELDS)``): name, country, city, submitted."""
    detail, short_date, country_name = _detail_pattern(), _short_date_format(), _country_names()
    return format_html_join(
        "\n",
        _REVIEW_ROW,
        (
            (
                detail.format(row["pk"]),
                row["name"],
                country_name(row["country"]),
                row["city"],
                short_date(row["updated_at"]),
            )
            for row in organizations
        ),
    )


def organization_rows(organizations, *, stale_before) -> SafeString:
    """The registry's rows (``.values(*LIST_FIELDS)``)."""
    country, city, status = _("Country"), _("City"), _("Status")
    confirmed_label, updated_label = _("Last confirmed current"), _("Last updated")
    verified = format_html(' <span class="badge badge--approved">{}</span>', _("Verified"))
    dormant = format_html(' <span class="badge">{}</span>', _("Dormant"))
    stale = format_html(' <span class="badge badge--pending">{}</span>', _("Stale"))
    status_names = {value: str(name) for value, name in Organization.Status.choices}
    detail, short_date, country_name = _detail_pattern(), _short_date_format(), _country_names()

    def cells(row):
        confirmed = row["last_confirmed_at"]
        is_stale = not row["dormant_since"] and confirmed and confirmed < stale_before
        badges = format_html(
            '<span class="{}">{}</span>{}{}',
            _BADGE.get(row["status"], "badge"),
            status_names.get(row["status"], row["status"]),
            verified if row["verified_at"] else "",
            dormant if row["dormant_since"] else "",
        )
        return (
            detail.format(row["pk"]),
            row["name"],
            country,
            country_name(row["country"]),
            city,
            row["city"],
            status,
            badges,
            confirmed_label,
            short_date(confirmed),
            stale if is_stale else "",
            updated_label,
            short_date(row["updated_at"]),
        )

    return format_html_join("\n", _ROW, (cells(row) for row in organizations))
