"""Reads the meeting pages, the home page, the profile and the API share; fixed query counts."""

from datetime import datetime

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from core import search
from organizations.models import Organization

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, Minutes, Series

PRESENTER_FIELDS = ("presenter__name", "presenter__slug", "presenter__status")


def public_meetings() -> QuerySet[Meeting]:
    """Meetings with a public page: every one but drafts; staff-only columns left behind."""
    return Meeting.objects.exclude(status=Meeting.Status.DRAFT).defer(
        "staff_notes", "search_document"
    )


def upcoming_meetings(*, now: datetime | None = None) -> QuerySet[Meeting]:
    """Public meetings that have not ended yet (cancelled ones too, marked), soonest first."""
    now = now or timezone.now()
    return (
        public_meetings()
        .filter(ends_at__gte=now, status__in=[Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED])
        .select_related("series")
        .order_by("starts_at", "pk")
    )


def upcoming_meetings_for_organization(
    organization: Organization, *, now: datetime | None = None
) -> QuerySet[Meeting]:
    """Scheduled meetings ahead that concern the organization: those for everyone and those for
    the community of its host country."""
    now = now or timezone.now()
    return upcoming_meetings(now=now).filter(
        Q(scope=Meeting.Scope.EVERYONE)
        | Q(scope=Meeting.Scope.COUNTRY, host_country=organization.country),
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=now,
    )


def archive_meetings() -> QuerySet[Meeting]:
    """Meetings whose minutes are published, latest first, with their summaries."""
    return (
        public_meetings()
        .filter(minutes__status=Minutes.Status.PUBLISHED)
        .select_related("series", "minutes")
        .prefetch_related("minutes__summaries")
        .order_by("-starts_at", "pk")
    )


def search_archive(queryset: QuerySet[Meeting], text: str) -> QuerySet[Meeting]:
    """Keep the meetings whose folded text has every folded word of ``text`` as a word prefix."""
    for word in search.words(text)[:12]:
        queryset = queryset.filter(search_document__contains=f" {word}")
    return queryset


def archive_years() -> list[int]:
    dates = archive_meetings().order_by().dates("starts_at", "year", order="DESC")
    return [moment.year for moment in dates]


def series_with_meetings() -> QuerySet[Series]:
    return Series.objects.filter(meetings__in=public_meetings()).distinct().order_by("name")


def latest_summaries(*, limit: int = 3) -> QuerySet[Meeting]:
    """The latest published summaries (lazy: a page's cached fragment may not need them)."""
    return archive_meetings()[:limit]


def meeting_page(slug: str) -> Meeting | None:
    """The public meeting with ``slug`` and its minutes, or None; its agenda, action items,
    summaries and decisions come with ``meeting_page_parts`` (read where they are shown)."""
    return public_meetings().select_related("series", "minutes").filter(slug=slug).first()


def meeting_page_parts(meeting: Meeting) -> Meeting:
    """Load the meeting page's agenda, action items, summaries and decisions (four queries
    with minutes, two without)."""
    prefetch_related_objects(
        [meeting],
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("presenter").only(
                "meeting_id",
                "position",
                "title",
                "description",
                "duration_minutes",
                "notes",
                "not_reached",
                *PRESENTER_FIELDS,
            ),
        ),
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("responsible").only(
                "meeting_id",
                "text",
                "due_on",
                "status",
                "position",
                "responsible__name",
                "responsible__slug",
                "responsible__status",
            ),
        ),
        "minutes__summaries",
        "minutes__decisions",
    )
    return meeting


def staff_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("series", "minutes").order_by("-starts_at", "pk")


def staff_meeting(pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("series", "minutes")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("responsible")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("organization")),
            "minutes__summaries",
            Prefetch("minutes__decisions", queryset=Decision.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's agenda in order with its presenters: one query (the staff agenda editor)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter")
        .order_by("position", "pk")
    )


def open_action_items() -> QuerySet[ActionItem]:
    """Open action items across meetings, the most urgent first (no due date last)."""
    return (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .select_related("meeting", "responsible", "carried_into__meeting")
        .order_by(F("due_on").asc(nulls_last=True), "meeting__starts_at", "position", "pk")
    )


def organization_action_items(organization: Organization) -> list[ActionItem]:
    """The items the organization is responsible for, from published minutes, open ones first."""
    return list(
        ActionItem.objects.filter(
            responsible=organization, meeting__minutes__status=Minutes.Status.PUBLISHED
        )
        .select_related("meeting")
        .order_by(
            Case(
                When(status=ActionItem.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            F("due_on").asc(nulls_last=True),
            "-meeting__starts_at",
            "pk",
        )
    )


def api_meetings(*, now: datetime | None = None) -> QuerySet[Meeting]:
    """Public meetings that are upcoming or have published minutes, with what the API shows."""
    now = now or timezone.now()
    return (
        public_meetings()
        .filter(
            Q(ends_at__gte=now, status=Meeting.Status.SCHEDULED)
            | Q(status=Meeting.Status.CANCELLED, ends_at__gte=now)
            | Q(minutes__status=Minutes.Status.PUBLISHED)
        )
        .select_related("series", "minutes")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("responsible")),
            "minutes__summaries",
            "minutes__decisions",
        )
        .order_by("-starts_at", "pk")
    )


def count_attending_organizations(organizations) -> int:
    """How many of ``organizations`` attended at least one meeting (the onboarding funnel)."""
    return organizations.filter(attendances__isnull=False).distinct().count()
