"""A series across its meetings: the next meeting with the audience the series remembers and
the organizations that stayed away twice in a row (its standing liaisons: liaisons.py)."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from . import audiences, services
from .models import Meeting, Series

logger = logging.getLogger(__name__)


# --- The next meeting with its audience ----------------------------------------------------


@transaction.atomic
def schedule_next_with_audience(
    *, meeting: Meeting, by, starts_at: datetime, added: list[Organization]
) -> tuple[Meeting, int]:
    """Create the series' next meeting, schedule it and invite the series' audience plus the
    ``added`` organizations; return it and how many invitations are new.

    One confirmation does it all; the e-mails go out through the invitation task after the
    commit, never from the request.
    """
    remembered = audiences.remembered(meeting.series)
    if not remembered.audiences and not added:
        raise ValidationError(
            _("The series has no audience yet: invite organizations to one of its meetings."),
            code="no_audience",
        )
    next_meeting = services.schedule_next_meeting(meeting=meeting, by=by, starts_at=starts_at)
    next_meeting = services.schedule_meeting(meeting=next_meeting, by=by)
    chosen = list(remembered.audiences)
    if added:
        chosen.append(audiences.Audience(organization_ids=tuple(sorted(o.pk for o in added))))
    created = audiences.invite_audiences(next_meeting, chosen, by=by)
    logger.info(
        "next meeting with its audience: meeting=%s from=%s invitations=%s by=%s",
        next_meeting.pk,
        meeting.pk,
        created,
        getattr(by, "pk", None),
    )
    return next_meeting, created


def absent_twice(meeting: Meeting) -> list[Organization]:
    """Organizations invited to each of the series' last two held meetings before this one that
    attended neither: two queries."""
    if meeting.series_id is None:
        return []
    previous = list(
        Meeting.objects.filter(
            series_id=meeting.series_id,
            status=Meeting.Status.HELD,
            starts_at__lt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at", "-pk")
        .values_list("pk", flat=True)[:2]
    )
    if len(previous) < 2:
        return []
    last, before = previous
    return list(
        Organization.objects.filter(meeting_invitations__meeting_id=last)
        .filter(meeting_invitations__meeting_id=before)
        .exclude(attendances__meeting_id__in=previous)
        .distinct()
        .only("pk", "name", "slug", "city", "country")
        .order_by("name", "pk")
    )


def series_meetings(series: Series) -> QuerySet[Meeting]:
    """The series' meetings for its staff page, latest first."""
    return (
        Meeting.objects.filter(series=series)
        .only("pk", "title", "number", "starts_at", "status", "time_zone", "series_id")
        .order_by("-starts_at", "-pk")
    )
