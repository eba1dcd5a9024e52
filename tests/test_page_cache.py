"""Public pages for visitors who are not signed in come from the shared cache, and only them."""

import pytest
from django.test import Client

from diaspora_portal.page_cache import forget_pages
from tests import factories

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
    from meetings import invitations
    from organizations.models import Organization

    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    path = invitations.rsvp_url(meeting.invitations.get()).split("testserver", 1)[1]
    first = client.get(path)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()

    # a second visitor gets a page with a token of their own, not the first visitor's
    other = Client().get(path)
    assert other.cookies["csrftoken"].value
    assert other.content != first.content
