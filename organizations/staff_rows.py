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


# The columns the rows read: the rest of an organization stays in the database.
LIST_FIELDS = (
    "name",
    "country",
    "city",
    "status",
    "verified_at",
    "dormant_since",
    "last_confirmed_at",
    "updated_at",
)
REVIEW_FIELDS = ("name", "country", "city", "updated_at")

_REVIEW_ROW = '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td></tr>'


def _detail_pattern() -> str:
    """The detail page's address with ``{}`` for the key (one reverse() per page)."""
    return reverse("staff_organizations:detail", args=[987654321]).replace("987654321", "{}")


def _short_date_format():
    pattern = get_format("SHORT_DATE_FORMAT")

    def short_date(moment) -> str:
        # As the template's |date:"SHORT_DATE_FORMAT": in the current time zone.
        return dateformat.format(localtime(moment), pattern) if moment else ""

    return short_date


def review_rows(organizations) -> SafeString:
    """The review queue's rows: name, country, city, submitted."""
    detail, short_date = _detail_pattern(), _short_date_format()
    return format_html_join(
        "\n",
        _REVIEW_ROW,
        (
            (
                detail.format(organization.pk),
                organization.name,
                organization.country.name,
                organization.city,
                short_date(organization.updated_at),
            )
            for organization in organizations
        ),
    )


def organization_rows(organizations, *, stale_before) -> SafeString:
    country, city, status = _("Country"), _("City"), _("Status")
    confirmed_label, updated_label = _("Last confirmed current"), _("Last updated")
    verified = format_html(' <span class="badge badge--approved">{}</span>', _("Verified"))
    dormant = format_html(' <span class="badge">{}</span>', _("Dormant"))
    stale = format_html(' <span class="badge badge--pending">{}</span>', _("Stale"))
    status_names = {value: str(name) for value, name in Organization.Status.choices}
    detail, short_date = _detail_pattern(), _short_date_format()

    def cells(organization):
        confirmed = organization.last_confirmed_at
        is_stale = not organization.dormant_since and confirmed and confirmed < stale_before
        badges = format_html(
            '<span class="{}">{}</span>{}{}',
            _BADGE.get(organization.status, "badge"),
            status_names.get(organization.status, organization.status),
            verified if organization.verified_at else "",
            dormant if organization.dormant_since else "",
        )
        return (
            detail.format(organization.pk),
            organization.name,
            country,
            organization.country.name,
            city,
            organization.city,
            status,
            badges,
            confirmed_label,
            short_date(confirmed),
            stale if is_stale else "",
            updated_label,
            short_date(organization.updated_at),
        )

    return format_html_join("\n", _ROW, (cells(organization) for organization in organizations))
