"""Every change to the registry: status transitions, confirmations, memberships."""

import difflib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import search
from core.batches import work_in_locked_batches
from core.cache import count_in_window
from core.csv_export import write_csv
from core.tokens import new_token, token_hash
from mail.services import queue_email

from .models import MemberInvitation, Membership, Organization

Status = Organization.Status

# Which status may follow which. Restoring an archived organization brings it back to where a
# decision left it: listed if it had been approved, otherwise back to review.
ALLOWED_TRANSITIONS = {
    Status.DRAFT: {Status.PENDING, Status.ARCHIVED},
    Status.PENDING: {Status.APPROVED, Status.REJECTED, Status.ARCHIVED},
    Status.APPROVED: {Status.ARCHIVED},
    Status.REJECTED: {Status.PENDING, Status.ARCHIVED},
    Status.ARCHIVED: {Status.APPROVED, Status.PENDING},
}

SIMILARITY_THRESHOLD = 0.85


class TransitionNotAllowed(ValidationError):
    pass


def can_change_status(organization: Organization, to: str) -> bool:
    return to in ALLOWED_TRANSITIONS.get(organization.status, set())


def _change_status(organization: Organization, *, to: str, by, reason: str = "") -> None:
    if not can_change_status(organization, to):
        raise TransitionNotAllowed(
            _("An organization that is %(current)s cannot become %(target)s.")
            % {
                "current": organization.get_status_display(),
                "target": Organization.Status(to).label,
            }
        )
    organization.status = to
    organization.status_reason = reason
    organization._history_user = by
    organization._change_reason = reason or Organization.Status(to).label
    organization.full_clean()
    organization.save()


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """Return a slug for ``name`` that no other organization uses."""
    base = (slugify(search.fold(name)) or "organizacija")[:100].strip("-")
    slug, n = base, 1
    others = Organization.objects.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organization(*, by, admin=None, status: str = Status.DRAFT, **fields) -> Organization:
    """Create an organization (draft unless told otherwise), with ``admin`` as its admin."""
    areas = fields.pop("areas", None)
    with transaction.atomic():
        organization = Organization(status=status, **fields)
        if not organization.slug:
            organization.slug = unique_slug(organization.name)
        if status == Status.APPROVED:
            organization.approved_at = timezone.now()
        organization._history_user = by
        organization.full_clean()
        organization.save()
        if areas is not None:
            organization.areas.set(areas)
        if admin is not None:
            add_member(organization=organization, user=admin, role=Membership.Role.ADMIN, by=by)
    return organization


def approve_organization(*, organization: Organization, by) -> Organization:
    """List the organization in the directory and e-mail its admins."""
    with transaction.atomic(durable=True):
        organization.approved_at = timezone.now()
        _change_status(organization, to=Status.APPROVED, by=by)
        _email_admins(organization, "organizations/emails/approved")
    return organization


