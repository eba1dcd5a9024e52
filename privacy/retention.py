"""How long personal data is kept, enforced each night (privacy.enforce_retention).

Periods come from the settings (PRIVACY_*_DAYS, MAIL_RETENTION_DAYS; see docs/privacy.md).
Every step removes only what is past its period, so a second run removes nothing more.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from core.batches import delete_in_batches
from core.models import AuditEntry
from mail.services import purge_old_emails

from .services import expire_exports

logger = logging.getLogger(__name__)

# A meeting RSVP token past its meeting is replaced by this marker: the link no longer matches.
RETIRED_LINK_PREFIX = "retired:"


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def purge_registration_drafts() -> int:
    from onboarding.models import Registration

    cutoff = _days_ago(settings.PRIVACY_DRAFT_RETENTION_DAYS)
    return delete_in_batches(
        Registration.objects.filter(submitted_at__isnull=True, last_activity_at__lt=cutoff)
    )


def purge_onboarding_invitations() -> int:
    from onboarding.models import Invitation

    cutoff = _days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    finished = (
        Q(completed_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(expires_at__lt=cutoff, completed_at__isnull=True)
    )
    return delete_in_batches(Invitation.objects.filter(finished))


def purge_member_invitations() -> int:
    from organizations.models import MemberInvitation

    cutoff = _days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    return delete_in_batches(
        MemberInvitation.objects.filter(
            Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
        )
    )


def retire_rsvp_details() -> int:
    """Past meetings keep each yes/no (attendance statistics); comments, headcounts and RSVP
    tokens go."""
    from meetings.models import Invitation

    cutoff = _days_ago(settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS)
    rows = Invitation.objects.filter(meeting__ends_at__lt=cutoff).filter(
        ~Q(comment="") | Q(people__isnull=False) | ~Q(token_hash__startswith=RETIRED_LINK_PREFIX)
    )
    # One UPDATE for all of them; each token becomes a marker that no link can match.
    return rows.update(
        comment="",
        people=None,
        token_hash=Concat(Value(RETIRED_LINK_PREFIX), Cast("pk", output_field=CharField())),
    )


def purge_ended_sessions() -> int:
    """Remove ended sessions (with their IP address and browser) after the period."""
    from allauth.usersessions.models import UserSession

    delete_in_batches(Session.objects.filter(expire_date__lt=timezone.now()))
    cutoff = _days_ago(settings.PRIVACY_SESSION_RETENTION_DAYS)
    live = Session.objects.filter(expire_date__gte=timezone.now()).values("session_key")
    return delete_in_batches(
        UserSession.objects.filter(last_seen_at__lt=cutoff).exclude(session_key__in=live)
    )


def purge_audit_log() -> int:
    cutoff = _days_ago(settings.PRIVACY_AUDIT_RETENTION_DAYS)
    return delete_in_batches(AuditEntry.objects.filter(created_at__lt=cutoff))


STEPS = {
    "registration_drafts": purge_registration_drafts,
    "onboarding_invitations": purge_onboarding_invitations,
    "member_invitations": purge_member_invitations,
    "rsvp_details": retire_rsvp_details,
    "sent_emails": lambda: purge_old_emails(),
    "ended_sessions": purge_ended_sessions,
    "audit_entries": purge_audit_log,
    "export_files": expire_exports,
}


def enforce_retention() -> dict[str, int]:
    """Remove what is past its retention period; return (and log) how much of each kind."""
    removed = {kind: step() for kind, step in STEPS.items()}
    logger.info("Retention: %s.", ", ".join(f"{kind}={count}" for kind, count in removed.items()))
    return removed
