"""/open-data/ and its downloads, and the staff page that asks a worker for a new snapshot."""

import pytest
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import timezone, translation

from opendata import services, snapshot
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def made(media):
    factories.OrganizationFactory(name="Udruženje Ljiljan", slug="ljiljan")
    return services.generate_snapshot()


def _page(language: str) -> str:
    client = Client(headers={"cookie": f"django_language={language}"})
    client.cookies["django_language"] = language
    response = client.get("/open-data/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "licence"),
    [("bs", "Otvoreni podaci", "Licenca"), ("en", "Open data", "Licence")],
)
def test_the_page_names_licence_snapshot_date_sizes_and_downloads(made, language, heading, licence):
    page = _page(language)

    assert f">{heading}</h1>" in page and licence in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in page
    local = timezone.localtime(made.created)
    assert f'<time datetime="{local:%Y-%m-%dT%H:%M:%S%z}">' in page
    for name in made.files:
        assert f'href="/open-data/{name}"' in page
    with translation.override(language):
        size = filesizeformat(made.files["organizations.csv"]["bytes"])
    assert size in page


def test_the_licence_comes_from_the_settings(made, settings):
    settings.OPEN_DATA_LICENSE_NAME = "ODbL 1.0"
    settings.OPEN_DATA_LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"

    page = _page("en")

    assert 'href="https://opendatacommons.org/licenses/odbl/1-0/" rel="license">ODbL 1.0' in page


def test_before_the_first_snapshot_the_page_says_when_it_comes_and_files_are_404(media):
    page = _page("en")

    assert "No snapshot has been made yet" in page
    assert Client().get("/open-data/organizations.csv").status_code == 404


def test_the_footer_links_to_the_open_data(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()


def test_a_csv_download_is_an_attachment_cacheable_by_anyone(made):
    response = Client().get("/open-data/organizations.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="organizations.csv"'
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    body = b"".join(response.streaming_content)
    assert body == made.path("organizations.csv").read_bytes()
    assert "Udruženje Ljiljan" in body.decode()


def test_json_files_are_served_as_json_and_unchanged_ones_answer_304(made):
    client = Client()
    response = client.get("/open-data/datapackage.json")

    assert response["Content-Type"] == "application/json"
    again = client.get("/open-data/datapackage.json", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["nope.csv", "current.json", "..%2fcurrent.json", "x"])
def test_only_the_files_of_the_package_are_served(made, name):
    assert Client().get(f"/open-data/{name}").status_code == 404


def test_a_new_snapshot_is_served_at_the_same_address(made):
    factories.OrganizationFactory(name="Klub Novi", slug="novi")
    services.generate_snapshot()

    body = b"".join(Client().get("/open-data/organizations.csv").streaming_content).decode()

    assert "Klub Novi" in body


# --- Staff --------------------------------------------------------------------------------


def test_staff_ask_for_a_snapshot_and_a_worker_makes_it_not_the_request(
    staff_client, media, published
):
    response = staff_client.post("/staff/open-data/")

    assert response.status_code == 302
    assert [task for task, _args in published()] == ["opendata.generate_snapshot"]
    assert snapshot.current() is None
    page = staff_client.get("/staff/open-data/").content.decode()
    assert "A new snapshot is being made" in page or "Pravi se novi presjek" in page


def test_the_staff_page_shows_the_snapshot_date_and_counts(staff_client, made):
    page = staff_client.get("/staff/open-data/").content.decode()

    assert 'id="open-data-snapshot"' in page
    assert f"<dd>{made.counts['organizations']}</dd>" in page


def test_with_the_broker_down_staff_are_told_and_nothing_breaks(staff_client, media, monkeypatch):
    from opendata import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.generate_snapshot_task, "apply_async", down)

    response = staff_client.post("/staff/open-data/", follow=True)

    assert response.status_code == 200
    assert (
        "notice--error" in response.content.decode()
        or "cannot be reached" in (response.content.decode())
        or "nije dostupan" in response.content.decode()
    )


@pytest.mark.parametrize("role", ["anonymous", "user", "member", "admin"])
def test_no_one_but_staff_can_ask_for_a_snapshot(media, published, role):
    client = Client()
    if role != "anonymous":
        organization = factories.OrganizationFactory()
        user = (
            factories.MembershipFactory(organization=organization, role=role).user
            if role != "user"
            else factories.UserFactory()
        )
        client.force_login(user)

    response = client.post("/staff/open-data/")

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    assert published() == []


@pytest.mark.parametrize("language", ["bs", "en"])
def test_the_pages_are_valid_html(html_checker, staff_client, media, language, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    empty = _page(language)
    factories.OrganizationFactory()
    services.generate_snapshot()
    staff_client.cookies["django_language"] = language

    errors = html_checker(
        {
            "open data before the first snapshot": empty,
            "open data": _page(language),
            "staff open data": staff_client.get("/staff/open-data/").content.decode(),
        }
    )

    assert errors == []
