"""Country liaisons: people staff name for a meeting of one host country, who see the
organizations of their country with their answers and invite more of them."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations import queries as organization_queries
from organizations.models import Organization

from .models import Invitation, Liaison, Meeting

logger = logging.getLogger(__name__)


def is_liaison(user, meeting: Meeting) -> bool:
    """Whether the user is a country liaison of this (country-scoped) meeting."""
    if not getattr(user, "is_authenticated", False) or meeting.scope != Meeting.Scope.COUNTRY:
        return False
    return Liaison.objects.filter(meeting=meeting, user=user).exists()


@transaction.atomic
def assign_liaison(meeting: Meeting, user, *, by) -> Liaison:
    if meeting.scope != Meeting.Scope.COUNTRY:
        raise ValidationError(
            _("Only a meeting for one host country has country liaisons."), code="not_country"
        )
    liaison, _created = Liaison.objects.get_or_create(meeting=meeting, user=user)
    logger.info(
        "meeting liaison: meeting=%s user=%s by=%s", meeting.pk, user.pk, getattr(by, "pk", None)
    )
    return liaison


@transaction.atomic
def remove_liaison(liaison: Liaison, *, by) -> None:
    liaison.delete()


def country_answers(meeting: Meeting) -> list[tuple[Organization, Invitation | None]]:
    """What a liaison sees: each invited organization of the host country with its latest
    answer. Never the addresses: contact persons' addresses are private (staff and the
    organization's admins only)."""
    invited = (
        Invitation.objects.filter(meeting=meeting, organization__country=meeting.host_country)
        .select_related("organization")
        .only("organization__name", "organization__slug", "answer", "people", "comment")
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


def country_candidates(meeting: Meeting) -> QuerySet[Organization]:
    """Approved organizations of the host country none of whose addresses is invited yet."""
    return (
        organization_queries.listed_organizations()
        .filter(country=meeting.host_country)
        .exclude(meeting_invitations__meeting=meeting)
        .only("pk", "name", "city", "country")
        .order_by("name", "pk")
    )
