"""Every change to the registry: status transitions, confirmations, memberships."""

import difflib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mail.services import queue_email

from . import search
from .models import Membership, Organization

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


def submit_for_review(*, organization: Organization, by) -> Organization:
    """Send a draft (or a rejected organization, once corrected) to the review queue."""
    with transaction.atomic(durable=True):
        _change_status(organization, to=Status.PENDING, by=by)
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
    *, name: str, country: str, exclude_pk: int | None = None, limit: int = 5
) -> list[Organization]:
    """Return organizations in ``country`` whose names look like ``name``, most similar first."""
    wanted = search.normalized_name(name)
    if not wanted or not country:
        return []
    candidates = (
        Organization.objects.filter(country=country)
        .exclude(pk=exclude_pk)
        .exclude(status=Status.DRAFT)
        .values_list("pk", "normalized_name")
    )
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
