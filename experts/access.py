"""Who may list themself and who may see the roster, on top of accounts/roles.py.

``staff`` is the view's ``accounts.roles.is_staff_session(request)``: a staff power belongs to a
session that passed the second factor, not to the staff group.
"""

from organizations.models import Membership, Organization


def has_verified_email(user) -> bool:
    """Whether the account's own address is one allauth has verified."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    if "_experts_verified" not in user.__dict__:
        user.__dict__["_experts_verified"] = EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()
    return user.__dict__["_experts_verified"]


def is_member_of_approved_organization(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if "_experts_member" not in user.__dict__:
        user.__dict__["_experts_member"] = Membership.objects.filter(
            user=user, organization__status=Organization.Status.APPROVED
        ).exists()
    return user.__dict__["_experts_member"]


def may_see_roster(user, *, staff: bool) -> bool:
    """Staff see every listing; members of approved organizations the ones opened to them."""
    return staff or is_member_of_approved_organization(user)
