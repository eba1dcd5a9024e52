"""The rows of the staff organization list and review queue, built in Python.

Each shows 50 organizations a page; through the template engine their rows were most of the
pages' time, and through ``format_html`` (a safe-string round per cell) still a third of it
(bench/signed_in.py, "staff organizations", "staff review queue"). The markup is the one the
templates had: a row header with the link, cells (labelled for a phone where the table
stacks), status badges. Every text is escaped as the templates escaped it (``html.escape``,
which is what Django's ``escape`` does); what is the same for every row (labels, badges,
status names, the date format, the link's pattern) is escaped and worked out once per page.
"""

from html import escape

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _
from django_countries import countries

from .models import Organization

_BADGE = {
    Organization.Status.APPROVED: "badge badge--approved",
    Organization.Status.PENDING: "badge badge--pending",
    Organization.Status.REJECTED: "badge badge--rejected",
}

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


def _detail_address():
    """The detail page's address, escaped, split around the key (one reverse() per page)."""
    address = escape(reverse("staff_organizations:detail", args=[987654321]))
    before, _key, after = address.partition("987654321")
    return lambda pk: f"{before}{pk}{after}"


def _short_date_format():
    """As the template's ``|date:"SHORT_DATE_FORMAT"`` (in the current time zone), escaped,
    each day formatted once per page."""
    pattern, days, zone = get_format("SHORT_DATE_FORMAT"), {}, get_current_timezone()

    def short_date(moment) -> str:
        if not moment:
            return ""
        day = moment.astimezone(zone).date()  # the database's moments are aware
        if day not in days:
            days[day] = escape(dateformat.format(day, pattern))
        return days[day]

    return short_date


def _country_names():
    """The country's name in the current language, escaped, each looked up once per page."""
    names = {}

    def country_name(code: str) -> str:
        if code not in names:
            names[code] = escape(countries.name(code)) if code else ""
        return names[code]

    return country_name


def review_rows(organizations) -> SafeString:
    """The review queue's rows (``.values(*REVIEW_FIELDS)``): name, country, city, submitted,
    each cell labelled for a phone, where the table stacks."""
    country, city, submitted = (escape(_(label)) for label in ("Country", "City", "Submitted"))
    detail, short_date, country_name = _detail_address(), _short_date_format(), _country_names()
    return mark_safe(  # noqa: S308 (every value is escaped here or, once per page, above)
        "\n".join(
            f'<tr><th scope="row"><a href="{detail(row["pk"])}">{escape(row["name"])}</a></th>'
            f'<td data-label="{country}">{country_name(row["country"])}</td>'
            f'<td data-label="{city}">{escape(row["city"])}</td>'
            f'<td data-label="{submitted}">{short_date(row["updated_at"])}</td></tr>'
            for row in organizations
        )
    )


def organization_rows(organizations, *, stale_before) -> SafeString:
    """The registry's rows (``.values(*LIST_FIELDS)``)."""
    country, city, status = (escape(_(label)) for label in ("Country", "City", "Status"))
    confirmed_label, updated_label = escape(_("Last confirmed current")), escape(_("Last updated"))
    verified = f' <span class="badge badge--approved">{escape(_("Verified"))}</span>'
    dormant = f' <span class="badge">{escape(_("Dormant"))}</span>'
    stale = f' <span class="badge badge--pending">{escape(_("Stale"))}</span>'
    statuses = {
        value: f'<span class="{_BADGE.get(value, "badge")}">{escape(str(name))}</span>'
        for value, name in Organization.Status.choices
    }
    detail, short_date, country_name = _detail_address(), _short_date_format(), _country_names()

    def row(organization) -> str:
        state, dormant_since = organization["status"], organization["dormant_since"]
        confirmed = organization["last_confirmed_at"]
        badges = statuses.get(state) or f'<span class="badge">{escape(state)}</span>'
        if organization["verified_at"]:
            badges += verified
        if dormant_since:
            badges += dormant
        is_stale = not dormant_since and confirmed and confirmed < stale_before
        return (
            f'<tr><th scope="row"><a href="{detail(organization["pk"])}">'
            f"{escape(organization['name'])}</a></th>"
            f'<td data-label="{country}">{country_name(organization["country"])}</td>'
            f'<td data-label="{city}">{escape(organization["city"])}</td>'
            f'<td data-label="{status}">{badges}</td>'
            f'<td data-label="{confirmed_label}">{short_date(confirmed)}{stale if is_stale else ""}'
            f'</td><td data-label="{updated_label}">{short_date(organization["updated_at"])}</td>'
            "</tr>"
        )

    return mark_safe("\n".join(row(organization) for organization in organizations))  # noqa: S308
