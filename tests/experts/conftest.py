import pytest
from django.conf import settings
from django.utils import timezone

from core import search
from experts.models import Expert, Expertise
from tests import factories

EXPERT_EMAIL = "lejla.privatno@bolnica.example"


@pytest.fixture
def fields(db):
    return {
        "medicine": Expertise.objects.create(
            slug="medicine", names={"bs": "Medicina", "en": "Medicine"}, position=1
        ),
        "engineering": Expertise.objects.create(
            slug="engineering", names={"bs": "Inženjerstvo", "en": "Engineering"}, position=2
        ),
    }


def make_expert(*, fields, email=None, full_name="Lejla Hodžić", **overrides) -> Expert:
    """A listed expert (consent to the text in force), visible to staff only unless told."""
    user = factories.UserFactory(full_name=full_name, **({"email": email} if email else {}))
    data = {
        "headline": "Kardiologinja",
        "languages": ["bs", "de"],
        "country": "AT",
        "availability": ["mentoring"],
        "bio": "Savjeti o telemedicini.",
        "visibility": Expert.Visibility.STAFF,
        "consent_at": timezone.now(),
        "consent_version": settings.EXPERTS_CONSENT_VERSION,
        "consent_language": "bs",
    } | overrides
    chosen = data.pop("expertise", None) or [fields["medicine"]]
    expert = Expert(user=user, **data)
    expert.save()
    expert.expertise.set(chosen)
    search.refresh(expert)
    return expert


@pytest.fixture
def expert(fields):
    """Visible to staff and to members of approved organizations."""
    return make_expert(fields=fields, email=EXPERT_EMAIL, visibility=Expert.Visibility.MEMBERS)


@pytest.fixture
def staff_only_expert(fields):
    return make_expert(
        fields=fields,
        email="emir.privatno@voda.example",
        full_name="Emir Mujić",
        headline="Građevinski inženjer",
        country="SE",
        expertise=[fields["engineering"]],
        availability=["short_missions"],
        languages=["bs", "sv"],
    )


@pytest.fixture
def member(db):
    """A member of an approved organization."""
    organization = factories.OrganizationFactory(name="Udruženje Most Beč")
    return factories.MembershipFactory(organization=organization, role="member").user
