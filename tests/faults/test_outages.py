"""Redis and PostgreSQL failing under a staff member's save."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from mail import services as mail_services
from mail.models import OutgoingEmail
from meetings.models import Meeting
from organizations import services as organization_services
from organizations.models import Organization
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def cache_outage(settings, closed_port):
    """Point the shared cache at a Redis that is down; ``end()`` brings the real one back."""
    original = settings.CACHES

    def start():
        default = dict(original["default"], LOCATION=f"redis://127.0.0.1:{closed_port}/0")
        settings.CACHES = {"default": default}

    def end():
        settings.CACHES = original

    return start, end


def test_with_redis_down_staff_save_a_meeting_and_approve_and_the_email_goes_once_it_is_back(
    staff_client, broker_outage, cache_outage, smtp_server, worker_processes
):
    # given an organization waiting for review, whose admin is e-mailed on approval
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    # when Redis (broker and cache alike) goes down while staff work
    start_broker_outage, end_broker_outage = broker_outage
    start_cache_outage, end_cache_outage = cache_outage
    start_broker_outage("refused")
    start_cache_outage()

    created = staff_client.post(
        reverse("staff_meetings:create"),
        {
            "kind": "check_in",
            "title": "5. Diaspora Online Check-In",
            "time_zone": "Europe/Sarajevo",
            "starts_at": "2030-03-01T11:00",
            "ends_at": "2030-03-01T12:30",
            "scope": "everyone",
        },
    )
    approved = staff_client.post(reverse("staff_organizations:approve", args=[organization.pk]))

    # then both pages answer and both changes are saved; the e-mail waits in the outbox
    assert created.status_code == 302
    assert approved.status_code == 302
    assert Meeting.objects.filter(title="5. Diaspora Online Check-In").exists()
    organization.refresh_from_db()
    assert organization.status == Organization.Status.APPROVED
    email = OutgoingEmail.objects.get(to=admin.email)
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.enqueued_at is None

    # when Redis returns, the sweep sends the e-mail, once
    end_broker_outage()
    end_cache_outage()
    worker_processes(smtp_port=smtp_server.port)
    OutgoingEmail.objects.update(next_attempt_at=email.created_at)  # the grace has passed
    assert mail_services.sweep_outbox() == 1
    smtp_server.wait_for(1)
    assert mail_services.sweep_outbox() == 0
    [message] = smtp_server.messages
    assert message["To"] == admin.email
    assert message["Message-ID"] == email.message_id


def test_database_connection_dropped_mid_save_shows_the_error_page_and_writes_nothing(
    staff_client, test_database_url, monkeypatch
):
    # given an organization whose approval writes its status, its history and an e-mail
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    factories.MembershipFactory(organization=organization, role="admin")
    history_before = _history_rows()
    email_admins = organization_services._email_admins

    def connection_dropped_halfway(*args, **kwargs):
        # the status is written; now the database connection of this request goes away
        pid = connection.connection.info.backend_pid
        with psycopg.connect(test_database_url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return email_admins(*args, **kwargs)

    monkeypatch.setattr(organization_services, "_email_admins", connection_dropped_halfway)
    staff_client.raise_request_exception = False

    response = staff_client.post(reverse("staff_organizations:approve", args=[organization.pk]))

    # then the portal's own error page, no traceback, and none of the writes
    assert response.status_code == 500
    html = response.content.decode()
    assert "<main" in html
    assert "Traceback" not in html
    assert "psycopg" not in html
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PENDING
    assert _history_rows() == history_before
    assert not OutgoingEmail.objects.exists()


def _history_rows() -> int:
    return Organization.history.count()
