"""BiH institutions abroad: what covers a country, the public pages, the staff pages, the
organization profile, the page cache."""

import pytest
from django.test import Client

from core.page_cache import forget_pages
from institutions import queries, services
from institutions.forms import InstitutionForm
from institutions.models import Institution
from tests import factories

pytestmark = pytest.mark.django_db


# --- Model and queries ------------------------------------------------------------------------


def test_an_institution_without_covered_countries_covers_its_own_country():
    institution = Institution(key="gk-minhen", name="GK Minhen", kind="consulate_general")
    institution.country = "DE"
    institution.city = "Minhen"

    institution.full_clean()

    assert [c.code for c in institution.covered_countries] == ["DE"]


def test_institutions_for_a_country_are_the_active_ones_covering_it_embassy_first():
    consulate = factories.InstitutionFactory(kind="consulate_general", city="Minhen")
    embassy = factories.InstitutionFactory(kind="embassy", city="Berlin")
    factories.InstitutionFactory(is_active=False)
    factories.InstitutionFactory(country="AT", city="Beč")
    factories.InstitutionFactory(country="CH", covered_countries=["CH", "LI"])

    assert queries.institutions_for_country("DE") == [embassy, consulate]
    assert [i.country.code for i in queries.institutions_for_country("LI")] == ["CH"]
    assert queries.institutions_for_country("") == []


def test_a_code_is_never_found_across_two_codes():
    factories.InstitutionFactory(country="AD", covered_countries=["AD", "EG"])

    assert queries.institutions_for_country("DE") == []


def test_saving_through_the_service_records_who_changed_it(staff_user):
    form = InstitutionForm(
        {"key": "ambasada-oslo", "name": "Ambasada Oslo", "kind": "embassy", "country": "NO"}
        | {"city": "Oslo", "is_active": "on"}
    )
    assert form.is_valid(), form.errors

    institution = services.save_institution(form=form, by=staff_user)

    assert institution.history.get().history_user == staff_user


# --- Public pages ---------------------------------------------------------------------------


def test_public_page_filters_by_country_covered_and_kind(client):
    factories.InstitutionFactory(
        name="Ambasada u Bernu", country="CH", covered_countries=["CH", "LI"]
    )
    factories.InstitutionFactory(name="Ambasada u Beču", country="AT")
    factories.InstitutionFactory(
        name="Počasni konzulat Vaduz", country="LI", kind="honorary_consulate"
    )

    html = client.get("/institutions/?country=LI").content.decode()
    assert "Ambasada u Bernu" in html and "Počasni konzulat Vaduz" in html
    assert "Ambasada u Beču" not in html

    html = client.get("/institutions/?country=LI&kind=embassy").content.decode()
    assert "Ambasada u Bernu" in html and "Počasni konzulat Vaduz" not in html


def test_hidden_institutions_are_neither_listed_nor_shown(client):
    hidden = factories.InstitutionFactory(name="Skriveni konzulat", is_active=False)

    assert "Skriveni konzulat" not in client.get("/institutions/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("query", ["country=XX", "kind=palace"])
def test_a_bad_filter_is_a_422_with_a_message(client, query):
    response = client.get(f"/institutions/?{query}")

    assert response.status_code == 422
    assert "error-summary" in response.content.decode()


def test_detail_page_shows_the_offices_contact_and_sanitized_notes(client):
    institution = factories.InstitutionFactory(
        name="Ambasada Berlin",
        phone="+49 30 8147120",
        opening_notes="**Pon–pet** 9–13 <script>alert(1)</script>",
    )

    html = client.get(institution.get_absolute_url()).content.decode()

    assert "ambasada" in html and institution.email in html
    assert "tel:+49308147120" in html
    assert "<strong>Pon–pet</strong>" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("language", ["bs", "en"])
def test_public_pages_answer_in_both_languages(client, language):
    institution = factories.InstitutionFactory()
    client.cookies["django_language"] = language

    assert client.get("/institutions/").status_code == 200
    assert client.get(institution.get_absolute_url()).status_code == 200


def test_directory_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _ in range(20):
        factories.InstitutionFactory()

    # the institutions, the countries covered for the select
    with django_assert_num_queries(2):
        client.get("/institutions/?country=DE")


# --- On the organization's profile ----------------------------------------------------------


def test_profile_shows_the_institutions_for_the_organizations_country(client):
    organization = factories.OrganizationFactory(country="CH")
    factories.InstitutionFactory(name="Ambasada u Bernu", country="CH", phone="+41 31 3511051")
    factories.InstitutionFactory(name="Ambasada u Berlinu", country="DE")

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "Ambasada u Bernu" in html
    assert "tel:+41313511051" in html
    assert "Ambasada u Berlinu" not in html


@pytest.mark.parametrize("count", [1, 10])
def test_profile_adds_one_query_for_the_institutions(client, django_assert_num_queries, count):
    organization = factories.OrganizationFactory(country="DE")
    for _ in range(count):
        factories.InstitutionFactory(country="DE")

    # the organization, its areas, channels and contacts, the action items, the institutions
    with django_assert_num_queries(6):
        response = client.get(organization.get_absolute_url())
    assert response.content.decode().count('href="/institutions/ambasada-') == count


# --- The page cache -------------------------------------------------------------------------


def test_a_change_to_an_institution_renews_the_cached_profile(
    settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()
    organization = factories.OrganizationFactory(country="AT")
    visitor = Client()
    assert "Ambasada u Beču" not in visitor.get(organization.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        factories.InstitutionFactory(name="Ambasada u Beču", country="AT")

    assert "Ambasada u Beču" in visitor.get(organization.get_absolute_url()).content.decode()


# --- Staff pages ----------------------------------------------------------------------------


def test_staff_create_edit_and_remove_an_institution(staff_client):
    data = {
        "key": "ambasada-kopenhagen",
        "name": "Ambasada Kopenhagen",
        "kind": "embassy",
        "country": "DK",
        "city": "Kopenhagen",
        "covered_countries": ["DK", "IS"],
        "is_active": "on",
    }
    response = staff_client.post("/staff/institutions/new/", data)
    assert response.status_code == 302
    institution = Institution.objects.get(key="ambasada-kopenhagen")
    assert [c.code for c in institution.covered_countries] == ["DK", "IS"]

    response = staff_client.post(
        f"/staff/institutions/{institution.pk}/", data | {"city": "København"}
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.city == "København"
    assert "Ambasada Kopenhagen" in staff_client.get("/staff/institutions/").content.decode()

    staff_client.post(f"/staff/institutions/{institution.pk}/delete/")
    assert not Institution.objects.exists()


def test_staff_form_with_errors_is_a_422(staff_client):
    response = staff_client.post("/staff/institutions/new/", {"name": "", "website": "ftp://x"})

    assert response.status_code == 422
    assert not Institution.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "user", "admin"])
def test_only_staff_reach_the_staff_pages(client, role):
    institution = factories.InstitutionFactory()
    if role == "user":
        client.force_login(factories.UserFactory())
    elif role == "admin":
        client.force_login(factories.MembershipFactory(role="admin").user)

    for path in ["/staff/institutions/", "/staff/institutions/import/template.csv"]:
        assert client.get(path).status_code in (302, 403)
    response = client.post(f"/staff/institutions/{institution.pk}/delete/")
    assert response.status_code in (302, 403)
    assert Institution.objects.filter(pk=institution.pk).exists()
