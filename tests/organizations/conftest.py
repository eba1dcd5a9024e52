import pytest

from tests import factories

ROLES = ["anonymous", "user", "member", "other_admin", "admin", "staff"]


@pytest.fixture
def login_as(client):
    """Log the client in as ``role`` relative to ``organization``; return the user (or None)."""

    def login(role, organization):
        if role == "anonymous":
            return None
        if role == "staff":
            user = factories.StaffUserFactory()
            factories.activate_totp(user)
        else:
            user = factories.UserFactory()
        if role == "member":
            factories.MembershipFactory(user=user, organization=organization, role="member")
        elif role == "admin":
            factories.MembershipFactory(user=user, organization=organization, role="admin")
        elif role == "other_admin":
            factories.MembershipFactory(
                user=user, role="admin", organization__status="pending", organization__name="Other"
            )
        client.force_login(user)
        return user

    return login
