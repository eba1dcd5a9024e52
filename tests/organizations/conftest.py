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


@pytest.fixture
def organization(db):
    return factories.OrganizationFactory(status="pending", approved_at=None)


@pytest.fixture
def org_admin(organization):
    return factories.MembershipFactory(organization=organization, role="admin").user


@pytest.fixture
def org_member(organization):
    return factories.MembershipFactory(organization=organization, role="member").user


@pytest.fixture
def other_admin(db):
    return factories.MembershipFactory(role="admin").user


ROLE_FIXTURES = {
    "anonymous": None,
    "user": "user",
    "member": "org_member",
    "other_admin": "other_admin",
    "admin": "org_admin",
    "staff": "staff_user_with_mfa",
}


@pytest.fixture
def role_client(client, request, organization):
    """Log the client in as one of the roles the registry tells apart (users made on demand)."""

    def login(role):
        client.logout()
        if role == "staff":
            # The staff area wants a session that passed the second factor.
            staff = request.getfixturevalue("staff_user_with_mfa")
            factories.log_in_with_totp(client, staff, staff.totp_secret)
        elif ROLE_FIXTURES[role] is not None:
            client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
        return client

    return login
