import pytest

from tests import factories


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
        if ROLE_FIXTURES[role] is not None:
            client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
        return client

    return login
