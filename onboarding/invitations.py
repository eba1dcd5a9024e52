"""Invitations to join the network: sending, resending, revoking, and following a link."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import count_in_window
from core.tokens import new_token, token_hash
from mail.services import queue_email

from .models import Invitation, Registration, Step

RATE_WINDOW_SECONDS = 3600


class InvitationLinkError(ValidationError):
    """A link that cannot be used; ``code`` says why: unknown, used, revoked or expired."""


class InvitationRefused(ValidationError):
    """The invitation may not be sent now; ``code`` says why (not_approved, too_many_open,
    rate_limited)."""


class RateLimited(InvitationRefused):
    """Over a limit (``code``: rate_limited or too_many_open): try again later."""


def open_invitations(organization):
    """The invitations sent on the organization's behalf that nobody answered and that still
    work: not revoked, expired, started or completed."""
    return Invitation.objects.filter(
        inviting_organization=organization,
        revoked_at__isnull=True,
        started_at__isnull=True,
        completed_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _lock_inviting_organization(organization):
    """Lock the organization the invitation is sent for and refuse unless it is approved (two
    admins inviting at once cannot both take the last open place)."""
    from organizations.models import Organization

    if organization is None:
        return None
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Organization.Status.APPROVED:
        raise InvitationRefused(
            _("Only approved organizations may invite other organizations."),
            code="not_approved",
        )
    return organization


def _check_open_invitations(organization) -> None:
    limit = settings.ONBOARDING_OPEN_INVITATIONS_PER_ORGANIZATION
    if organization is not None and open_invitations(organization).count() >= limit:
        raise RateLimited(
            _(
                "Your organization has many invitations that are not answered yet. Send more "
                "once some are answered or have expired."
            ),
            code="too_many_open",
        )


def _count_against_rate_limit(inviter, organization=None) -> None:
    """Count one e-mail for the inviter and the organization they invite for; refuse beyond
    ONBOARDING_INVITATIONS_PER_HOUR (a person) or ..._PER_ORGANIZATION_PER_HOUR. The counts live
    in the shared Redis cache, so they hold across every web process."""
    count = count_in_window(f"onboarding:invitations:{inviter.pk}", seconds=RATE_WINDOW_SECONDS)
    if count > settings.ONBOARDING_INVITATIONS_PER_HOUR:
        raise RateLimited(
            _("You have sent many invitations in the last hour. Try again later."),
            code="rate_limited",
        )
    if organization is None:
        return
    count = count_in_window(
        f"onboarding:invitations:organization:{organization.pk}", seconds=RATE_WINDOW_SECONDS
    )
    if count > settings.ONBOARDING_INVITATIONS_PER_ORGANIZATION_PER_HOUR:
        raise RateLimited(
            _("Your organization has sent many invitations in the last hour. Try again later."),
            code="rate_limited",
        )


def _send(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("onboarding:invitation", kwargs={"token": token})
    queue_email(
        to=invitation.email,
        template="onboarding/emails/invitation",
        context={"invitation": invitation, "link": link, "inviter": invitation.invited_by},
        language=invitation.language,
    )


def invite_organization(
    *,
    email: str,
    by,
    organization_name: str = "",
    country: str = "",
    message: str = "",
    language: str = settings.LANGUAGE_CODE,
    inviting_organization=None,
) -> Invitation:
    """Invite an organization by e-mail to register; its link works once and expires.

    On an organization's behalf only while it is approved and within its limits.
    """
    email = email.strip().lower()
    token, digest = new_token()
    now = timezone.now()
    with transaction.atomic(durable=True):
        inviting_organization = _lock_inviting_organization(inviting_organization)
        _check_open_invitations(inviting_organization)
        _count_against_rate_limit(by, inviting_organization)
        invitation = Invitation(
            email=email,
            organization_name=organization_name.strip(),
            country=country,
            message=message.strip(),
            language=language,
            token_hash=digest,
            invited_by=by,
            inviting_organization=inviting_organization,
            sent_at=now,
            expires_at=now + timedelta(days=settings.ONBOARDING_INVITATION_DAYS),
        )
        invitation.full_clean()
        invitation.save()
        _send(invitation, token)
    return invitation


def resend_invitation(*, invitation: Invitation, by) -> Invitation:
    """Send a new link (the old one stops working) with a new expiry date."""
    token, digest = new_token()
    with transaction.atomic(durable=True):
        organization = _lock_inviting_organization(invitation.inviting_organization)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.may_resend:
            raise ValidationError(_("This invitation can no longer be sent again."))
        if invitation.state == Invitation.State.EXPIRED:  # it becomes open again
            _check_open_invitations(organization)
        _count_against_rate_limit(by, organization)
        now = timezone.now()
        invitation.token_hash = digest
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=settings.ONBOARDING_INVITATION_DAYS)
        invitation.times_sent += 1
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "times_sent"])
        _send(invitation, token)
    return invitation


def revoke_invitation(*, invitation: Invitation, by) -> Invitation:
    """Make the invitation's link unusable."""
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.may_revoke:
            raise ValidationError(_("This invitation can no longer be revoked."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def find_invitation(*, token: str, user=None) -> Invitation:
    """Return the invitation for ``token`` or raise InvitationLinkError saying why not.

    A link is used once: after a registration started with it, only that registration's user
    may follow it again (to continue).
    """
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationLinkError(_("This invitation link is not valid."), code="unknown")
    if invitation.revoked_at:
        raise InvitationLinkError(_("This invitation was withdrawn."), code="revoked")
    if invitation.started_at or invitation.completed_at:
        own = (
            user is not None
            and user.is_authenticated
            and invitation.registrations.filter(user=user).exists()
        )
        if not own:
            raise InvitationLinkError(_("This invitation has already been used."), code="used")
    elif invitation.expires_at <= timezone.now():
        raise InvitationLinkError(_("This invitation has expired."), code="expired")
    return invitation


def mark_opened(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )


def start_with_invitation(*, invitation: Invitation, registration: Registration) -> bool:
    """Attach the invitation to the registration; False when another user took it first."""
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        taken = invitation.registrations.exclude(user=registration.user_id).exists()
        if taken or invitation.revoked_at or invitation.completed_at:
            return False
        now = timezone.now()
        invitation.opened_at = invitation.opened_at or now
        invitation.started_at = invitation.started_at or now
        invitation.save(update_fields=["opened_at", "started_at"])
        Registration.objects.filter(pk=registration.pk, invitation__isnull=True).update(
            invitation=invitation
        )
    registration.refresh_from_db()
    return True


def mark_completed(*, registration: Registration) -> None:
    """Called inside the submitting transaction."""
    if registration.invitation_id:
        Invitation.objects.filter(pk=registration.invitation_id).update(completed_at=timezone.now())


def initial_for(registration, step: str) -> dict:
    """Return the initial values of ``step`` known from the invitation that led here."""
    invitation = registration.invitation
    if invitation is None or step != Step.BASICS:
        return {}
    # Never the invited address as the public e-mail: staff used it to reach a person, and it
    # becomes public only if the person types it in.
    initial = {"preferred_language": invitation.language}
    if invitation.organization_name:
        initial["name"] = invitation.organization_name
    if invitation.country:
        initial["country"] = invitation.country.code
    return initial
