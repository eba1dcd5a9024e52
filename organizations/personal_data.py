"""The registry's part of a user's copy and erasure (see privacy/providers.py)."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from core.batches import days_ago, delete_in_batches

from .models import CommunicationChannel, ContactPerson, MemberInvitation, Membership, Organization


def _contacts_of(user):
    """Contact persons who are the user: their address, or their name in their organizations."""
    match = Q(email__iexact=user.email)
    if user.full_name.strip():
        match |= Q(
            name__iexact=user.full_name.strip(),
            organization__memberships__user=user,
        )
    return ContactPerson.objects.filter(match).distinct()


def _contact(contact: ContactPerson) -> dict:
    return {
        "organization": contact.organization.name,
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phone": contact.phone.as_e164 if contact.phone else "",
        "is_public": contact.is_public,
    }


def _invitation(invitation: MemberInvitation) -> dict:
    return {
        "organization": invitation.organization.name,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
    }


def export_user(user) -> dict:
    return {
        "memberships": [
            {
                "organization": m.organization.name,
                "slug": m.organization.slug,
                "role": m.role,
                "since": m.created_at,
            }
            for m in Membership.objects.filter(user=user).select_related("organization")
        ],
        "contact_person_entries": [
            _contact(c) for c in _contacts_of(user).select_related("organization")
        ],
        "member_invitations_sent": [
            _invitation(i)
            for i in MemberInvitation.objects.filter(invited_by=user).select_related("organization")
        ],
        "member_invitations_received": [
            _invitation(i)
            for i in MemberInvitation.objects.filter(
                Q(email__iexact=user.email) | Q(accepted_by=user)
            ).select_related("organization")
        ],
    }


def erase_user(user) -> None:
    contacts = list(_contacts_of(user).values_list("pk", flat=True))
    # The change history keeps copies of every version of a contact: they go with it.
    # Deleting writes one more history row: the history goes after the contacts.
    ContactPerson.objects.filter(pk__in=contacts).delete()
    ContactPerson.history.filter(Q(id__in=contacts) | Q(email__iexact=user.email)).delete()
    MemberInvitation.objects.filter(email__iexact=user.email).delete()
    # An organization that published the person's own address as its public one stops doing so.
    Organization.objects.filter(public_email__iexact=user.email).update(public_email="")
    Organization.history.filter(public_email__iexact=user.email).update(public_email="")
    # Memberships go with the user row (CASCADE); privacy flags organizations left without admin.


def export_organization(organization) -> dict:
    return {
        "profile": {
            "name": organization.name,
            "slug": organization.slug,
            "kind": organization.kind,
            "status": organization.status,
            "country": organization.country.code,
            "city": organization.city,
            "founding_year": organization.founding_year,
            "website": organization.website,
            "public_email": organization.public_email,
            "public_phone": organization.public_phone.as_e164 if organization.public_phone else "",
            "description": organization.description,
            "areas": [area.slug for area in organization.areas.all()],
            "languages": organization.languages,
            "size": organization.size,
            "preferred_language": organization.preferred_language,
            "created_at": organization.created_at,
            "updated_at": organization.updated_at,
            "last_confirmed_at": organization.last_confirmed_at,
        },
        "channels": [
            {"kind": c.kind, "value": c.value, "visibility": c.visibility}
            for c in CommunicationChannel.objects.filter(organization=organization)
        ],
        "contact_persons": [
            _contact(c)
            for c in ContactPerson.objects.filter(organization=organization).select_related(
                "organization"
            )
        ],
        "members": [
            {"email": m.user.email, "name": m.user.full_name, "role": m.role, "since": m.created_at}
            for m in Membership.objects.filter(organization=organization).select_related("user")
        ],
        "member_invitations": [
            _invitation(i)
            for i in MemberInvitation.objects.filter(organization=organization).select_related(
                "organization"
            )
        ],
    }


def purge_expired() -> dict[str, int]:
    """Colleague invitations accepted or expired past their period (privacy's night)."""
    cutoff = days_ago(settings.PRIVACY_INVITATION_RETENTION_DAYS)
    return {
        "member_invitations": delete_in_batches(
            MemberInvitation.objects.filter(
                Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
            )
        )
    }


def left_without_admin(user) -> list[Organization]:
    """The organizations of which the user is the only admin: erasing the user leaves them
    without one (privacy flags them for staff)."""
    sole = []
    for membership in Membership.objects.filter(user=user, role="admin").select_related(
        "organization"
    ):
        others = Membership.objects.filter(
            organization=membership.organization, role="admin"
        ).exclude(user=user)
        if not others.exists() and membership.organization.status != Organization.Status.ARCHIVED:
            sole.append(membership.organization)
    return sole


def still_without_admin(ids: list[str]) -> list[Organization]:
    """Of the organizations flagged by id, those still without an admin (not archived)."""
    admins = Membership.objects.filter(organization=OuterRef("pk"), role="admin")
    return list(
        Organization.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
        .exclude(status=Organization.Status.ARCHIVED)
        .filter(~Exists(admins))
        .order_by("name", "pk")
    )
