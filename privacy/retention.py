"""How long personal data is kept, enforced each night (privacy.enforce_retention).

Periods come from the settings (PRIVACY_*_DAYS, MAIL_RETENTION_DAYS; see docs/privacy.md).
Every step removes only what is past its period, so a second run removes nothing more.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from mail.services import purge_old_emails

from .models import AuditEntry
from .services import expire_exports

logger = logging.getLogger(__name__)

# A meeting RSVP token past its meeting is replaced by this marker: the link no longer matches.
RETIRED_LINK_PREFIX = "retired:"


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def purge_registration_drafts() -> int:
    from onboarding.models import Registration

    cutoff = _days_ago(settings.PRIVACY_DRAFT_RETENTION_DAYS)
    return Registration.objects.filter(
        submitted_at__isnull=True, last_activity_at__lt=cutoff
    ).delete()[0]


def purge_onboarding_invitations() -> int:
    from onboarding.models import Invitation

    cutoff = _days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    finished = (
        Q(completed_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(expires_at__lt=cutoff, completed_at__isnull=True)
    )
    return Invitation.objects.filter(finished).delete()[0]


def purge_member_invitations() -> int:
    from organizations.models import MemberInvitation

    cutoff = _days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    return MemberInvitation.objects.filter(
        Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
    ).delete()[0]


def retire_rsvp_details() -> int:
    """Past meetings keep each yes/no (attendance statistics); comments, headcounts and RSVP
    tokens go."""
    from meetings.models import Invitation

    cutoff = _days_ago(settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS)
    rows = Invitation.objects.filter(meeting__ends_at__lt=cutoff).filter(
        ~Q(comment="") | Q(people__isnull=False) | ~Q(token_hash__startswith=RETIRED_LINK_PREFIX)
    )
    changed = 0
    for invitation in rows.only("pk").order_by("pk").iterator():
        changed += Invitation.objects.filter(pk=invitation.pk).update(
            comment="",
            people=None,
            token_hash=f"{RETIRED_LINK_PREFIX}{invitation.pk}",
        )
    return changed


def purge_ended_sessions() -> int:
    """Remove ended sessions (with their IP address and browser) after the period."""
    from allauth.usersessions.models import UserSession

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    cutoff = _days_ago(settings.PRIVACY_SESSION_RETENTION_DAYS)
    live = Session.objects.filter(expire_date__gte=timezone.now()).values("session_key")
    return (
        UserSession.objects.filter(last_seen_at__lt=cutoff)
        .exclude(session_key__in=live)
        .delete()[0]
    )


def purge_audit_log() -> int:
    cutoff = _days_ago(settings.PRIVACY_AUDIT_RETENTION_DAYS)
    return AuditEntry.objects.filter(created_at__lt=cutoff).delete()[0]


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
