"""Deleting outbox rows at scale: a fast delete that never loads bodies, in bounded batches."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mail import services
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def _old_emails(count, *, days=40):
    OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            to=f"org{i}@example.org",
            from_email="portal@example.org",
            subject="Poziv",
            body_text="Tekst " * 200,
            attachments=[{"filename": "invite.ics", "content": "BEGIN:VCALENDAR"}],
            language="bs",
            status=OutgoingEmail.Status.SENT,
            sent_at=timezone.now() - timedelta(days=days),
        )
        for i in range(count)
    )


def test_deleting_an_outgoing_email_is_one_delete_without_loading_its_body():
    _old_emails(1)
    email = OutgoingEmail.objects.get()

    with CaptureQueriesContext(connection) as queries:
        OutgoingEmail.objects.filter(pk=email.pk).delete()

    assert [q["sql"].split()[0] for q in queries] == ["DELETE"]
    assert not OutgoingEmail.objects.exists()


def _purge_queries(count, settings):
    OutgoingEmail.objects.all().delete()
    _old_emails(count)
    with CaptureQueriesContext(connection) as queries:
        assert services.purge_old_emails(retention_days=30) == count
    assert not OutgoingEmail.objects.exists()
    return [q["sql"] for q in queries]


def test_purging_old_emails_runs_the_same_queries_for_5_or_50_rows_and_never_loads_a_body(
    settings,
):
    few = _purge_queries(5, settings)
    many = _purge_queries(50, settings)

    assert len(few) == len(many)
    assert not [sql for sql in many if "body_text" in sql]


def test_purging_old_emails_deletes_in_batches_of_bounded_size(settings, monkeypatch):
    monkeypatch.setattr(services, "PURGE_BATCH", 10)
    _old_emails(35)
    recent = OutgoingEmail.objects.create(
        to="new@example.org",
        from_email="portal@example.org",
        subject="Novo",
        body_text=".",
        language="bs",
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
    )

    with CaptureQueriesContext(connection) as queries:
        assert services.purge_old_emails(retention_days=30) == 35

    deletes = [q["sql"] for q in queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 4 + 1  # four batches of sent rows, one of failed and expired ones
    assert list(OutgoingEmail.objects.all()) == [recent]


def test_a_purged_email_leaves_the_invitation_and_notice_that_named_it_without_a_reference():
    from meetings.models import Invitation, Notice
    from tests import factories

    _old_emails(1)
    email = OutgoingEmail.objects.get()
    meeting = factories.MeetingFactory()
    invitation = Invitation.objects.create(
        meeting=meeting,
        organization=factories.OrganizationFactory(),
        email="org@example.org",
        token_hash="t".ljust(64, "0"),
        last_email=email,
    )
    notice = Notice.objects.create(
        meeting=meeting, invitation=invitation, kind="summary", email=email
    )

    assert services.purge_old_emails(retention_days=30) == 1

    invitation.refresh_from_db()
    notice.refresh_from_db()
    assert invitation.last_email_id is None
    assert notice.email_id is None
