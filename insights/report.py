"""The annual report: what the ministry did with the diaspora in one calendar year."""

from datetime import date

from django.db.models import Count, Prefetch

from meetings.models import ActionItem, Decision, Meeting
from organizations.models import Organization
from workspace.models import Interest, Post
from workspace.queries import PIPELINE_KINDS

from . import queries
from .periods import Period


def year_period(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))


def check_ins(period: Period):
    """The year's check-ins with their decisions and action items (four queries)."""
    return (
        Meeting.objects.filter(
            kind=Meeting.Kind.CHECK_IN,
            starts_at__gte=period.start_at(),
            starts_at__lt=period.end_at(),
        )
        .exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .select_related("minutes")
        .annotate(organizations_attending=Count("attendances", distinct=True))
        .prefetch_related(
            Prefetch("minutes__decisions", queryset=Decision.objects.order_by("position", "pk")),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("responsible").order_by(
                    "position", "pk"
                ),
            ),
        )
        .defer("staff_notes", "search_document")
        .order_by("starts_at", "pk")
    )


def new_organizations(period: Period):
    return (
        Organization.objects.filter(
            approved_at__gte=period.start_at(), approved_at__lt=period.end_at()
        )
        .only("name", "slug", "country", "city", "status", "approved_at")
        .order_by("country", "name", "pk")
    )


def dormant_organizations(period: Period):
    return (
        Organization.objects.filter(
            dormant_since__gte=period.start_at(), dormant_since__lt=period.end_at()
        )
        .only("name", "slug", "country", "city", "status", "dormant_since")
        .order_by("country", "name", "pk")
    )


def pipeline(period: Period):
    """The year's project ideas and calls, each with its accepted partners (two queries)."""
    return (
        Post.objects.filter(
            kind__in=PIPELINE_KINDS,
            published_at__gte=period.start_at(),
            published_at__lt=period.end_at(),
        )
        .select_related("organization")
        .only("title", "kind", "stage", "published_at", "organization__name", "municipality")
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=Interest.objects.filter(status=Interest.Status.ACCEPTED)
                .select_related("organization")
                .only("post_id", "organization__name")
                .order_by("organization__name"),
                to_attr="partners",
            )
        )
        .order_by("stage", "-published_at", "pk")
    )


def action_item_outcomes(meetings) -> dict[str, int]:
    """Open, done and dropped action items among the loaded meetings (no query)."""
    counts = {status.value: 0 for status in ActionItem.Status}
    for meeting in meetings:
        for item in meeting.action_items.all():
            counts[item.status] += 1
    return counts


def report(year: int) -> dict:
    period = year_period(year)
    meetings = list(check_ins(period))
    return {
        "year": year,
        "period": period,
        "check_ins": meetings,
        "outcomes": action_item_outcomes(meetings),
        "new_organizations": list(new_organizations(period)),
        "dormant_organizations": list(dormant_organizations(period)),
        "pipeline": list(pipeline(period)),
        "charts": queries.charts(period),
    }
