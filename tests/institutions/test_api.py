"""The read-only institutions API: shown institutions only, filters, schema."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/institutions/"


def keys(response) -> list[str]:
    return sorted(i["key"] for i in response.json()["results"])


def test_list_holds_only_shown_institutions(client):
    factories.InstitutionFactory(key="ambasada-berlin")
    factories.InstitutionFactory(key="skriveno", is_active=False)

    assert keys(client.get(LIST)) == ["ambasada-berlin"]
    assert client.get(f"{LIST}skriveno/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("country=LI", ["ambasada-bern"]),
        ("kind=consulate_general", ["gk-minhen"]),
        ("country=DE&kind=embassy", ["ambasada-berlin"]),
        ("", ["ambasada-berlin", "ambasada-bern", "gk-minhen"]),
    ],
)
def test_list_filters_by_country_covered_and_kind(client, params, expected):
    factories.InstitutionFactory(key="ambasada-berlin")
    factories.InstitutionFactory(key="gk-minhen", kind="consulate_general", city="Minhen")
    factories.InstitutionFactory(key="ambasada-bern", country="CH", covered_countries=["CH", "LI"])

    response = client.get(f"{LIST}?{params}")

    assert response.status_code == 200
    assert keys(response) == expected


@pytest.mark.parametrize("params", ["country=XX", "kind=palace"])
def test_bad_filter_is_a_400_naming_the_parameter(client, params):
    response = client.get(f"{LIST}?{params}")

    assert response.status_code == 400
    assert params.split("=")[0] in response.json()


def test_detail_has_the_public_fields(client):
    factories.InstitutionFactory(
        key="ambasada-bern",
        country="CH",
        covered_countries=["CH", "LI"],
        opening_notes="**Pon**",
        phone="+41 31 3511051",
    )

    data = client.get(f"{LIST}ambasada-bern/").json()

    assert data["covered_countries"] == ["CH", "LI"]
    assert data["phone"] == "+41 31 351 10 51"
    assert data["opening_notes_html"].strip() == "<p><strong>Pon</strong></p>"
    assert data["page_url"].endswith("/institutions/ambasada-bern/")


def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(15):
        factories.InstitutionFactory()

    with django_assert_num_queries(2):  # the count and the page
        client.get(LIST)


def test_openapi_schema_describes_the_institutions_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()

    assert "/api/v1/institutions/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/institutions/"]["get"]["parameters"]}
    assert {"country", "kind"} <= parameters
