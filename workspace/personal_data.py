"""The workspace's part of a person's data: what they wrote, for export and for erasure."""

from django.db import transaction

from .digest.models import DigestPreference
from .models import (
    Attachment,
    ExpertInvitation,
    FocalPoint,
    Interest,
    ModerationEntry,
    Post,
    StageChange,
)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_user(user) -> dict:
    """Return, JSON-serializable, the posts the user wrote and the interest they sent."""
    posts = (
        Post.objects.filter(author=user)
        .select_related("organization")
        .prefetch_related("areas")
        .order_by("published_at", "pk")
    )
    interests = (
        Interest.objects.filter(sent_by=user)
        .select_related("post", "organization")
        .order_by("created_at", "pk")
    )
    point = FocalPoint.objects.filter(user=user).first()
    return {
        "posts": [
            {
                "id": post.pk,
                "kind": post.kind,
                "title": post.title,
                "body": post.body,
                "organization": post.organization.name if post.organization_id else None,
                "municipality": post.municipality,
                "country": post.country.code or "",
                "city": post.city,
                "areas": [area.slug for area in post.areas.all()],
                "deadline": _when(post.deadline),
                "contact_name": post.contact_name,
                "contact_email": post.contact_email,
                "contact_phone": post.contact_phone,
                "status": post.status,
                "visibility": post.visibility,
                "published_at": _when(post.published_at),
            }
            for post in posts
        ],
        "interests": [
            {
                "post": interest.post.title,
                "post_id": interest.post_id,
                "organization": interest.organization.name,
                "message": interest.message,
                "status": interest.status,
                "sent_at": _when(interest.created_at),
            }
            for interest in interests
        ],
        "focal_point": (
            {
                "municipality": point.municipality,
                "position": point.position,
                "message": point.message,
                "status": point.status,
                "applied_at": _when(point.created_at),
            }
            if point
            else None
        ),
        "stage_notes": [
            {
                "post": change.post.title,
                "post_id": change.post_id,
                "stage": change.stage,
                "note": change.note,
                "changed_at": _when(change.created_at),
            }
            for change in StageChange.objects.filter(changed_by=user)
            .select_related("post")
            .order_by("pk")
        ],
        "digest_preferences": _export_digest_preferences(user),
        "homeland_call_invitations_as_expert": [
            {
                "post": invitation.post.title,
                "post_id": invitation.post_id,
                "invited_at": _when(invitation.created_at),
            }
            for invitation in ExpertInvitation.objects.filter(expert__user=user)
            .select_related("post")
            .order_by("pk")
        ],
    }


def _export_digest_preferences(user) -> list[dict]:
    """The weekly digest switches the user set for their organizations."""
    return [
        {
            "organization": preference.organization.name,
            "receives_digest": preference.receives_digest,
            "changed_at": _when(preference.updated_at),
        }
        for preference in DigestPreference.objects.filter(changed_by=user)
        .select_related("organization")
        .order_by("pk")
    ]


def erase_user(user) -> None:
    """Detach the user from what they wrote and remove their personal data from it.

    Organizations' posts stay (they belong to the organization); contact details naming the
    user are cleared. Posts a focal point wrote for a municipality stay too, without the person.
    """
    with transaction.atomic():
        own_contact = Post.objects.filter(author=user, contact_email__iexact=user.email)
        own_contact.update(contact_name="", contact_email="", contact_phone="")
        if user.full_name:
            Post.objects.filter(author=user, contact_name=user.full_name).update(
                contact_name="", contact_phone=""
            )
        Post.objects.filter(author=user).update(author=None)
        # What the person wrote in their own words goes, found by its author: the interest
        # (accepted or not) and the stage stay for the organizations, without the text.
        Interest.objects.filter(sent_by=user).update(sent_by=None, message="")
        Interest.objects.filter(decided_by=user).update(decided_by=None)
        StageChange.objects.filter(changed_by=user).update(changed_by=None, note="")
        ModerationEntry.objects.filter(by=user).update(by=None)
        Attachment.objects.filter(uploaded_by=user).update(uploaded_by=None)
        FocalPoint.objects.filter(decided_by=user).update(decided_by=None)
        FocalPoint.objects.filter(user=user).delete()
        DigestPreference.objects.filter(changed_by=user).update(changed_by=None)
        # Invitations to homeland calls the user received as an expert go with them; those
        # a staff member sent stay, without the staff member.
        ExpertInvitation.objects.filter(expert__user=user).delete()
        ExpertInvitation.objects.filter(invited_by=user).update(invited_by=None)
