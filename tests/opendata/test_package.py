"""The snapshot's files: a valid Frictionless Data Package, public values only, the right rows."""

from datetime import datetime

import frictionless
import pytest
from django.test import Client

from meetings.models import Minutes
from opendata import records, services, snapshot
from opendata.package import FILES
from organizations.api import OrganizationSerializer
from organizations.models import Organization
from tests import factories
from tests.opendata.helpers import (
    MARKER,
    all_texts,
    csv_cells,
    private_world,
    read_csv,
    read_json,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(media):
    return private_world()


def _files(made: snapshot.Snapshot) -> dict:
    return {data_file.name: made.path(data_file.name) for data_file in FILES}


def test_the_data_package_validates_with_frictionless(world):
    made = services.generate_snapshot()

    report = frictionless.validate(str(made.path("datapackage.json")))

    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    assert {task.name for task in report.tasks} >= {"organizations", "summaries", "action-items"}


def test_the_validator_rejects_a_file_that_breaks_its_schema(world):
    # The test above can fail: a row that contradicts its table schema is reported.
    made = services.generate_snapshot()
    path = made.path("action-items.csv")
    path.write_text(path.read_text(encoding="utf-8").replace(",done", ",maybe"), "utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "2-check-in,1,x,nobody,,,open\r\n")

    report = frictionless.validate(str(made.path("datapackage.json")))

    assert not report.valid


def test_the_package_describes_every_file_with_licence_sources_and_date(world, settings):
    settings.OPEN_DATA_LICENSE_NAME = "ODC-By 1.0"
    settings.OPEN_DATA_LICENSE_URL = "https://opendatacommons.org/licenses/by/1-0/"

    made = services.generate_snapshot()
    package = read_json(made.path("datapackage.json"))

    assert package["licenses"] == [
        {
            "name": "ODC-By-1.0",
            "title": "ODC-By 1.0",
            "path": "https://opendatacommons.org/licenses/by/1-0/",
        }
    ]
    assert package["sources"][0]["path"] == f"{settings.SITE_URL}/"
    assert datetime.fromisoformat(package["created"]) == made.created.replace(microsecond=0)
    described = {resource["path"] for resource in package["resources"]}
    assert described == {f.name for f in FILES} - {"datapackage.json"}
    for resource in package["resources"]:
        assert resource["bytes"] == made.path(resource["path"]).stat().st_size
        if resource["path"].endswith(".csv"):
            header = read_csv(made.path(resource["path"]))[0].keys()
            assert [f["name"] for f in resource["schema"]["fields"]] == list(header)


def test_no_private_value_appears_anywhere_in_the_package(world):
    made = services.generate_snapshot()

    leaks = []
    for name, path in _files(made).items():
        raw = path.read_text(encoding="utf-8")
        cells = csv_cells(path) if name.endswith(".csv") else all_texts(read_json(path))
        leaks += [f"{name}: {cell!r}" for cell in cells if MARKER.lower() in cell.lower()]
        if MARKER.lower() in raw.lower() and not leaks:
            leaks.append(f"{name}: in the raw text")

    assert leaks == []
    # The world does hold the marker in the database: the check looks for something real.
    assert Organization.objects.filter(staff_notes__contains=MARKER).exists()


def test_every_organization_field_is_one_the_api_shows_with_the_same_value(world, settings):
    made = services.generate_snapshot()
    client = Client()

    assert set(records.ORGANIZATION_FIELDS) <= set(OrganizationSerializer.Meta.fields)
    for record in read_json(made.path("organizations.json")):
        shown = client.get(f"/api/v1/organizations/{record['slug']}/").json()
        for field, value in record.items():
            expected = shown[field]
            if expected is None and value == "":
                continue  # the API's null for an empty text
            if field == "areas":
                expected = [area["slug"] for area in expected]
            elif field.endswith("_at") and expected:
                expected = records.timestamp(datetime.fromisoformat(expected))
            elif field in ("logo", "profile_url"):
                expected = expected and expected.replace("http://testserver", "")
                value = value.replace(settings.SITE_URL, "")
            assert value == expected, (record["slug"], field)


def test_every_summary_is_what_its_public_page_and_the_api_show(world):
    made = services.generate_snapshot()
    client = Client()

    for record in read_json(made.path("summaries.json")):
        page = client.get(f"/meetings/{record['slug']}/").content.decode()
        minutes = client.get(f"/api/v1/meetings/{record['slug']}/").json()["minutes"]
        assert record["decisions"] == minutes["decisions"]
        assert {s["language"]: s["text"] for s in minutes["summaries"]} == {
            language: text for language, text in record["summaries"].items() if text
        }
        for item in record["action_items"]:
            assert item["text"] in page
            if item["responsible_organization"]:
                assert f'href="/organizations/{item["responsible_organization"]}/"' in page


def test_counts_equal_the_listed_organizations_and_the_published_summaries(world):
    # Counted from the database independently of the open-data queries.
    listed = set(Organization.objects.filter(status="approved").values_list("slug", flat=True))
    published = set(
        Minutes.objects.filter(status="published").values_list("meeting__slug", flat=True)
    )

    made = services.generate_snapshot()

    assert {row["slug"] for row in read_csv(made.path("organizations.csv"))} == listed
    assert {o["slug"] for o in read_json(made.path("organizations.json"))} == listed
    popolo = read_json(made.path("organizations.popolo.json"))["organizations"]
    assert {o["id"] for o in popolo} == listed
    assert {row["slug"] for row in read_csv(made.path("summaries.csv"))} == published
    assert {m["slug"] for m in read_json(made.path("summaries.json"))} == published
    assert made.counts["organizations"] == len(listed) == 2
    assert made.counts["summaries"] == len(published) == 1
    assert {row["meeting"] for row in read_csv(made.path("decisions.csv"))} == published


def test_an_unlisted_responsible_organization_is_not_named(world):
    made = services.generate_snapshot()

    rows = read_csv(made.path("action-items.csv"))

    assert [(r["responsible"], r["responsible_organization"]) for r in rows] == [
        ("organization", "udruzenje-ljiljan"),
        ("ministry", ""),
        ("organization", ""),
    ]


def test_organizations_take_the_popolo_shape(world):
    made = services.generate_snapshot()

    popolo = {
        o["id"]: o for o in read_json(made.path("organizations.popolo.json"))["organizations"]
    }["udruzenje-ljiljan"]

    assert popolo["name"] == "Udruženje Ljiljan"
    assert popolo["classification"] == "association"
    assert popolo["founding_date"] == "1995"
    assert popolo["area"]["name"] == "Austria"
    assert popolo["area"]["identifiers"] == [{"scheme": "ISO 3166-1 alpha-2", "identifier": "AT"}]
    assert popolo["contact_details"] == [
        {"type": "email", "value": "info@ljiljan.example"},
        {"type": "voice", "value": "+43 1 2345678"},
        {"type": "facebook", "value": "https://fb.example/lj"},
    ]
    assert {"url": "https://ljiljan.example", "note": "website"} in popolo["links"]


def test_csv_cells_that_a_spreadsheet_would_run_are_guarded(media):
    factories.OrganizationFactory(name='=HYPERLINK("https://x.example")', city="+Graz")

    made = services.generate_snapshot()

    row = read_csv(made.path("organizations.csv"))[0]
    assert row["name"] == '\'=HYPERLINK("https://x.example")'
    assert row["city"] == "'+Graz"
    # JSON is not for spreadsheets: the value as written.
    assert read_json(made.path("organizations.json"))[0]["city"] == "+Graz"
