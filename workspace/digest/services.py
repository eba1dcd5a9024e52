"""The weekly digest: new posts in an organization's areas and country, and meetings ahead.

Exactly once per organization and ISO week, whatever the number of runs and workers: a run
first claims one ``DigestIssue`` row per organization for the week (INSERT … ON CONFLICT DO
NOTHING against the unique constraint), then works through the pending rows locked with
SKIP LOCKED, so concurrent runs share them out. Each row is marked sent (or skipped) in the same
transaction that queues its e-mails in the outbox: a crash before the commit leaves the row
pending for the next run and nothing queued; after it, the outbox delivers each e-mail once.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.batches import work_in_locked_batches
from mail.services import queue_email
from meetings import queries as meeting_queries
from organizations.models import Membership, Organization

from ..models import Post
from .models import DigestIssue, DigestPreference

Status = DigestIssue.Status
BATCH_SIZE = 100
TEMPLATE = "workspace/emails/digest"


def week_start(moment: datetime) -> date:
    """The Monday of the ISO week of ``moment`` in the portal's time zone."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def receives_digest(organization: Organization) -> bool:
    preference = DigestPreference.objects.filter(organization=organization).first()
    return preference is None or preference.receives_digest


def set_digest_preference(
    *, organization: Organization, receives_digest: bool, by
) -> DigestPreference:
    """Switch the organization's weekly digest on or off."""
    with transaction.atomic(durable=True):
        preference, _created = DigestPreference.objects.select_for_update().get_or_create(
            organization=organization
        )
        preference.receives_digest = receives_digest
        preference.changed_by = by
        preference.full_clean()
        preference.save()
    return preference


def eligible_organizations() -> QuerySet[Organization]:
    """Approved organizations that have not switched the digest off."""
    return Organization.objects.filter(status=Organization.Status.APPROVED).exclude(
        digest_preference__receives_digest=False
    )


def digest_posts(organization: Organization, *, since: datetime, now: datetime) -> list[Post]:
    """Posts published since ``since`` in the organization's areas or country, or meant for
    all (no country, no area); not its own, not hidden, not closed."""
    area_ids = [area.pk for area in organization.areas.all()]
    place = Q(country=organization.country) | Q(country="", areas__isnull=True)
    if area_ids:
        place |= Q(areas__in=area_ids)
    matching = (
        Post.objects.filter(
            place,
            status=Post.Status.PUBLISHED,
            closed_at__isnull=True,
            published_at__gt=since,
            published_at__lte=now,
        )
        .exclude(organization=organization)
        .values("pk")
    )
    return list(
        Post.objects.filter(pk__in=matching)
        .select_related("organization")
        .order_by("-is_pinned", "-published_at", "-pk")[: settings.WORKSPACE_DIGEST_MAX_POSTS]
    )


def send_weekly_digests(*, now: datetime | None = None) -> dict[str, int]:
    """Claim this week's digest for every eligible organization and send the pending ones."""
    now = now or timezone.now()
    week = week_start(now)
    _claim_week(week)
    # A row left pending from an earlier week is never sent late.
    DigestIssue.objects.filter(status=Status.PENDING, week_start__lt=week).update(
        status=Status.EXPIRED, processed_at=now
    )
    counts = {"sent": 0, "skipped": 0}

    def work(batch: list[DigestIssue]) -> None:
        for issue in batch:
            counts[_process(issue, now=now)] += 1

    work_in_locked_batches(
        DigestIssue.objects.filter(status=Status.PENDING, week_start=week).select_related(
            "organization"
        ),
        work,
        size=BATCH_SIZE,
        of=("self",),
    )
    return counts


def _claim_week(week: date) -> None:
    ids = eligible_organizations().order_by("pk").values_list("pk", flat=True)
    DigestIssue.objects.bulk_create(
        [DigestIssue(organization_id=pk, week_start=week) for pk in ids.iterator()],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _process(issue: DigestIssue, *, now: datetime) -> str:
    organization = issue.organization
    admins = list(
        Membership.objects.filter(
            organization=organization, role=Membership.Role.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
    )
    previous = (
        DigestIssue.objects.filter(
            organization=organization,
            status__in=[Status.SENT, Status.SKIPPED],
            week_start__lt=issue.week_start,
        )
        .order_by("-week_start")
        .first()
    )
    since = now - timedelta(days=settings.WORKSPACE_DIGEST_MAX_DAYS)
    if previous is not None and previous.processed_at:
        since = max(since, previous.processed_at)
    announced = set(previous.meeting_ids) if previous else set()
    meetings = list(
        meeting_queries.upcoming_meetings_for_organization(organization, now=now)[
            : settings.WORKSPACE_DIGEST_MAX_MEETINGS
        ]
    )
    posts = digest_posts(organization, since=since, now=now)
    has_news = posts or any(meeting.pk not in announced for meeting in meetings)
    issue.processed_at = now
    if (
        not has_news
        or not admins
        or organization.status != Organization.Status.APPROVED
        or not receives_digest(organization)
    ):
        issue.status = Status.SKIPPED
        issue.save(update_fields=["status", "processed_at"])
        return "skipped"
    settings_url = f"{settings.SITE_URL}{reverse('workspace:digest_settings')}"
    context = {
        "organization": organization,
        "posts": posts,
        "meetings": meetings,
        "week": issue.week_start,
        "site_url": settings.SITE_URL,
        "board_url": f"{settings.SITE_URL}{reverse('workspace:board')}",
        "settings_url": settings_url,
    }
    for membership in admins:
        queue_email(
            to=membership.user.email,
            template=TEMPLATE,
            context=context,
            language=membership.user.language,
            # Next week's digest replaces it: no point delivering it after that.
            not_after=now + timedelta(days=7),
            headers={"List-Unsubscribe": f"<{settings_url}>"},
        )
    issue.status = Status.SENT
    issue.post_count = len(posts)
    issue.meeting_ids = [meeting.pk for meeting in meetings]
    issue.recipient_count = len(admins)
    issue.save(
        update_fields=["status", "processed_at", "post_count", "meeting_ids", "recipient_count"]
    )
    return "sent"
