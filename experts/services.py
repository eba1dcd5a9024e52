"""Every change to the expert roster: listings, messages to experts, meeting invitations."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import search
from core.batches import delete_in_batches
from core.cache import count_in_window
from mail.services import queue_email
from meetings.models import Meeting
from organizations.models import Membership, Organization

from .access import has_verified_email
from .models import ContactMessage, Expert, Expertise, MeetingInvitation

CONTACT_RATE_WINDOW_SECONDS = 3600
LISTING_FIELDS = ("headline", "languages", "country", "availability", "bio", "visibility")


class ContactRefused(ValidationError):
    """A message the portal will not pass on now; ``code`` says why (rate_limited, self)."""


def consent_is_current(expert: Expert | None) -> bool:
    return expert is not None and expert.consent_version == settings.EXPERTS_CONSENT_VERSION


def save_listing(*, user, data: dict, expertise: list[Expertise], consent: bool, by) -> Expert:
    """Create or change the user's own listing; a new one, or one whose consent text changed,
    needs the consent given now (its version and language are recorded)."""
    if by.pk != user.pk:
        raise PermissionDenied
    if not has_verified_email(user):
        raise ValidationError(_("Verify your e-mail address before you list yourself."))
    if not user.full_name.strip():
        raise ValidationError(
            _("Add your full name on the My account page first: experts are listed by name."),
            code="name",
        )
    with transaction.atomic(durable=True):
        expert = Expert.objects.select_for_update().filter(user=user).first() or Expert(user=user)
        if not consent and not consent_is_current(expert if expert.pk else None):
            raise ValidationError(
                _("Give your consent to be listed on the expert roster."), code="consent"
            )
        for name in LISTING_FIELDS:
            if name in data:
                setattr(expert, name, data[name])
        if consent:
            expert.consent_at = timezone.now()
            expert.consent_version = settings.EXPERTS_CONSENT_VERSION
            expert.consent_language = translation.get_language() or user.language
        expert.full_clean(exclude=["expertise"])
        expert.save()
        expert.expertise.set(expertise)
        search.refresh(expert)
    return expert


def set_hidden(*, expert: Expert, hidden: bool, by) -> Expert:
    """Hide the listing from everyone, or show it again to whom it chose."""
    if by.pk != expert.user_id:
        raise PermissionDenied
    expert.is_hidden = hidden
    expert.save(update_fields=["is_hidden", "updated_at"])
    return expert


def delete_listing(*, user, by) -> bool:
    """Remove the user's listing with its invitations; return whether there was one."""
    if by.pk != user.pk:
        raise PermissionDenied
    deleted, _rows = Expert.objects.filter(user=user).delete()
    return bool(deleted)


def _sender_organizations(sender) -> list[str]:
    return list(
        Membership.objects.filter(user=sender, organization__status=Organization.Status.APPROVED)
        .order_by("organization__name")
        .values_list("organization__name", flat=True)
    )


def _check_may_contact(expert: Expert, sender) -> None:
    if expert.user_id == sender.pk:
        raise ContactRefused(_("This is your own listing."), code="self")
    sent = count_in_window(
        f"experts:contacts:user:{sender.pk}", seconds=CONTACT_RATE_WINDOW_SECONDS
    )
    if sent > settings.EXPERTS_CONTACTS_PER_SENDER_PER_HOUR:
        raise ContactRefused(
            _(
                "You have sent many messages to experts in the last hour. Your message was not "
                "sent; try again later."
            ),
            code="rate_limited",
        )


def contact_expert(*, expert: Expert, sender, message: str, staff: bool) -> ContactMessage:
    """E-mail the expert the sender's message; the sender gets a copy without the address.

    The expert answers to the sender's address (Reply-To: the sender chose to write), so the
    expert's own address reaches nobody unless the expert replies.
    """
    _check_may_contact(expert, sender)
    recipient = expert.user
    context = {
        "sender_name": sender.full_name or sender.email,
        "sender_is_staff": staff,
        "sender_organizations": _sender_organizations(sender),
        "expert_name": expert.name,
        "message": message,
        "listing_url": f"{settings.SITE_URL}{reverse('experts:me')}",
    }
    with transaction.atomic(durable=True):
        to_expert = queue_email(
            to=recipient.email,
            template="experts/emails/contact",
            context=context,
            language=recipient.language,
            headers={"Reply-To": sender.email},
        )
        copy = queue_email(
            to=sender.email,
            template="experts/emails/contact_copy",
            context=context,
            language=sender.language,
        )
        contact = ContactMessage(
            sender=sender,
            recipient=recipient,
            message=message,
            email_uuids=[to_expert.uuid, copy.uuid],
        )
        contact.full_clean()
        contact.save()
    return contact


def invite_to_meeting(*, expert: Expert, meeting: Meeting, by) -> tuple[MeetingInvitation, bool]:
    """Invite the expert to the meeting by e-mail, once: a second invitation sends nothing."""
    if meeting.status != Meeting.Status.SCHEDULED or meeting.starts_at <= timezone.now():
        raise ValidationError(_("Experts can be invited only to scheduled meetings ahead."))
    with transaction.atomic(durable=True):
        invitation, created = MeetingInvitation.objects.get_or_create(
            expert=expert, meeting=meeting, defaults={"invited_by": by}
        )
        if created:
            recipient = expert.user
            detail = reverse("meetings:detail", kwargs={"slug": meeting.slug})
            ics = reverse("meetings:ics", kwargs={"slug": meeting.slug})
            queue_email(
                to=recipient.email,
                template="experts/emails/invitation",
                context={
                    "expert_name": expert.name,
                    "meeting": meeting,
                    "starts_at": timezone.localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)),
                    "meeting_url": f"{settings.SITE_URL}{detail}",
                    "ics_url": f"{settings.SITE_URL}{ics}",
                },
                language=recipient.language,
            )
    return invitation, created


def purge_contact_messages() -> int:
    """Delete messages to experts older than EXPERTS_CONTACT_RETENTION_DAYS, in batches."""
    cutoff = timezone.now() - timedelta(days=settings.EXPERTS_CONTACT_RETENTION_DAYS)
    return delete_in_batches(ContactMessage.objects.filter(created_at__lt=cutoff))
