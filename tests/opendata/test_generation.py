"""Making a snapshot: batched reads, a fixed number of queries, the switch, the nightly task."""

import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendata import records, services, snapshot
from opendata.tasks import generate_snapshot_task
from organizations.models import CommunicationChannel, Organization
from tests import factories


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _seed(count: int) -> None:
    """``count`` listed organizations, each with an area and two channels (one members-only)."""
    start = Organization.objects.count()
    organizations = [
        Organization(
            name=f"Klub {start + n}",
            slug=f"klub-{start + n}",
            country="DE",
            city="Köln",
            status="approved",
        )
        for n in range(count)
    ]
    for organization in organizations:
        organization.refresh_search_fields()
    created = Organization.objects.bulk_create(organizations)
    area = factories.AreaFactory(slug="sport")
    area.organizations.add(*created)
    CommunicationChannel.objects.bulk_create(
        CommunicationChannel(organization=o, kind="facebook", value=f"https://fb.example/{o.slug}")
        for o in created
    )
    CommunicationChannel.objects.bulk_create(
        CommunicationChannel(organization=o, kind="viber", value="x", visibility="members")
        for o in created
    )


def _queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        services.generate_snapshot()
    return len(queries)


@pytest.mark.django_db
def test_the_number_of_queries_is_the_same_for_10_and_1000_organizations(media):
    _seed(10)
    factories.MeetingFactory()
    few = _queries()

    _seed(990)
    many = _queries()

    assert snapshot.current().counts["organizations"] == 1000
    assert many == few


@pytest.mark.django_db
def test_each_batch_of_organizations_costs_the_same_fixed_number_of_queries(media, settings):
    settings.OPEN_DATA_BATCH_SIZE = 100
    none = _queries()
    _seed(100)
    one_batch = _queries()

    _seed(200)
    three_batches = _queries()

    per_batch = one_batch - none
    assert per_batch <= 4  # the organizations' rows, areas, channels, contacts
    assert three_batches == one_batch + 2 * per_batch


@pytest.mark.django_db
def test_a_new_snapshot_replaces_the_current_one_and_its_date(media):
    factories.OrganizationFactory(slug="prva")
    first = services.generate_snapshot()
    factories.OrganizationFactory(slug="druga")

    second = services.generate_snapshot()

    assert snapshot.current() == second
    assert second.created > first.created
    assert second.counts["organizations"] == 2
    assert "druga" in second.path("organizations.csv").read_text()
    # The previous snapshot stays for downloads that began before the switch; older ones go.
    assert first.path("organizations.csv").exists()
    third = services.generate_snapshot()
    assert not first.path("organizations.csv").parent.exists()
    assert second.path("organizations.csv").exists()
    assert sorted(p.name for p in snapshot.root().iterdir()) == sorted(
        [second.id, third.id, snapshot.MANIFEST]
    )


@pytest.mark.django_db
def test_a_run_that_fails_leaves_the_current_snapshot_whole(media, monkeypatch):
    factories.OrganizationFactory()
    factories.MeetingFactory()
    current = services.generate_snapshot()
    factories.OrganizationFactory(slug="nova")

    def broken(meeting):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(records, "summary_record", broken)
    meeting = factories.MeetingFactory(status="held")
    from meetings import services as meeting_services

    meeting_services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak"})
    meeting_services.publish_minutes(meeting=meeting, by=None)
    with pytest.raises(RuntimeError):
        services.generate_snapshot()

    assert snapshot.current() == current
    assert "nova" not in current.path("organizations.csv").read_text()
    # Neither the failed run's folder nor a temporary file is left behind.
    assert sorted(p.name for p in snapshot.root().iterdir()) == [current.id, snapshot.MANIFEST]
    assert sorted(p.name for p in current.path("x").parent.iterdir()) == sorted(current.files)


def test_the_snapshot_is_made_each_night_by_beat():
    entries = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "opendata.generate_snapshot"
    ]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert len(schedule.day_of_week) == 7


@pytest.mark.slow
def test_the_task_on_a_real_worker_makes_a_new_snapshot_with_a_new_date(
    celery_worker, media, transactional_db
):
    factories.OrganizationFactory(slug="prva")
    before = services.generate_snapshot()
    factories.OrganizationFactory(slug="druga")

    generate_snapshot_task.delay()

    deadline = time.monotonic() + 60
    while snapshot.current() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    after = snapshot.current()
    assert after.id != before.id
    assert after.created > before.created
    assert after.counts["organizations"] == 2
