import factory
import pytest

from tests import factories
from workspace.models import FocalPoint, Post


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    kind = Post.Kind.CALL_FOR_PARTNERS
    organization = factory.SubFactory(factories.OrganizationFactory)
    title = factory.Sequence(lambda n: f"Poziv za partnere {n}")
    body = "Tražimo **partnere** za ljetnu školu u Sarajevu."
    country = "BA"
    city = "Sarajevo"
    contact_name = "Amela Hodžić"
    contact_email = "amela@privatno.example"
    contact_phone = "+387 61 123 456"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


@pytest.fixture
def post_factory(db):
    return PostFactory


@pytest.fixture
def author_org(db):
    return factories.OrganizationFactory(name="Udruženje Ljiljan Minhen", slug="ljiljan-minhen")


@pytest.fixture
def author_admin(author_org):
    return factories.MembershipFactory(organization=author_org, role="admin").user


@pytest.fixture
def author_member(author_org):
    return factories.MembershipFactory(organization=author_org, role="member").user


@pytest.fixture
def other_org(db):
    return factories.OrganizationFactory(name="KUD Kapija Beč", slug="kud-kapija-bec", country="AT")


@pytest.fixture
def other_admin(other_org):
    return factories.MembershipFactory(organization=other_org, role="admin").user


@pytest.fixture
def focal_user(db):
    user = factories.UserFactory(full_name="Selma Zenica")
    FocalPoint.objects.create(user=user, municipality="Općina Zenica", status="approved")
    return user


@pytest.fixture
def post(author_org):
    return PostFactory(organization=author_org)


ROLE_FIXTURES = {
    "anonymous": None,
    "user": "user",
    "member": "author_member",
    "admin": "author_admin",
    "other_admin": "other_admin",
    "focal_point": "focal_user",
}


@pytest.fixture
def as_role(client, request):
    """Log the client in as one of the workspace's roles relative to the ``post`` fixture."""

    def login(role):
        client.logout()
        if role == "staff":
            staff = request.getfixturevalue("staff_user_with_mfa")
            factories.log_in_with_totp(client, staff, staff.totp_secret)
            return staff
        if ROLE_FIXTURES[role] is None:
            return None
        user = request.getfixturevalue(ROLE_FIXTURES[role])
        client.force_login(user)
        return user

    return login
