"""The noticeboard page: who sees which posts, filters, search, htmx, fixed queries."""

import pytest
from django.urls import reverse

from tests import factories
from tests.workspace.conftest import PostFactory
from workspace.models import Post

pytestmark = pytest.mark.django_db
URL = "/workspace/"


def test_anonymous_visitors_see_public_posts_only(client, post_factory):
    post_factory(title="Javni poziv")
    post_factory(title="Samo za članove", visibility=Post.Visibility.MEMBERS)
    post_factory(title="Sakriveno", status=Post.Status.HIDDEN, hidden_reason="Spam")

    html = client.get(URL).content.decode()

    assert "Javni poziv" in html
    assert "Samo za članove" not in html
    assert "Sakriveno" not in html


def test_members_of_approved_organizations_see_members_only_posts_but_not_hidden_ones(
    client, author_member, post_factory
):
    post_factory(title="Samo za članove", visibility=Post.Visibility.MEMBERS)
    post_factory(title="Sakriveno", status=Post.Status.HIDDEN, hidden_reason="Spam")
    client.force_login(author_member)

    html = client.get(URL).content.decode()

    assert "Samo za članove" in html
    assert "Sakriveno" not in html


def test_the_author_organization_sees_its_hidden_post_on_the_board(
    client, author_admin, author_org, post_factory
):
    post_factory(organization=author_org, title="Sakriveno", status="hidden", hidden_reason="x")
    client.force_login(author_admin)

    assert "Sakriveno" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("query", "found"), [("skola", True), ("ŠKOLA", True), ("zivinice", True), ("beč", False)]
)
def test_search_ignores_diacritics(client, post_factory, query, found):
    post_factory(title="Ljetna škola", city="Živinice")

    html = client.get(URL, {"q": query}).content.decode()

    assert ("Ljetna škola" in html) is found


def test_filters_by_kind_area_country_and_state(client, post_factory):
    area = factories.AreaFactory(slug="obrazovanje")
    post_factory(title="Škola", kind="project_idea", areas=[area], country="BA")
    post_factory(title="Koncert", kind="event", country="AT")
    post_factory(title="Zatvoreno", kind="event", country="AT", closed_at="2026-01-01T00:00Z")

    def titles(**params):
        html = client.get(URL, params).content.decode()
        return {t for t in ("Škola", "Koncert", "Zatvoreno") if f">{t}</a>" in html}

    assert titles(kind="project_idea") == {"Škola"}
    assert titles(area="obrazovanje") == {"Škola"}
    assert titles(country="AT") == {"Koncert", "Zatvoreno"}
    assert titles(state="open") == {"Škola", "Koncert"}
    assert titles(state="closed") == {"Zatvoreno"}


@pytest.mark.parametrize("params", [{"country": "XX"}, {"kind": "spam"}, {"area": "nope"}])
def test_bad_filters_answer_422_with_a_message_next_to_the_field(client, params):
    response = client.get(URL, params)

    assert response.status_code == 422
    field = next(iter(params))
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("page", "message"), [("999", "fewer pages"), ("0", "whole number"), ("-3", "whole number")]
)
def test_a_page_number_out_of_range_answers_422_with_a_message(client, post_factory, page, message):
    post_factory(title="Škola")

    response = client.get(URL, {"page": page}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert "Škola" in content  # the nearest page is shown


def test_htmx_filter_returns_only_the_board_body(client, post_factory):
    post_factory(title="Škola")

    response = client.get(URL, {"q": "skola"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "Škola" in html
    assert "HX-Request" in response["Vary"]


def test_load_more_appends_the_next_page_of_cards(client, post_factory, settings):
    settings.WORKSPACE_POSTS_PER_PAGE = 2
    for number in range(5):
        post_factory(title=f"Objava broj {number}")

    first = client.get(URL).content.decode()
    more = client.get(URL, {"page": 2, "more": 1}, HTTP_HX_REQUEST="true").content.decode()

    assert 'id="load-more"' in first
    assert "<html" not in more and "<form" not in more
    assert more.count('class="org-card post-card') == 2
    assert 'id="load-more"' in more  # a third page is left


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_board_runs_the_same_number_of_queries_for_3_and_30_posts(
    client, request, author_org, django_assert_num_queries, role
):
    if role == "admin":
        client.force_login(request.getfixturevalue("author_admin"))
    areas = [factories.AreaFactory(slug=f"oblast-{n}") for n in range(3)]

    def seed(count):
        Post.objects.all().delete()
        for number in range(count):
            post = PostFactory(organization=author_org, title=f"Objava {number}", areas=areas)
            post.interests.create(organization=factories.OrganizationFactory(), message="Da")

    seed(3)
    client.get(URL)  # warm the session and the user
    # anonymous: posts page, count, areas of the cards, areas for the filter, countries;
    # logged in adds the session with the user and its staff group flag, admin organizations
    # and focal point (the session's last-seen row is written at most once a minute).
    expected = 5 if role == "anonymous" else 8
    with django_assert_num_queries(expected):
        client.get(URL)
    seed(30)
    with django_assert_num_queries(expected):
        client.get(URL)


def test_navigation_links_to_the_workspace(client):
    assert 'href="/workspace/"' in client.get(reverse("home")).content.decode()


def test_post_page_runs_the_same_number_of_queries_for_2_and_10_interests(
    client, post, author_admin, django_assert_num_queries
):
    client.force_login(author_admin)

    def add_interests(count):
        for _number in range(count):
            post.interests.create(organization=factories.OrganizationFactory(), message="Da")
        post.areas.add(factories.AreaFactory())

    add_interests(2)
    client.get(post.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(post.get_absolute_url())
    add_interests(8)
    with django_assert_num_queries(len(few)):
        client.get(post.get_absolute_url())
