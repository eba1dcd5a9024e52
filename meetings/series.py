"""A series across its meetings: the next meeting with the audience the series remembers, the
organizations that stayed away twice in a row, and the standing country liaisons."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations import queries as organization_queries
from organizations.models import Membership, Organization

from . import audiences, invitations, services
from .models import Invitation, Meeting, Series, SeriesLiaison

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


# --- Standing country liaisons -------------------------------------------------------------


def liaison_countries(user, meeting: Meeting) -> list[str]:
    """The countries whose answers the user sees for this meeting as a standing liaison of its
    series (a meeting for one host country: only that one); one query."""
    if not getattr(user, "is_authenticated", False) or meeting.series_id is None:
        return []
    countries = SeriesLiaison.objects.filter(series_id=meeting.series_id, user=user)
    if meeting.scope == Meeting.Scope.COUNTRY:
        countries = countries.filter(country=meeting.host_country)
    return sorted({str(code) for code in countries.values_list("country", flat=True)})


def liaison_access(user, meeting: Meeting) -> list[str]:
    """The countries the user is the liaison of for this meeting: a standing liaison's countries
    for a meeting of a series, the host country for a liaison named on a meeting outside one."""
    if meeting.series_id is not None:
        return liaison_countries(user, meeting)
    if invitations.is_liaison(user, meeting):
        return [str(meeting.host_country)]
    return []


def series_liaisons(series: Series) -> QuerySet[SeriesLiaison]:
    return (
        SeriesLiaison.objects.filter(series=series)
        .select_related("user")
        .order_by("country", "user__email", "pk")
    )


@transaction.atomic
def name_liaison(*, series: Series, country: str, user, by) -> SeriesLiaison:
    """Name ``user`` the series' standing liaison for ``country``; they must be an admin of an
    approved organization in that country."""
    admin_there = Membership.objects.filter(
        user=user,
        role=Membership.Role.ADMIN,
        organization__country=country,
        organization__status=Organization.Status.APPROVED,
    ).exists()
    if not admin_there:
        raise ValidationError(
            _("A liaison must be an admin of an approved organization in that country."),
            code="not_admin_in_country",
        )
    liaison, created = SeriesLiaison.objects.get_or_create(
        series=series,
        country=country,
        user=user,
        defaults={"created_by": by if getattr(by, "pk", None) else None},
    )
    logger.info(
        "series liaison named: series=%s country=%s user=%s new=%s by=%s",
        series.pk,
        country,
        user.pk,
        created,
        getattr(by, "pk", None),
    )
    return liaison


@transaction.atomic
def remove_liaison(*, liaison: SeriesLiaison, by) -> None:
    """End a standing liaison: from now on they see none of the series' meetings."""
    logger.info(
        "series liaison removed: series=%s country=%s user=%s by=%s",
        liaison.series_id,
        liaison.country,
        liaison.user_id,
        getattr(by, "pk", None),
    )
    liaison.delete()


def country_answers(
    meeting: Meeting, countries: list[str]
) -> list[tuple[Organization, Invitation | None]]:
    """What a standing liaison sees: each invited organization of their countries with its
    latest answer; one query. Never the addresses (contact persons' addresses are private)."""
    invited = (
        Invitation.objects.filter(meeting=meeting, organization__country__in=countries)
        .select_related("organization")
        .only(
            "organization__name",
            "organization__slug",
            "organization__country",
            "answer",
            "people",
            "comment",
        )
        .order_by("organization__name", "organization_id", "-answered_at", "-pk")
    )
    rows: dict[int, tuple[Organization, Invitation | None]] = {}
    for invitation in invited:
        current = rows.get(invitation.organization_id)
        if current is None or (current[1] is None and invitation.answer):
            rows[invitation.organization_id] = (
                invitation.organization,
                invitation if invitation.answer else None,
            )
    return list(rows.values())


def country_candidates(meeting: Meeting, countries: list[str]) -> QuerySet[Organization]:
    """Approved organizations of the liaison's countries none of whose addresses is invited."""
    return (
        invitations.within_scope(
            meeting,
            organization_queries.listed_organizations()
            .filter(country__in=countries)
            .exclude(meeting_invitations__meeting=meeting),
        )
        .only("pk", "name", "city", "country")
        .order_by("name", "pk")
    )