def reject_organization(*, organization: Organization, by, reason: str) -> Organization:
    """Reject the organization with a reason, which its admins receive by e-mail."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the organization is rejected.")})
    with transaction.atomic(durable=True):
        _change_status(organization, to=Status.REJECTED, by=by, reason=reason)
        _email_admins(organization, "organizations/emails/rejected", reason=reason)
    return organization


def archive_organization(*, organization: Organization, by, reason: str = "") -> Organization:
    """Take the organization out of the directory; nothing is deleted."""
    with transaction.atomic(durable=True):
        _change_status(organization, to=Status.ARCHIVED, by=by, reason=reason.strip())
    return organization


def restore_organization(*, organization: Organization, by) -> Organization:
    """Bring an archived organization back: listed again if it had been approved."""
    target = Status.APPROVED if organization.approved_at else Status.PENDING
    with transaction.atomic(durable=True):
        _change_status(organization, to=target, by=by)
    return organization


def mark_documents_checked(*, organization: Organization, by) -> Organization:
    """Give the organization the "verified" badge: staff checked its documents."""
    with transaction.atomic(durable=True):
        organization.verified_at = timezone.now()
        organization.verified_by = by
        organization._history_user = by
        organization._change_reason = "verified"
        organization.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return organization


def confirm_current(*, organization: Organization, by) -> Organization:
    """Record that the profile is current; a dormant organization wakes up."""
    with transaction.atomic(durable=True):
        organization.last_confirmed_at = timezone.now()
        organization.nudges_sent = 0
        organization.last_nudged_at = None
        organization.dormant_since = None
        organization._history_user = by
        organization._change_reason = "confirmed current"
        organization.save(
            update_fields=[
                "last_confirmed_at",
                "nudges_sent",
                "last_nudged_at",
                "dormant_since",
                "updated_at",
            ]
        )
    return organization


def add_member(*, organization: Organization, user, role: str, by) -> Membership:
    """Make ``user`` a member or admin of the organization (changing the role if present)."""
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def similar_organizations(
    *,
    name: str,
    country: str,
    exclude_pk: int | None = None,
    limit: int = 5,
    listed_only: bool = False,
) -> list[Organization]:
    """Return organizations in ``country`` whose names look like ``name``, most similar first.

    ``listed_only``: approved (public) ones only, for anyone but staff, who see every status.
    """
    wanted = search.normalized_name(name)
    if not wanted or not country:
        return []
    candidates = Organization.objects.filter(country=country).exclude(pk=exclude_pk)
    if listed_only:
        candidates = candidates.filter(status=Status.APPROVED)
    candidates = candidates.exclude(status=Status.DRAFT).values_list("pk", "normalized_name")
    scored = []
    for pk, other in candidates:
        ratio = difflib.SequenceMatcher(None, wanted, other).ratio()
        if ratio >= SIMILARITY_THRESHOLD or (
            len(wanted) > 6 and (wanted in other or other in wanted)
        ):
            scored.append((ratio, pk))
    scored.sort(reverse=True)
    pks = [pk for _ratio, pk in scored[:limit]]
    found = Organization.objects.in_bulk(pks)
    return [found[pk] for pk in pks]


def admin_recipients(organization: Organization) -> list[tuple[str, str]]:
    """Return (e-mail, language) for each admin, else the organization's public address."""
    admins = [
        (m.user.email, m.user.language)
        for m in organization.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]
    if admins:
        return admins
    if organization.public_email:
        return [(organization.public_email, organization.preferred_language)]
    return []


def _email_admins(organization: Organization, template: str, **context) -> None:
    for email, language in admin_recipients(organization):
        queue_email(
            to=email,
            template=template,
            context={"organization": organization, "site_url": settings.SITE_URL, **context},
            language=language,
        )


# --- Profiles edited by staff or the organization's admins ---------------------------------


def save_profile(*, form, formsets=(), by) -> Organization:
    """Save a validated profile form with its channel and contact formsets in one transaction."""
    with transaction.atomic(durable=True):
        organization = form.save(commit=False)
        organization._history_user = by
        organization.save()
        form.save_m2m()
        for formset in formsets:
            formset.instance = organization
            for instance in formset.save(commit=False):
                instance._history_user = by
                instance.save()
            for instance in formset.deleted_objects:
                instance._history_user = by
                instance.delete()
    return organization


# --- Freshness: nudge admins of profiles nobody has confirmed for a long time ---------------

NUDGE_BATCH_SIZE = 200


