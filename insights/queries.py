"""The numbers behind the map, the charts, the public figures and the annual report.

Every function runs a fixed number of aggregate queries, whatever the size of the registry:
the database groups and counts, Python only arranges the few rows that come back.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, Value, When
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ActionItem, Attendance, Meeting
from meetings.models import Invitation as MeetingInvitation
from onboarding.models import Invitation as OnboardingInvitation
from onboarding.models import Registration
from organizations.models import Organization
from workspace.models import Interest, Post
from workspace.queries import PIPELINE_KINDS

from .periods import Period
from .svg import Chart, Series

# --- The map and the public figures -------------------------------------------------------


def listed_organizations():
    return Organization.objects.filter(status=Organization.Status.APPROVED).order_by()


def listed_by_country() -> dict[str, int]:
    """Listed organizations per country code (one query)."""
    rows = listed_organizations().values_list("country").annotate(n=Count("pk"))
    return {str(code): n for code, n in rows}


def listed_by_city(limit_per_country: int = 3) -> dict[str, list[tuple[str, int]]]:
    """The cities with the most listed organizations in each country (one query)."""
    rows = (
        listed_organizations()
        .exclude(city="")
        .values_list("country", "city")
        .annotate(n=Count("pk"))
        .order_by("country", "-n", "city")
    )
    cities: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for code, city, n in rows:
        if len(cities[str(code)]) < limit_per_country:
            cities[str(code)].append((city, n))
    return dict(cities)


def held_check_ins():
    return Meeting.objects.filter(kind=Meeting.Kind.CHECK_IN, status=Meeting.Status.HELD)


def projects_with_partners():
    """Public project ideas and calls that accepted at least one partner."""
    accepted = Interest.objects.filter(post=OuterRef("pk"), status=Interest.Status.ACCEPTED)
    return Post.objects.filter(
        kind__in=PIPELINE_KINDS,
        status=Post.Status.PUBLISHED,
        visibility=Post.Visibility.PUBLIC,
    ).filter(Exists(accepted))


def public_numbers() -> dict[str, int]:
    """The home page's figures (three queries)."""
    listed = listed_organizations().aggregate(
        organizations=Count("pk"), countries=Count("country", distinct=True)
    )
    return {
        **listed,
        "check_ins": held_check_ins().count(),
        "projects": projects_with_partners().count(),
    }


# --- The staff charts -----------------------------------------------------------------------


def _trunc(period: Period, field: str):
    return TruncYear(field) if period.by_year else TruncMonth(field)


def _counts_by_bucket(queryset, field: str, period: Period) -> dict:
    """{bucket date: count} of ``queryset`` rows whose ``field`` falls in the period."""
    rows = (
        queryset.filter(**{f"{field}__gte": period.start_at(), f"{field}__lt": period.end_at()})
        .order_by()
        .annotate(bucket=_trunc(period, field))
        .values_list("bucket")
        .annotate(n=Count("pk"))
    )
    return {period.bucket_of(bucket): n for bucket, n in rows}


