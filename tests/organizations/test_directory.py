"""The public directory: who sees what, search, filters with counts, pagination, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from tests import factories
from tests.organizations.conftest import ROLES

pytestmark = pytest.mark.django_db

URL = "/organizations/"


def names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.mark.parametrize("role", ROLES)
def test_directory_lists_only_approved_organizations_for_every_role(client, login_as, role):
    approved = factories.OrganizationFactory(name="Listed Udruženje")
    for status in ["draft", "pending", "rejected", "archived"]:
        factories.OrganizationFactory(name=f"Hidden {status}", status=status)
    login_as(role, approved)

    response = client.get(URL)

    assert response.status_code == 200
    assert names(response) == ["Listed Udruženje"]
    html = response.content.decode()
    assert "Hidden" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dzemat", "Džemat Đakovo"),
        ("DŽEMAT", "Džemat Đakovo"),
        ("djakovo", "Džemat Đakovo"),
        ("dakovo", "Džemat Đakovo"),
        ("zivinice", "Udruženje Živinice"),
        ("zivin", "Udruženje Živinice"),
        ("sevdah", "KUD Minhen"),
    ],
)
def test_search_ignores_case_and_bosnian_diacritics(client, query, expected):
    factories.OrganizationFactory(name="Džemat Đakovo", city="Hamburg", description="")
    factories.OrganizationFactory(name="Udruženje Živinice", city="Wien", description="")
    factories.OrganizationFactory(name="KUD Minhen", city="München", description="Večeri sevdaha")

    response = client.get(URL, {"q": query})

    assert names(response) == [expected]


def test_search_matches_city(client):
    factories.OrganizationFactory(name="Klub", city="Göteborg")
    factories.OrganizationFactory(name="Drugi klub", city="Malmö")

    assert names(client.get(URL, {"q": "goteborg"})) == ["Klub"]


def test_search_never_finds_unapproved_organizations(client):
    factories.OrganizationFactory(name="Džemat Pending", status="pending")

    response = client.get(URL, {"q": "dzemat"})

    assert names(response) == []
    assert "Džemat Pending" not in response.content.decode()


def test_filters_by_country_city_and_area(client):
    culture = factories.AreaFactory(slug="kultura")
    sport = factories.AreaFactory(slug="sport")
    factories.OrganizationFactory(name="A", country="DE", city="Berlin", areas=[culture])
    factories.OrganizationFactory(name="B", country="DE", city="Minhen", areas=[sport])
    factories.OrganizationFactory(name="C", country="AT", city="Beč", areas=[culture])

    assert names(client.get(URL, {"country": "DE"})) == ["A", "B"]
    assert names(client.get(URL, {"city": "minhen"})) == ["B"]
    assert names(client.get(URL, {"area": "kultura"})) == ["A", "C"]
    assert names(client.get(URL, {"country": "DE", "area": "kultura"})) == ["A"]


def test_country_select_shows_counts_per_country(client):
    for _ in range(3):
        factories.OrganizationFactory(country="DE")
    factories.OrganizationFactory(country="SE")
    factories.OrganizationFactory(country="NO", status="pending")

    html = client.get(URL).content.decode()

    assert '<option value="DE">Njemačka (3)</option>' in html
    assert '<option value="SE">Švedska (1)</option>' in html
    # Unlisted organizations are not counted; empty countries are not offered.
    assert 'value="NO"' not in html


def test_country_counts_follow_the_search_but_not_the_country_filter(client):
    factories.OrganizationFactory(name="Džemat Berlin", country="DE")
    factories.OrganizationFactory(name="Klub Berlin", country="DE")
    factories.OrganizationFactory(name="Džemat Malmö", country="SE")

    html = client.get(
        URL, {"q": "dzemat", "country": "DE"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert '<option value="DE" selected>Germany (1)</option>' in html
    assert '<option value="SE">Sweden (1)</option>' in html


def test_countries_are_in_alphabetical_order_of_their_bosnian_names(client):
    for code in ["TR", "SE", "SI", "DE"]:
        factories.OrganizationFactory(country=code)

    html = client.get(URL).content.decode()

    positions = [
        html.index(name) for name in ["Njemačka (", "Slovenija (", "Švedska (", "Turska ("]
    ]
    assert positions == sorted(positions)


def test_area_select_shows_counts(client):
    culture = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    factories.OrganizationFactory(areas=[culture])
    factories.OrganizationFactory(areas=[culture])

    html = client.get(URL).content.decode()

    assert '<option value="kultura">Kultura (2)</option>' in html


def test_chosen_country_shows_its_cities_with_counts(client):
    factories.OrganizationFactory(country="DE", city="Berlin")
    factories.OrganizationFactory(country="DE", city="Berlin")
    factories.OrganizationFactory(country="DE", city="Minhen")
    factories.OrganizationFactory(country="AT", city="Linz")

    response = client.get(URL, {"country": "DE"})

    cities = [(city, count) for city, count, _link, _chosen in response.context["city_counts"]]
    assert cities == [("Berlin", 2), ("Minhen", 1)]
    assert 'href="?country=DE&amp;city=Minhen"' in response.content.decode()


def test_a_citys_link_keeps_the_other_filters_drops_the_page_and_marks_the_chosen_city(client):
    factories.OrganizationFactory(country="DE", city="Köln", name="Udruženje Rajna")
    factories.OrganizationFactory(country="DE", city="Berlin", name="Udruženje Spree")

    query = {"q": "udruzenje", "country": "DE", "city": "berlin", "page": "1"}
    html = client.get(URL, query).content.decode()

    cologne = "?q=udruzenje&amp;country=DE&amp;city=K%C3%B6ln"
    berlin = "?q=udruzenje&amp;country=DE&amp;city=Berlin"
    assert f'<a href="{cologne}" data-hx-get="{cologne}" data-hx-target' in html
    assert (
        f'data-hx-get="{berlin}" data-hx-target="#directory" data-hx-push-url="true"'
        ' aria-current="true">Berlin'
    ) in html
    assert 'data-hx-push-url="true">Köln' in html  # not the chosen one


def test_pages_hold_twenty_and_keep_the_filters(client):
    for n in range(45):
        factories.OrganizationFactory(name=f"Udruženje {n:02}", country="DE")

    first = client.get(URL, {"country": "DE"})
    third = client.get(URL, {"country": "DE", "page": "3"})

    assert len(names(first)) == 20
    assert names(third) == [f"Udruženje {n}" for n in range(40, 45)]
    html = first.content.decode()
    assert 'href="?country=DE&amp;page=2"' in html
    # htmx swaps the next page in place; the plain link works without JavaScript.
    assert 'data-hx-get="?country=DE&amp;page=2" data-hx-target="#directory"' in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"country": "XX"}, "country", "There is no country with the code “XX”"),
        ({"area": "nope"}, "area", "There is no such area of activity"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"city": "y" * 101}, "city", "at most 100 characters"),
    ],
)
def test_malformed_filter_is_a_422_with_the_error_next_to_its_field(client, params, field, message):
    # Decision: a malformed parameter answers 422 (htmx swaps it in) with the field's error
    # shown next to it; the other, valid filters still apply.
    factories.OrganizationFactory(name="Still listed")

    response = client.get(URL, {"lang": "en", **params}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert names(response) == ["Still listed"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "9" * 30, "٣"])
def test_malformed_page_is_a_422_showing_the_first_page(client, page):
    factories.OrganizationFactory(name="Listed")

    response = client.get(URL, {"page": page}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.context["page"].number == 1
    assert "whole number" in response.content.decode()


def test_page_past_the_end_is_a_422_showing_the_last_page(client):
    for _ in range(21):
        factories.OrganizationFactory()

    response = client.get(URL, {"page": "7"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.context["page"].number == 2
    assert "fewer pages" in response.content.decode()


def test_htmx_request_gets_only_the_directory_body(client):
    factories.OrganizationFactory(name="Džemat Đakovo")

    response = client.get(URL, {"q": "dzemat"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="directory-results"' in html
    assert "Džemat Đakovo" in html
    assert "HX-Request" in response["Vary"]


def test_full_page_works_without_javascript(client):
    factories.OrganizationFactory(name="Džemat Đakovo")

    html = client.get(URL, {"q": "dzemat"}).content.decode()

    assert '<form class="directory__filters form" method="get" action="/organizations/"' in html
    assert 'data-hx-get="/organizations/"' in html
    assert 'data-hx-push-url="true"' in html
    assert "Džemat Đakovo" in html


def test_empty_directory_says_what_to_do_next(client):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No organization is listed yet." in html
    assert 'href="/accounts/signup/"' in html


def test_search_without_results_suggests_another_spelling(client):
    html = client.get(URL, {"q": "nothing"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No organization matches this search." in html
    assert "Clear all filters" in html


def test_cards_mark_verified_and_dormant_organizations(client):
    from django.utils import timezone

    factories.OrganizationFactory(name="Verified", verified_at=timezone.now())
    factories.OrganizationFactory(name="Dormant", dormant_since=timezone.now())
    factories.OrganizationFactory(name="Plain")

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    cards = response.content.decode().split('<li class="org-card">')[1:]
    by_name = {card.split("</a>")[0].rsplit(">", 1)[1]: card for card in cards}
    assert "badge--dormant" in by_name["Dormant"]
    assert "badge--verified" not in by_name["Dormant"]
    assert "badge--verified" in by_name["Verified"]
    assert "badge" not in by_name["Plain"]


def test_script_in_name_and_description_is_shown_inert(client):
    factories.OrganizationFactory(
        name="<script>alert('name')</script>",
        description="<script>alert('description')</script> <img src=x onerror=alert(1)>",
    )

    html = client.get(URL).content.decode()

    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_private_contacts_and_staff_notes_never_reach_the_directory(client):
    organization = factories.OrganizationFactory(
        staff_notes="STAFF-ONLY note", status_reason="REASON-ONLY"
    )
    factories.ContactFactory(
        organization=organization, name="Hidden Person", email="private@hidden.example"
    )

    html = client.get(URL).content.decode()

    for secret in ["STAFF-ONLY", "REASON-ONLY", "Hidden Person", "private@hidden.example"]:
        assert secret not in html


def _seed(count):
    culture = factories.AreaFactory(slug="kultura")
    organizations = [
        Organization(
            name=f"Džemat {n}",
            slug=f"dzemat-{n}",
            country="DE" if n % 2 else "AT",
            city=f"Grad {n % 7}",
            status="approved",
        )
        for n in range(count)
    ]
    for organization in organizations:
        organization.refresh_search_fields()
    Organization.objects.bulk_create(organizations)
    culture.organizations.set(Organization.objects.all())


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


FILTERED = {"country": "DE", "area": "kultura", "q": "dzemat", "page": "1"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, 7), ({"q": "dzemat"}, 7), (FILTERED, 9)],  # +2: the map (countries, cities)
    ids=["plain", "searched", "filtered"],
)
def test_directory_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, params, expected
):
    # counts per country (which also give the total), counts per area and the areas, the
    # page's rows and their areas; a chosen area is looked up, a chosen country adds its cities
    _seed(5)

    with django_assert_num_queries(expected):
        client.get(URL, params)


@pytest.mark.parametrize("params", [{}, FILTERED], ids=["plain", "filtered"])
def test_directory_queries_stay_fixed_from_5_to_500_organizations(client, params):
    _seed(5)
    small = _count_queries(client, params)
    Organization.objects.all().delete()
    _seed(500)

    large = _count_queries(client, params)

    assert large == small


def test_main_navigation_and_home_page_link_to_the_directory(client):
    home = client.get("/").content.decode()
    directory = client.get(URL).content.decode()

    assert home.count('href="/organizations/"') == 3
    assert '<a href="/organizations/" aria-current="page">' in directory


@pytest.mark.parametrize("field", ["q", "city", "country", "area", "page"])
def test_nul_byte_in_a_parameter_is_a_422_not_a_500(client, field):
    response = client.get(URL, {field: "a\x00b"})

    assert response.status_code == 422
