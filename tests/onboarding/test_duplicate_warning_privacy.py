"""The duplicate-name warning of the registration names listed organizations only: whoever
types a fragment never learns of pending, rejected or archived ones (name or city)."""

import pytest

from onboarding.models import Registration
from tests import factories
from tests.onboarding.conftest import BASICS, step_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_the_duplicate_warning_never_reveals_an_unlisted_organization(client, registrant, status):
    factories.OrganizationFactory(
        name="Udruzenje Bosanaca Malmo Tajno", country="SE", city="Trelleborg", status=status
    )

    response = client.post(step_url("basics"), {**BASICS, "go": "next"})

    assert response.status_code == 302  # no warning to answer: the next step opens
    assert response["Location"] == step_url("contacts")
    page = client.get(step_url("basics")).content.decode()
    assert "Tajno" not in page and "Trelleborg" not in page
    # the staff's review still knows nothing was declared: staff check duplicates themselves
    assert Registration.objects.get(user=registrant).declared_different_from == []


def test_the_basics_step_says_staff_check_for_duplicates(client, registrant):
    page = client.get(step_url("basics"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Ministry staff check every registration for duplicates" in page


def test_a_listed_organization_with_a_similar_name_is_still_named(client, registrant):
    listed = factories.OrganizationFactory(
        name="Udruzenje Bosanaca Malmo", country="SE", city="Lund"
    )

    response = client.post(step_url("basics"), {**BASICS, "go": "next"})

    assert response.status_code == 422
    html = response.content.decode()
    assert listed.get_absolute_url() in html and "Lund" in html
