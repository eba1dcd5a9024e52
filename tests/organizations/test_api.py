"""The read-only JSON API: listed organizations, public fields only, fixed queries, schema."""

import json

import pytest
from django.utils import timezone

from tests import factories
from tests.organizations.conftest import ROLES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations/"


def slugs(response) -> list[str]:
    return [o["slug"] for o in response.json()["results"]]


def organization_with_secrets():
    organization = factories.OrganizationFactory(
        slug="dzemat-dakovo",
        name="Džemat Đakovo",
        staff_notes="STAFF-ONLY note",
        status_reason="REASON-ONLY",
    )
    factories.ContactFactory(
        organization=organization, name="Private Person", email="private@hidden.example"
    )
    factories.ContactFactory(
        organization=organization,
        name="Public Person",
        email="public@contact.example",
        is_public=True,
    )
    factories.ChannelFactory(organization=organization, value="https://public.example/g")
    factories.ChannelFactory(
        organization=organization, value="https://members.example/g", visibility="members"
    )
    return organization


@pytest.mark.parametrize("role", ROLES)
def test_list_holds_only_approved_organizations_for_every_role(client, login_as, role):
    organization = factories.OrganizationFactory(slug="listed")
    for status in ["draft", "pending", "rejected", "archived"]:
        factories.OrganizationFactory(slug=f"hidden-{status}", status=status)
    login_as(role, organization)

    response = client.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert slugs(response) == ["listed"]


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived"])
@pytest.mark.parametrize("role", ["anonymous", "member", "admin", "staff"])
def test_unlisted_organization_is_a_404_for_every_role(client, login_as, role, status):
    # The API has no sessions: even an organization's own admins get public data only.
    organization = factories.OrganizationFactory(slug="not-listed", status=status)
    login_as(role, organization)

    assert client.get(f"{LIST}not-listed/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_private_contacts_channels_and_staff_fields_never_reach_the_api(client, login_as, role):
    organization = organization_with_secrets()
    login_as(role, organization)

    for url in [LIST, f"{LIST}dzemat-dakovo/"]:
        body = client.get(url).content.decode()

        for secret in [
            "STAFF-ONLY",
            "REASON-ONLY",
            "Private Person",
            "private@hidden.example",
            "https://members.example/g",
            "staff_notes",
            "status_reason",
        ]:
            assert secret not in body
        assert "Public Person" in body
        assert "https://public.example/g" in body


def test_detail_has_the_public_fields(client):
    area = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    organization_with_secrets().areas.set([area])

    data = client.get(f"{LIST}dzemat-dakovo/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["name"] == "Džemat Đakovo"
    assert data["country"] == "DE"
    assert data["areas"] == [
        {"slug": "kultura", "name": "Culture", "names": {"bs": "Kultura", "en": "Culture"}}
    ]
    assert data["contacts"] == [
        {
            "name": "Public Person",
            "role": "Predsjednik",
            "email": "public@contact.example",
            "phone": "+49 30 1234567",
        }
    ]
    assert data["channels"] == [{"kind": "whatsapp", "value": "https://public.example/g"}]
    assert data["profile_url"] == "http://testserver/organizations/dzemat-dakovo/"
    assert data["verified"] is False


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "dzemat"}, ["dzemat-dakovo"]),
        ({"q": "djakovo"}, ["dzemat-dakovo"]),
        ({"q": "dakovo"}, ["dzemat-dakovo"]),
        ({"q": "zivinice"}, ["zivinice"]),
        ({"country": "AT"}, ["zivinice"]),
        ({"city": "wien"}, ["zivinice"]),
        ({"area": "sport"}, ["zivinice"]),
    ],
)
def test_list_uses_the_directory_filters(client, params, expected):
    sport = factories.AreaFactory(slug="sport")
    factories.OrganizationFactory(slug="dzemat-dakovo", name="Džemat Đakovo", city="Hamburg")
    factories.OrganizationFactory(
        slug="zivinice", name="Udruženje Živinice", country="AT", city="Wien", areas=[sport]
    )

    assert slugs(client.get(LIST, params)) == expected


@pytest.mark.parametrize("params", [{"country": "XX"}, {"area": "nope"}, {"q": "x" * 201}])
def test_malformed_filter_is_a_400_naming_the_parameter(client, params):
    response = client.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_malformed_page_is_a_404_not_a_500(client):
    assert client.get(LIST, {"page": "abc"}).status_code == 404


def test_list_is_paginated(client, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    for _ in range(3):
        factories.OrganizationFactory()
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)

    first = client.get(LIST).json()

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"].endswith("?page=2")


def test_script_in_name_and_description_stays_inert_data(client):
    factories.OrganizationFactory(
        slug="x",
        name="<script>alert('name')</script>",
        description="<script>alert('description')</script>",
    )

    response = client.get(f"{LIST}x/")

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data["name"] == "<script>alert('name')</script>"
    assert "<script" not in data["description_html"]
    assert "&lt;script&gt;" in data["description_html"]


@pytest.mark.parametrize("count", [5, 60])
def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    area = factories.AreaFactory()
    for _ in range(count):
        organization = factories.OrganizationFactory(areas=[area], verified_at=timezone.now())
        factories.ChannelFactory(organization=organization)
        factories.ContactFactory(organization=organization, is_public=True)

    # count, the page, its areas, public channels and public contacts
    with django_assert_num_queries(5):
        assert client.get(LIST).status_code == 200


def test_detail_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    organization_with_secrets()

    with django_assert_num_queries(4):
        assert client.get(f"{LIST}dzemat-dakovo/").status_code == 200


def test_api_is_read_only(client):
    factories.OrganizationFactory(slug="x")

    assert client.post(LIST, {"name": "New"}).status_code == 405
    assert client.delete(f"{LIST}x/").status_code == 405


def test_openapi_schema_describes_the_organizations_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/organizations/", "/api/v1/organizations/{slug}/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "country", "city", "area", "page"} <= parameters
    fields = schema["components"]["schemas"]["Organization"]["properties"]
    assert "staff_notes" not in fields
    assert "status_reason" not in fields


def test_docs_page_is_server_rendered_without_external_assets(client):
    response = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /api/v1/organizations/" in html
    assert "<code>q</code>" in html
    assert "https://cdn" not in html
    assert "<script" not in html.replace('<script src="/static/', "")


@pytest.mark.parametrize("field", ["q", "city", "country", "area"])
def test_nul_byte_in_a_filter_is_a_400_not_a_500(client, field):
    assert client.get(LIST, {field: "a\x00b"}).status_code == 400


@pytest.mark.parametrize("slug", ["a%00b", "%C5%BEivinice", "x" * 300])
def test_odd_slug_is_a_404_not_a_500(client, slug):
    assert client.get(f"{LIST}{slug}/").status_code == 404


def test_docs_page_follows_the_visitors_language(client):
    english = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bosnian = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="bs").content.decode()

    assert "<td>Country</td>" in english
    assert "<td>Država</td>" in bosnian