def nudge_stale_organizations(*, now=None) -> dict[str, int]:
    """E-mail the admins of stale profiles and mark unanswered ones dormant.

    A profile not confirmed for ORGANIZATION_FRESHNESS_DAYS gets at most ORGANIZATION_MAX_NUDGES
    reminders, ORGANIZATION_NUDGE_INTERVAL_DAYS apart; once the last one has gone unanswered for
    that interval it becomes dormant. Rows are claimed with SKIP LOCKED and stamped in the same
    transaction as the e-mail is queued, so neither a restart nor a second worker repeats one.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(days=settings.ORGANIZATION_FRESHNESS_DAYS)
    interval = timedelta(days=settings.ORGANIZATION_NUDGE_INTERVAL_DAYS)
    due = (
        Organization.objects.filter(
            status=Status.APPROVED, dormant_since__isnull=True, last_confirmed_at__lt=stale_before
        )
        .filter(
            models.Q(last_nudged_at__isnull=True) | models.Q(last_nudged_at__lte=now - interval)
        )
        .order_by("pk")
    )
    counts = {"nudged": 0, "dormant": 0}

    def work(batch: list[Organization]) -> None:
        for organization in batch:
            if organization.nudges_sent < settings.ORGANIZATION_MAX_NUDGES:
                _nudge(organization, now=now)
                counts["nudged"] += 1
            else:
                _make_dormant(organization, now=now)
                counts["dormant"] += 1

    work_in_locked_batches(due, work, size=NUDGE_BATCH_SIZE)
    return counts


def _nudge(organization: Organization, *, now) -> None:
    organization.nudges_sent += 1
    organization.last_nudged_at = now
    organization._change_reason = "reminded to confirm"
    organization.save(update_fields=["nudges_sent", "last_nudged_at"])
    _email_admins(
        organization,
        "organizations/emails/nudge",
        nudge_number=organization.nudges_sent,
        max_nudges=settings.ORGANIZATION_MAX_NUDGES,
    )


def _make_dormant(organization: Organization, *, now) -> None:
    organization.dormant_since = now
    organization._change_reason = "dormant"
    organization.save(update_fields=["dormant_since"])


# --- CSV export -------------------------------------------------------------------------------

CSV_COLUMNS = [
    ("name", _("Name")),
    ("slug", _("Slug")),
    ("status", _("Status")),
    ("kind", _("Kind")),
    ("country", _("Country")),
    ("city", _("City")),
    ("founding_year", _("Founding year")),
    ("website", _("Website")),
    ("public_email", _("Public e-mail address")),
    ("public_phone", _("Public phone number")),
    ("areas", _("Areas of activity")),
    ("verified_at", _("Documents checked at")),
    ("last_confirmed_at", _("Last confirmed current")),
    ("dormant_since", _("Dormant since")),
    ("updated_at", _("Last updated")),
    ("url", _("Profile")),
]


def write_organizations_csv(organizations, out) -> None:
    """Write the organizations as CSV (with a BOM, so Excel reads UTF-8) to a file-like ``out``."""
    write_csv(
        out,
        [label for _key, label in CSV_COLUMNS],
        (_csv_row(organization) for organization in organizations),
    )


def _csv_row(organization: Organization) -> list:
    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        organization.name,
        organization.slug,
        organization.get_status_display(),
        organization.get_kind_display(),
        organization.country.name,
        organization.city,
        organization.founding_year or "",
        organization.website,
        organization.public_email,
        organization.public_phone.as_international if organization.public_phone else "",
        ", ".join(area.name for area in organization.areas.all()),
        when(organization.verified_at),
        when(organization.last_confirmed_at),
        when(organization.dormant_since),
        when(organization.updated_at),
        f"{settings.SITE_URL}{organization.get_absolute_url()}",
    ]


# --- Members: invitations, roles, removal -----------------------------------------------------

INVITATION_VALID_FOR = timedelta(days=14)
INVITATION_RATE_WINDOW_SECONDS = 3600


class InvitationError(ValidationError):
    """An invitation link that cannot be used; ``code`` says why (unknown, used, expired, email)."""


class InvitationRefused(ValidationError):
    """An invitation the organization may not send now; ``code`` says why: not_approved,
    too_many_open or rate_limited."""


def open_member_invitations(organization: Organization):
    """The organization's invitations that are neither accepted nor expired."""
    return MemberInvitation.objects.filter(
        organization=organization, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def _check_may_invite(organization: Organization, by) -> None:
    """Refuse unless the organization is approved and within its limits; count the invitation.

    The hourly counts live in the shared Redis cache, so they hold across every web process.
    """
    if organization.status != Status.APPROVED:
        raise InvitationRefused(
            _("Your organization can invite colleagues once the ministry has approved it."),
            code="not_approved",
        )
    if open_member_invitations(organization).count() >= settings.ORGANIZATION_OPEN_INVITATIONS:
        raise InvitationRefused(
            _(
                "Your organization has many invitations that are not answered yet. Send more "
                "once some are answered or have expired."
            ),
            code="too_many_open",
        )
    window = INVITATION_RATE_WINDOW_SECONDS
    by_person = count_in_window(f"organizations:invitations:user:{by.pk}", seconds=window)
    if by_person > settings.ORGANIZATION_INVITATIONS_PER_PERSON_PER_HOUR:
        raise InvitationRefused(
            _("You have sent many invitations in the last hour. Try again later."),
            code="rate_limited",
        )
    by_organization = count_in_window(
        f"organizations:invitations:organization:{organization.pk}", seconds=window
    )
    if by_organization > settings.ORGANIZATION_INVITATIONS_PER_ORGANIZATION_PER_HOUR:
        raise InvitationRefused(
            _("Your organization has sent many invitations in the last hour. Try again later."),
            code="rate_limited",
        )


def invite_member(*, organization: Organization, email: str, role: str, by) -> MemberInvitation:
    """Invite a colleague by e-mail; the link in the e-mail makes them a member once used."""
    from accounts.models import User

    token, digest = new_token()
    email = email.strip().lower()
    with transaction.atomic(durable=True):
        # Locked: two admins inviting at once cannot both take the last open place.
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        _check_may_invite(organization, by)
        invitation = MemberInvitation(
            organization=organization,
            email=email,
            role=role,
            token_hash=digest,
            invited_by=by,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        invitation.full_clean()
        invitation.save()
        existing = User.objects.filter(email__iexact=email).values_list("language", flat=True)
        language = existing.first() or organization.preferred_language
        url = reverse(
            "organizations:manage_join", kwargs={"slug": organization.slug, "token": token}
        )
        queue_email(
            to=email,
            template="organizations/emails/member_invitation",
            context={
                "organization": organization,
                "invitation": invitation,
                "inviter": by,
                "link": f"{settings.SITE_URL}{url}",
            },
            language=language,
        )
    return invitation


def find_invitation(*, organization: Organization, token: str) -> MemberInvitation:
    """Return the open invitation for ``token`` or raise InvitationError saying why not."""
    invitation = MemberInvitation.objects.filter(
        organization=organization, token_hash=token_hash(token)
    ).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), code="unknown")
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask the organization for a new one."), code="expired"
        )
    return invitation


