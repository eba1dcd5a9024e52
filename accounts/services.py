from django.contrib.auth.models import Group

from .models import User
from .roles import MINISTRY_STAFF_GROUP


def make_ministry_staff(*, user: User) -> None:
    """Add the user to the ministry staff group."""
    # The group and its permissions come from a data migration; get_or_create only guards
    # against a database emptied since (a flush, an admin deleting the group).
    group, _ = Group.objects.get_or_create(name=MINISTRY_STAFF_GROUP)
    user.groups.add(group)
