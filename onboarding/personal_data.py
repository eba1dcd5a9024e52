"""Onboarding's part of a user's copy and erasure (see privacy/providers.py)."""

from django.conf import settings
from django.db.models import Q

from core.batches import days_ago, delete_in_batches

from .models import ChecklistItem, Invitation, Registration


def _invitation(invitation: Invitation) -> dict:
    return {
        "email": invitation.email,
        "organization_name": invitation.organization_name,
        "message": invitation.message,
        "language": invitation.language,
        "state": invitation.state,
        "sent_at": invitation.sent_at,
        "expires_at": invitation.expires_at,
    }


def export_user(user) -> dict:
    return {
        "registrations": [
            {
                "step": r.step,
                "data": r.data,
                "consent_at": r.consent_at,
                "consent_version": r.consent_version,
                "consent_language": r.consent_language,
                "submitted_at": r.submitted_at,
                "organization": r.organization.name if r.organization_id else None,
                "created_at": r.created_at,
                "last_activity_at": r.last_activity_at,
            }
            for r in Registration.objects.filter(user=user).select_related("organization")
        ],
        "invitations_received": [
            _invitation(i) for i in Invitation.objects.filter(email__iexact=user.email)
        ],
        "invitations_sent": [_invitation(i) for i in Invitation.objects.filter(invited_by=user)],
    }


def erase_user(user) -> None:
    # Registrations (drafts and submitted ones, with their typed data) go with the user row.
    Registration.objects.filter(user=user).delete()
    # Invitations stay as counts in the funnel; the address and personal words go.
    for invitation in Invitation.objects.filter(email__iexact=user.email).only("pk"):
        Invitation.objects.filter(pk=invitation.pk).update(
            email=f"erased-{invitation.pk}@erased.invalid", message=""
        )
    Invitation.objects.filter(invited_by=user).update(message="")


def export_organization(organization) -> dict:
    return {
        "invitations_sent": [
            _invitation(i) for i in Invitation.objects.filter(inviting_organization=organization)
        ],
        "registration": [
            {"data": r.data, "submitted_at": r.submitted_at, "consent_at": r.consent_at}
            for r in Registration.objects.filter(organization=organization)
        ],
        "checklist": [
            {"item": c.key, "done_at": c.done_at}
            for c in ChecklistItem.objects.filter(organization=organization)
        ],
        "invitations_received": [
            _invitation(i)
            for i in Invitation.objects.filter(
                Q(registrations__organization=organization)
            ).distinct()
        ],
    }


def purge_expired() -> dict[str, int]:
    """Drafts never submitted and invitations finished, past their periods (privacy's night)."""
    drafts_cutoff = days_ago(settings.PRIVACY_DRAFT_RETENTION_DAYS)
    invitations_cutoff = days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    finished = (
        Q(completed_at__lt=invitations_cutoff)
        | Q(revoked_at__lt=invitations_cutoff)
        | Q(expires_at__lt=invitations_cutoff, completed_at__isnull=True)
    )
    return {
        "registration_drafts": delete_in_batches(
            Registration.objects.filter(
                submitted_at__isnull=True, last_activity_at__lt=drafts_cutoff
            )
        ),
        "onboarding_invitations": delete_in_batches(Invitation.objects.filter(finished)),
    }