def user_may_accept(user, invitation: MemberInvitation) -> bool:
    """Only the invited address, verified on the user's account, may use the invitation."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def accept_invitation(*, organization: Organization, token: str, user) -> Membership:
    """Make ``user`` a member with the invited role; the invitation works once only."""
    with transaction.atomic(durable=True):
        invitation = find_invitation(organization=organization, token=token)
        invitation = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has already been used."), code="used")
        if not user_may_accept(user, invitation):
            raise InvitationError(
                _(
                    "This invitation was sent to another e-mail address. Log in with that "
                    "address, or add and verify it on your account."
                ),
                code="email",
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        existing = Membership.objects.filter(organization=organization, user=user).first()
        if existing is not None and existing.role == Membership.Role.ADMIN:
            return existing  # An invitation never demotes an admin.
        return add_member(organization=organization, user=user, role=invitation.role, by=user)


class LastAdminError(ValidationError):
    pass


def _lock_admins(organization: Organization) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Membership.Role.ADMIN)
        .order_by("pk")
    )


def change_member_role(*, membership: Membership, role: str, by) -> Membership:
    """Make a member an admin or an admin a member; the organization keeps at least one admin."""
    with transaction.atomic(durable=True):
        admins = _lock_admins(membership.organization)
        membership.refresh_from_db()
        if (
            role != Membership.Role.ADMIN
            and membership.role == Membership.Role.ADMIN
            and len(admins) <= 1
        ):
            raise LastAdminError(_("An organization needs at least one admin."))
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, membership: Membership, by) -> None:
    """Remove a member; the last admin cannot be removed."""
    with transaction.atomic(durable=True):
        admins = _lock_admins(membership.organization)
        if membership.role == Membership.Role.ADMIN and len(admins) <= 1:
            raise LastAdminError(_("An organization needs at least one admin."))
        membership.delete()
