"""A copy of one's data is never stuck: the broker down, a failing or killed preparation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from privacy import services, tasks
from privacy.models import DataExport
from tests import factories
from tests.mail import conftest as mail_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

Status = DataExport.Status
broker_outage = mail_fixtures.broker_outage


def _age(export, **delta):
    DataExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(**delta),
        attempted_at=(timezone.now() - timedelta(**delta)) if export.attempted_at else None,
    )


def test_a_copy_asked_for_while_the_broker_is_down_is_prepared_once_it_returns(
    client, broker_outage, published
):
    user = factories.UserFactory()
    client.force_login(user)
    start_outage, end_outage = broker_outage
    start_outage("refused")

    response = client.post(reverse("privacy:request_export"))

    # no error page: the request is stored and waits for the sweep
    assert response.status_code == 302
    export = DataExport.objects.get(requested_by=user)
    assert export.status == Status.PENDING
    assert client.post(reverse("privacy:request_export")).status_code == 302
    assert DataExport.objects.filter(requested_by=user).count() == 1

    # the broker returns; the sweep (beat, each minute) enqueues the copy once it is stale
    end_outage()
    assert services.sweep_pending_exports() == 0  # too fresh: its own task may still come
    _age(export, minutes=2)
    assert services.sweep_pending_exports() == 1
    [(task, args)] = published()
    assert task == "privacy.prepare_export"
    tasks.prepare_export_task(*args)  # what the worker runs

    export.refresh_from_db()
    assert export.status == Status.READY
    assert OutgoingEmail.objects.filter(to=user.email, template="privacy/emails/export_ready")


def test_a_failing_preparation_is_tried_again_and_given_up_with_a_message_to_the_person(
    client, monkeypatch
):
    user = factories.UserFactory(language="bs")
    export = DataExport.objects.create(requested_by=user, subject_user=user)

    def broken(_user):
        raise RuntimeError("a provider failed")

    monkeypatch.setattr(services, "build_user_export", broken)
    for attempt in range(1, services.EXPORT_MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            services.prepare_export(export_id=export.pk)
        export.refresh_from_db()
        assert export.attempts == attempt

    assert export.status == Status.FAILED
    [email] = OutgoingEmail.objects.filter(to=user.email)
    assert email.template == "privacy/emails/export_failed"
    assert "/privacy/my-data/" in email.body_text
    # the data page says so, and a new copy can be asked for
    client.force_login(user)
    assert (
        "Kopija nije mogla biti pripremljena"
        in client.get(reverse("privacy:my_data")).content.decode()
    )
    client.post(reverse("privacy:request_export"))
    assert DataExport.objects.filter(requested_by=user, status=Status.PENDING).count() == 1


def test_the_sweep_tries_a_copy_again_only_after_its_last_attempt_had_time_to_finish(published):
    user = factories.UserFactory()
    export = DataExport.objects.create(
        requested_by=user, subject_user=user, attempts=1, attempted_at=timezone.now()
    )

    assert services.sweep_pending_exports() == 0
    _age(export, minutes=11)
    assert services.sweep_pending_exports() == 1
    assert [task for task, _args in published()] == ["privacy.prepare_export"]
