"""Public pages for visitors who are not signed in come from the shared cache, and only them."""

import random
import string
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client

from core.page_cache import forget_pages
from tests import factories
from tests.support.broker import broker_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()


def test_the_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    factories.OrganizationFactory(name="Udruženje Sevdah")
    first = client.get("/organizations/")

    with django_assert_num_queries(0):
        second = client.get("/organizations/")

    assert second.status_code == 200
    assert second.content == first.content
    assert "Udruženje Sevdah" in second.content.decode()


def test_a_change_to_an_organization_shows_at_once(client, django_capture_on_commit_callbacks):
    client.get("/organizations/")

    with django_capture_on_commit_callbacks(execute=True):
        factories.OrganizationFactory(name="Klub Drina")

    assert "Klub Drina" in client.get("/organizations/").content.decode()


def test_a_deploy_serves_no_page_the_code_before_it_kept(client):
    """Every deploy runs the migrations; the templates may have changed with the code."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/organizations/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/organizations/")
    assert len(kept) == 0

    call_command("migrate", verbosity=0)

    with CaptureQueriesContext(connection) as afresh:
        client.get("/organizations/")
    assert len(afresh) > 0


def test_signed_in_people_never_get_the_shared_page(client):
    client.get("/")
    member = factories.MembershipFactory().user
    signed_in = Client()
    signed_in.force_login(member)

    page = signed_in.get("/").content.decode()

    assert "/accounts/logout/" in page  # their own header, with the log-out form
    assert "/accounts/logout/" not in client.get("/").content.decode()


def test_each_language_has_its_own_page(client, settings):
    assert 'lang="bs"' in client.get("/meetings/").content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert 'lang="en"' in client.get("/meetings/").content.decode()


def test_an_htmx_request_gets_its_fragment_not_the_cached_page(client):
    client.get("/organizations/")

    fragment = client.get("/organizations/", headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in fragment


def test_a_page_with_a_form_token_or_a_personal_link_is_never_stored(client):
    # an RSVP link is personal, and its page carries a CSRF token
    meeting = factories.MeetingFactory()
    organization = factories.OrganizationFactory()
    from meetings import invitations, rsvp_links
    from organizations.models import Organization

    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    path = rsvp_links.rsvp_url(meeting.invitations.get()).split("testserver", 1)[1]
    first = client.get(path)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()

    # a second visitor gets a page with a token of their own, not the first visitor's
    other = Client().get(path)
    assert other.cookies["csrftoken"].value
    assert other.content != first.content


# --- Only the page's own filters with valid values are stored ---------------------------------


def _page_keys() -> set[bytes]:
    """The stored pages in the cache's Redis database (not the generation key)."""
    client = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    prefix = django_settings.CACHES["default"]["KEY_PREFIX"]
    return {
        key
        for key in client.scan_iter(match=f"{prefix}:*:pages:*", count=1000)
        if not key.endswith(b":pages:generation")
    }


def _broker_keys() -> set[bytes]:
    """Every key of the broker's Redis database that is not the cache's."""
    client = broker_client()
    prefix = django_settings.CACHES["default"]["KEY_PREFIX"].encode()
    return {key for key in client.scan_iter(count=1000) if not key.startswith(prefix)}


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=newsletter",  # a parameter the directory does not know
        "q=sevdah&x=1",  # a known one beside an unknown one
        "country=XX",  # not an ISO country
        "area=no-such-area",  # no such area
        "page=0",  # not a page number
        "page=999",  # beyond the last page
        "q=a&q=b",  # a parameter given twice
    ],
)
def test_an_unknown_parameter_or_invalid_value_is_answered_but_not_stored(client, query):
    factories.OrganizationFactory(name="Udruženje Sevdah")
    client.get("/organizations/")
    stored = _page_keys()

    response = client.get(f"/organizations/?{query}")

    assert response.status_code in (200, 422)
    assert "<html" in response.content.decode()
    assert _page_keys() == stored


def test_the_directorys_own_filters_with_valid_values_are_stored(client):
    area = factories.AreaFactory(slug="kultura")
    organization = factories.OrganizationFactory(name="Udruženje Sevdah", country="DE")
    organization.areas.add(area)
    client.get("/organizations/")
    stored = _page_keys()

    response = client.get("/organizations/?q=sevdah&country=DE&city=&area=kultura&page=1")

    assert response.status_code == 200
    assert "Udruženje Sevdah" in response.content.decode()
    assert len(_page_keys() - stored) == 1


def test_one_filter_spelled_or_ordered_differently_is_one_stored_page(client):
    factories.OrganizationFactory(name="Udruženje Sevdah", country="DE")
    client.get("/organizations/")
    stored = _page_keys()

    for query in ["q=sevdah&country=DE", "country=DE&q=sevdah", "q=%73evdah&country=%44E"]:
        assert "Udruženje Sevdah" in client.get(f"/organizations/?{query}").content.decode()

    assert len(_page_keys() - stored) == 1


@pytest.mark.parametrize(
    "path",
    ["/", "/meetings/?x=1", "/workspace/?page=999", "/privacy/?v=2", "/api/v1/organizations/?y=1"],
)
def test_other_public_pages_store_only_their_declared_parameters(client, path):
    stored = _page_keys()

    response = client.get(path if "?" in path else f"{path}?random=1")

    assert response.status_code < 500
    assert _page_keys() == stored


def test_a_flood_of_random_query_strings_stores_no_more_pages_than_valid_filters_asked_for(
    client,
):
    # given a directory with a few areas, and the broker's keys as they are
    areas = [factories.AreaFactory(slug=f"oblast-{n}") for n in range(3)]
    for n in range(3):
        factories.OrganizationFactory(name=f"Udruženje {n}", country="SE").areas.add(areas[n])
    broker_before = _broker_keys()
    rng = random.Random(17)
    valid_requests = set()

    # when 500 visitors ask for random query strings, a fifth of them valid filters
    for n in range(500):
        path = rng.choice(["/organizations/", "/meetings/", "/workspace/", "/"])
        if n % 5 == 0:
            query = urlencode(
                {
                    "country": rng.choice(["", "SE", "DE", "BA"]),
                    "area": rng.choice(["", *(a.slug for a in areas)]),
                }
            )
            if path in ("/organizations/", "/workspace/"):  # the pages with these filters
                valid_requests.add((path, query))
        else:
            name = "".join(rng.choices(string.ascii_lowercase, k=6))
            value = "".join(rng.choices(string.ascii_letters + string.digits, k=8))
            query = rng.choice([f"{name}={value}", f"country={value}", f"page=-{n}"])
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, (path, query)

    # then only pages of valid filter combinations are stored, and the broker was not touched
    assert 0 < len(_page_keys()) <= len(valid_requests)
    assert _broker_keys() == broker_before
