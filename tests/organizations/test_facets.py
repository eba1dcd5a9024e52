"""The directory's counts come from a short cache that any change to the registry renews."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AreaFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _germany_option(client):
    html = client.get("/organizations/").content.decode()
    return next(line.strip() for line in html.splitlines() if 'value="DE"' in line)


def test_repeated_directory_requests_count_the_registry_once(client, settings):
    # The directory's map (insights) is a fragment kept as long as FRAGMENT_CACHE_SECONDS; the
    # tests build fragments afresh unless they turn it on.
    settings.FRAGMENT_CACHE_SECONDS = 300
    OrganizationFactory.create_batch(3, country="DE")
    client.get("/organizations/")

    with CaptureQueriesContext(connection) as second:
        client.get("/organizations/")
    with CaptureQueriesContext(connection) as first_of_a_new_question:
        client.get("/organizations/?country=AT")

    assert not any("GROUP BY" in q["sql"] for q in second.captured_queries)
    assert any("GROUP BY" in q["sql"] for q in first_of_a_new_question.captured_queries)


def test_a_newly_approved_organization_is_counted_at_once(client):
    OrganizationFactory.create_batch(2, country="DE")
    assert "(2)" in _germany_option(client)
    pending = OrganizationFactory(country="DE", status="pending")
    assert "(2)" in _germany_option(client)

    pending.status = "approved"
    pending.save()

    assert "(3)" in _germany_option(client)


def test_a_new_area_of_an_organization_is_counted_at_once(client):
    area = AreaFactory(slug="kultura")
    organization = OrganizationFactory()
    client.get("/organizations/")

    organization.areas.add(area)

    html = client.get("/organizations/").content.decode()
    assert "(1)" in next(line for line in html.splitlines() if 'value="kultura"' in line)
