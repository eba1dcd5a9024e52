"""The roster's part of a person's data (see privacy/providers.py): found by keys, never names."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mail.models import OutgoingEmail

from .models import ContactMessage, Expert, MeetingInvitation


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_user(user) -> dict:
    """Return the user's listing with its consent, the invitations it received and the
    messages the user sent to experts or received as one (never another person's address)."""
    listing = Expert.objects.filter(user=user).prefetch_related("expertise").first()
    sent = (
        ContactMessage.objects.filter(sender=user)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    received = (
        ContactMessage.objects.filter(recipient=user)
        .select_related("sender")
        .order_by("created_at", "pk")
    )
    return {
        "listing": (
            {
                "headline": listing.headline,
                "fields_of_expertise": [field.slug for field in listing.expertise.all()],
                "languages": listing.languages,
                "country": listing.country.code or "",
                "availability": listing.availability,
                "about": listing.bio,
                "visibility": listing.visibility,
                "hidden": listing.is_hidden,
                "consent_at": _when(listing.consent_at),
                "consent_version": listing.consent_version,
                "consent_language": listing.consent_language,
                "created_at": _when(listing.created_at),
                "updated_at": _when(listing.updated_at),
                "meeting_invitations": [
                    {
                        "meeting": invitation.meeting.title,
                        "starts_at": _when(invitation.meeting.starts_at),
                        "invited_at": _when(invitation.created_at),
                    }
                    for invitation in MeetingInvitation.objects.filter(expert=listing)
                    .select_related("meeting")
                    .order_by("pk")
                ],
            }
            if listing
            else None
        ),
        "messages_sent_to_experts": [
            {
                "to": message.recipient.full_name,
                "message": message.message,
                "sent_at": _when(message.created_at),
            }
            for message in sent
        ],
        "messages_received_as_expert": [
            {
                "from": message.sender.full_name,
                "message": message.message,
                "sent_at": _when(message.created_at),
            }
            for message in received
        ],
    }


def erase_user(user) -> None:
    """Remove the listing, its invitations and every message the user sent or received.

    E-mails the user sent to experts carry their address in Reply-To and their name in the
    text: their headers go, and their bodies once they are final (the mail app removes the
    e-mails to the user's own address).
    """
    with transaction.atomic():
        written = ContactMessage.objects.filter(sender=user).values_list("email_uuids", flat=True)
        uuids = [uuid for row in written for uuid in row]
        if uuids:
            emails = OutgoingEmail.objects.filter(uuid__in=uuids)
            emails.update(headers={})
            emails.exclude(
                status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
            ).update(subject="—", body_text="", body_html="", redacted_at=timezone.now())
        ContactMessage.objects.filter(Q(sender=user) | Q(recipient=user)).delete()
        MeetingInvitation.objects.filter(invited_by=user).update(invited_by=None)
        Expert.objects.filter(user=user).delete()