def organizations_by_status(period: Period) -> Chart:
    """Organizations registered per month (or year), by their status now."""
    rows = (
        Organization.objects.filter(
            created_at__gte=period.start_at(), created_at__lt=period.end_at()
        )
        .order_by()
        .annotate(bucket=_trunc(period, "created_at"))
        .values_list("bucket", "status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(int)
    for bucket, status, n in rows:
        counts[period.bucket_of(bucket), status] += n
    buckets = period.buckets()
    statuses = [s for s in Organization.Status if s != Organization.Status.DRAFT]
    return Chart(
        slug="organizations",
        title=_("Organizations registered, by status today"),
        categories=[period.label(b) for b in buckets],
        series=[
            Series(status.label, [counts[b, status.value] for b in buckets]) for status in statuses
        ],
        note=_("Registrations still in draft are not counted."),
    )


def listed_over_time(period: Period) -> Chart:
    """Listed organizations at the end of each month (or year), by the day they were approved."""
    before = listed_organizations().filter(approved_at__lt=period.start_at()).count()
    added = _counts_by_bucket(listed_organizations(), "approved_at", period)
    buckets = period.buckets()
    running, values = before, []
    for bucket in buckets:
        running += added.get(bucket, 0)
        values.append(running)
    return Chart(
        slug="listed",
        title=_("Listed organizations over time"),
        categories=[period.label(b) for b in buckets],
        series=[Series(_("Listed organizations"), values)],
        kind="line",
        note=_("Organizations listed today, counted from the day they were approved."),
    )


def onboarding_funnel(period: Period) -> Chart:
    """Invited, started, submitted, approved and first attended, per month (or year)."""
    first_attended = (
        Attendance.objects.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(first=Min("meeting__starts_at"))
        .values("first")
    )
    onboarded = Organization.objects.filter(
        Exists(Registration.objects.filter(organization=OuterRef("pk"), submitted_at__isnull=False))
    )
    first = onboarded.annotate(first_attended=first_attended[:1]).filter(
        first_attended__isnull=False
    )
    stages = [
        (_("Invited"), _counts_by_bucket(OnboardingInvitation.objects.all(), "sent_at", period)),
        (
            _("Started a registration"),
            _counts_by_bucket(Registration.objects.all(), "created_at", period),
        ),
        (_("Submitted"), _counts_by_bucket(Registration.objects.all(), "submitted_at", period)),
        (_("Approved"), _counts_by_bucket(onboarded, "approved_at", period)),
        (_("Attended a first meeting"), _counts_by_bucket(first, "first_attended", period)),
    ]
    buckets = period.buckets()
    return Chart(
        slug="funnel",
        title=_("Onboarding by month"),
        categories=[period.label(b) for b in buckets],
        series=[Series(label, [counts.get(b, 0) for b in buckets]) for label, counts in stages],
        note=_("Each step counted in the month it happened."),
    )


# The last check-ins of a period the invitations chart shows (the rest are in its CSV).
CHECK_INS_SHOWN = 12


def check_in_invitations(period: Period, *, limit: int | None = CHECK_INS_SHOWN) -> Chart:
    """Invitations sent, answered and organizations attending, per check-in of the period."""
    meetings = (
        Meeting.objects.filter(
            kind=Meeting.Kind.CHECK_IN,
            starts_at__gte=period.start_at(),
            starts_at__lt=period.end_at(),
        )
        .exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .order_by("-starts_at", "-pk")
        .annotate(
            sent=Count(
                "invitations", filter=Q(invitations__mailed_at__isnull=False), distinct=True
            ),
            answered=Count(
                "invitations",
                filter=~Q(invitations__answer=MeetingInvitation.Answer.NONE),
                distinct=True,
            ),
            attended=Count("attendances", distinct=True),
        )
        .values_list("title", "starts_at", "sent", "answered", "attended")
    )
    if limit:
        meetings = meetings[:limit]
    rows = list(reversed(meetings))
    labels = [title for title, *_rest in rows]
    return Chart(
        slug="invitations",
        title=_("Invitations per check-in"),
        categories=labels,
        series=[
            Series(_("Invitations sent"), [row[2] for row in rows]),
            Series(_("Answered"), [row[3] for row in rows]),
            Series(_("Organizations attending"), [row[4] for row in rows]),
        ],
        kind="grouped",
        note=_("Invitations e-mailed, those answered, and organizations recorded as attending."),
    )


# Ages of action items, in days: (lower bound, label).
def _age_buckets():
    return [
        (0, _("Under a month")),
        (30, _("1 to 3 months")),
        (90, _("3 to 6 months")),
        (180, _("6 to 12 months")),
        (365, _("Over a year")),
    ]


def action_items_by_age(period: Period, *, now=None) -> Chart:
    """Action items of the period's meetings, open or closed, by how long ago they were set."""
    now = now or timezone.now()
    buckets = _age_buckets()
    age = Case(
        *[
            When(created_at__lte=now - timedelta(days=lower), then=Value(index))
            for index, (lower, _label) in reversed(list(enumerate(buckets)))
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        ActionItem.objects.filter(
            meeting__starts_at__gte=period.start_at(), meeting__starts_at__lt=period.end_at()
        )
        .order_by()
        .annotate(age=age)
        .values_list("age", "status")
        .annotate(n=Count("pk"))
    )
    counts = defaultdict(int)
    for index, status, n in rows:
        counts[index, status] += n
    statuses = list(ActionItem.Status)
    return Chart(
        slug="actions",
        title=_("Action items by age"),
        categories=[label for _lower, label in buckets],
        series=[
            Series(
                status.label,
                [counts[index, status.value] for index in range(len(buckets))],
            )
            for status in statuses
        ],
        note=_("Action items of the period's meetings, by the time since they were agreed."),
    )


def posts_by_stage(period: Period) -> Chart:
    """Project ideas and calls of the period per stage, and how many of them have partners."""
    rows = (
        Post.objects.filter(
            kind__in=PIPELINE_KINDS,
            published_at__gte=period.start_at(),
            published_at__lt=period.end_at(),
        )
        .order_by()
        .values_list("stage")
        .annotate(
            posts=Count("pk", distinct=True),
            partnered=Count(
                "pk", filter=Q(interests__status=Interest.Status.ACCEPTED), distinct=True
            ),
        )
    )
    counts = {stage: (posts, partnered) for stage, posts, partnered in rows}
    stages = list(Post.Stage)
    return Chart(
        slug="pipeline",
        title=_("Noticeboard projects by stage"),
        categories=[stage.label for stage in stages],
        series=[
            Series(
                _("Without a partner"),
                [counts.get(s.value, (0, 0))[0] - counts.get(s.value, (0, 0))[1] for s in stages],
            ),
            Series(_("With partners"), [counts.get(s.value, (0, 0))[1] for s in stages]),
        ],
        note=_("Project ideas and calls published in the period, with or without partners."),
    )


def freshness(*, now=None) -> Chart:
    """Listed organizations confirmed within the freshness period, stale, or dormant (today)."""
    now = now or timezone.now()
    stale_before = now - timedelta(days=settings.ORGANIZATION_FRESHNESS_DAYS)
    counts = listed_organizations().aggregate(
        dormant=Count("pk", filter=Q(dormant_since__isnull=False)),
        stale=Count("pk", filter=Q(dormant_since__isnull=True, last_confirmed_at__lt=stale_before)),
        fresh=Count(
            "pk", filter=Q(dormant_since__isnull=True, last_confirmed_at__gte=stale_before)
        ),
    )
    labels = [
        ("fresh", _("Confirmed within a year")),
        ("stale", _("Not confirmed for over a year")),
        ("dormant", _("Dormant")),
    ]
    return Chart(
        slug="freshness",
        title=_("Freshness of listed organizations"),
        categories=[label for _key, label in labels],
        series=[Series(_("Organizations"), [counts[key] for key, _label in labels])],
        note=_("Today, whatever the period."),
    )


CHARTS = {
    "organizations": organizations_by_status,
    "listed": listed_over_time,
    "funnel": onboarding_funnel,
    "invitations": check_in_invitations,
    "actions": action_items_by_age,
    "pipeline": posts_by_stage,
    "freshness": lambda period: freshness(),
}


def charts(period: Period) -> list[Chart]:
    return [build(period) for build in CHARTS.values()]
