"""Who sees which experts: staff every listed one; members of approved organizations only those
who chose so; anyone else nobody."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROSTER = reverse("experts:roster")


def test_staff_see_every_listed_expert(staff_client, expert, staff_only_expert):
    page = staff_client.get(ROSTER).content.decode()

    assert expert.name in page and staff_only_expert.name in page


def test_members_see_only_experts_who_chose_them(client, expert, staff_only_expert, member):
    client.force_login(member)

    page = client.get(ROSTER).content.decode()

    assert expert.name in page
    assert staff_only_expert.name not in page


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_members_of_organizations_not_approved_see_nobody(client, expert, status):
    organization = factories.OrganizationFactory(status=status)
    client.force_login(factories.MembershipFactory(organization=organization).user)

    response = client.get(ROSTER)

    assert response.status_code == 403
    assert expert.name not in response.content.decode()


def test_a_signed_in_person_without_an_organization_sees_nobody(client, expert, user):
    client.force_login(user)

    response = client.get(ROSTER)

    assert response.status_code == 403
    assert expert.name not in response.content.decode()


def test_visitors_are_sent_to_log_in(client, expert):
    response = client.get(ROSTER)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_the_second_factor_see_what_members_see(client, expert, staff_only_expert):
    staff = factories.StaffUserFactory()
    factories.MembershipFactory(organization=factories.OrganizationFactory(), user=staff)
    client.force_login(staff)  # a password-only session

    page = client.get(ROSTER).content.decode()

    assert expert.name in page
    assert staff_only_expert.name not in page


def test_the_members_page_runs_the_same_number_of_queries_for_2_and_12_experts(
    client, fields, member, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_expert

    def seed(count):
        for number in range(count):
            make_expert(fields=fields, full_name=f"Stručnjak {number}", visibility="members")

    client.force_login(member)
    seed(2)
    client.get(ROSTER)
    with CaptureQueriesContext(connection) as few:
        client.get(ROSTER)
    seed(10)
    with django_assert_num_queries(len(few)):
        page = client.get(ROSTER)
    assert page.content.decode().count('class="org-card expert-card"') == 12
