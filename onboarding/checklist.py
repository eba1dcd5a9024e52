"""The checklist an approved organization's members follow; other apps tick items here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import providers
from .models import ChecklistItem, Guide

Key = ChecklistItem.Key

# Items a member ticks by hand; the check-in is ticked by the meetings app when the
# organization answers an invitation.
TICKED_BY_MEMBERS = {Key.PROFILE, Key.COMMUNITY, Key.GUIDE}


def mark_done(*, organization, key: str, by=None) -> ChecklistItem:
    """Tick the item ``key`` for the organization; ticking it again changes nothing.

    Safe inside the caller's transaction (the meetings app calls it from its RSVP service).
    """
    if key not in Key.values:
        raise ValidationError(_("Unknown checklist item."))
    with transaction.atomic():
        item, _created = ChecklistItem.objects.get_or_create(
            organization=organization, key=key, defaults={"done_by": by}
        )
    return item


def channels_page() -> str:
    """The page of community channels an app registered (the workspace's), or ""."""
    return providers.community_page()


def published_guides(language: str):
    return Guide.objects.filter(is_published=True, language=language)


def checklist(organization, *, language: str) -> list[dict]:
    """Return the organization's items in order with whether each is done and where it leads."""
    done = {item.key: item for item in organization.checklist_items.all()}
    guide = published_guides(language).filter(topic=Guide.Topic.WORKSPACE).first()
    links = {
        Key.PROFILE: reverse("organizations:manage_edit", kwargs={"slug": organization.slug}),
        Key.COMMUNITY: channels_page(),
        Key.GUIDE: guide.get_absolute_url() if guide else "",
        Key.CHECKIN: "",
    }
    items = []
    for key in Key:
        items.append(
            {
                "key": key.value,
                "label": key.label,
                "done": key.value in done,
                "done_at": done[key.value].done_at if key.value in done else None,
                "link": links[key],
                "tickable": key in TICKED_BY_MEMBERS,
            }
        )
    return items


def progress(organization) -> tuple[int, int]:
    """(done, total) for staff."""
    return organization.checklist_items.count(), len(Key)
