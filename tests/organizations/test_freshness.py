import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mail.models import OutgoingEmail
from organizations import services
from organizations.tasks import nudge_stale_organizations_task
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def freshness_rules(settings):
    settings.ORGANIZATION_FRESHNESS_DAYS = 365
    settings.ORGANIZATION_NUDGE_INTERVAL_DAYS = 30
    settings.ORGANIZATION_MAX_NUDGES = 2


def stale_organization(**kwargs):
    organization = factories.OrganizationFactory(
        last_confirmed_at=timezone.now() - timedelta(days=400), **kwargs
    )
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    return organization, admin


def test_stale_profile_admins_are_nudged_once_per_period(django_capture_on_commit_callbacks):
    organization, admin = stale_organization()
    now = timezone.now()

    services.nudge_stale_organizations(now=now)
    services.nudge_stale_organizations(now=now + timedelta(days=1))
    services.nudge_stale_organizations(now=now + timedelta(days=29))

    organization.refresh_from_db()
    assert organization.nudges_sent == 1
    assert organization.last_nudged_at == now
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [admin.email]
    assert OutgoingEmail.objects.get().template == "organizations/emails/nudge"


def test_current_or_unlisted_profiles_are_not_nudged():
    factories.OrganizationFactory()  # confirmed just now
    stale_organization(status="pending", approved_at=None)
    stale_organization(status="archived")

    counts = services.nudge_stale_organizations()

    assert counts == {"nudged": 0, "dormant": 0}
    assert not OutgoingEmail.objects.exists()


def test_nudges_stop_at_the_maximum_and_the_profile_then_becomes_dormant():
    organization, _admin = stale_organization()
    now = timezone.now()

    for day in [0, 30, 60]:
        services.nudge_stale_organizations(now=now + timedelta(days=day))

    organization.refresh_from_db()
    assert organization.nudges_sent == 2
    assert organization.dormant_since == now + timedelta(days=60)
    assert organization.status == "approved"  # still listed, never deleted
    assert OutgoingEmail.objects.count() == 2


def test_profile_is_not_dormant_before_the_last_nudge_had_its_interval():
    organization, _admin = stale_organization()
    now = timezone.now()

    for day in [0, 30, 59]:
        services.nudge_stale_organizations(now=now + timedelta(days=day))

    organization.refresh_from_db()
    assert organization.dormant_since is None


def test_confirming_resets_the_nudges_so_a_later_period_starts_again():
    organization, admin = stale_organization()
    services.nudge_stale_organizations()

    services.confirm_current(organization=organization, by=admin)

    organization.refresh_from_db()
    assert organization.nudges_sent == 0
    assert organization.last_nudged_at is None
    assert services.nudge_stale_organizations() == {"nudged": 0, "dormant": 0}


def test_the_beat_task_runs_the_service():
    stale_organization()

    assert nudge_stale_organizations_task() == {"nudged": 1, "dormant": 0}
    assert nudge_stale_organizations_task() == {"nudged": 0, "dormant": 0}


def test_the_beat_entry_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "organizations.nudge_stale_organizations" in tasks


def test_nudge_email_shows_script_in_the_name_inert():
    stale_organization(name="<script>alert(1)</script>")

    services.nudge_stale_organizations()

    email = OutgoingEmail.objects.get()
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_nudge_each_profile_once():
    for _n in range(30):
        stale_organization()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(services.nudge_stale_organizations())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r["nudged"] for r in results) == 30
    assert OutgoingEmail.objects.count() == 30
