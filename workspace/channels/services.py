"""Community channels: the reads the channels page needs and the staff's changes.

A join link is the way into a closed group, so it is shown only to members of approved
organizations (and to a staff session that passed the second factor, as staff keep the
channels); everyone else sees that the channel exists
and how to get access.
"""

from itertools import groupby

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onboarding import checklist
from onboarding.models import ChecklistItem
from organizations.models import Membership, Organization

from .models import Channel

Audience = Channel.Audience


def channels() -> QuerySet[Channel]:
    """Every channel with its area, for everyone first, then by country, then by area."""
    return Channel.objects.select_related("area").order_by(
        "position", "name", "pk"
    )  # grouped in Python: country names depend on the language


def grouped_channels(channel_list: list[Channel]) -> list[dict]:
    """Group the channels under a heading: everyone, each host country, each area."""

    def group_key(channel: Channel):
        if channel.audience == Audience.COUNTRY:
            return (1, str(channel.country.name), channel.country.code)
        if channel.audience == Audience.AREA:
            return (2, channel.area.position, channel.area.slug)
        return (0, "", "")

    groups = []
    for key, members in groupby(sorted(channel_list, key=group_key), key=group_key):
        members = list(members)
        first = members[0]
        if key[0] == 0:
            title = _("For everyone")
        elif key[0] == 1:
            title = first.country.name
        else:
            title = first.area.name
        groups.append({"title": title, "slug": f"{first.audience}-{key[2]}", "channels": members})
    return groups


def approved_memberships(user) -> list[Membership]:
    """The user's memberships in approved organizations, with their organization."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, organization__status=Organization.Status.APPROVED)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def may_see_join_links(memberships: list[Membership], *, staff: bool) -> bool:
    """Members of an approved organization and a staff session (``is_staff_session``) see them."""
    return bool(memberships) or staff


def organizations_that_joined(memberships: list[Membership]) -> set[int]:
    """Ids of the user's organizations whose checklist has "joined the community channel"."""
    if not memberships:
        return set()
    return set(
        ChecklistItem.objects.filter(
            organization__in=[m.organization_id for m in memberships],
            key=ChecklistItem.Key.COMMUNITY,
        ).values_list("organization_id", flat=True)
    )


def mark_joined(*, organization: Organization, by) -> None:
    """Tick "join the community channel" on the organization's onboarding checklist."""
    with transaction.atomic(durable=True):
        checklist.mark_done(organization=organization, key=checklist.Key.COMMUNITY, by=by)


def save_channel(*, form, by) -> Channel:
    """Save a validated channel form."""
    with transaction.atomic(durable=True):
        channel = form.save(commit=False)
        channel.full_clean()
        channel.save()
    return channel


def delete_channel(*, channel: Channel, by) -> None:
    """Remove a channel from the page."""
    with transaction.atomic(durable=True):
        channel.delete()
