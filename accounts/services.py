from django.contrib.auth.models import Group

from .models import User
from .roles import MINISTRY_STAFF_GROUP


def make_ministry_staff(*, user: User) -> None:
    """Add the user to the ministry staff group."""
    # The group and its permissions come from a data migration; get_or_create only guards
    # against a database emptied since (a flush, an admin deleting the group).
    group, _ = Group.objects.get_or_create(name=MINISTRY_STAFF_GROUP)
    user.groups.add(group)


def send_address_verification(*, request, user: User) -> int:
    """E-mail a verification link to each of the user's unverified addresses; return how many."""
    from allauth.account.internal.flows.email_verification import (
        get_address_for_user,
        send_verification_email_to_address,
    )
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.filter(user=user, verified=False))
    if not EmailAddress.objects.filter(user=user).exists():
        # An account made with createsuperuser has no address row yet: allauth adds it.
        addresses = [get_address_for_user(user)]
    return sum(
        send_verification_email_to_address(request, address)
        for address in addresses
        if address is not None
    )
