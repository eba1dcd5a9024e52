"""A broker that refuses or hangs must not hold a web worker; the e-mail waits in the outbox."""

import time

import pytest
from django.db import transaction
from django.urls import reverse

from mail import services
from mail.models import OutgoingEmail
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Connect and read time out after about two seconds; the rest is the request's own work.
FEW_SECONDS = 5


def _timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


@pytest.mark.parametrize("kind", ["refused", "hanging"])
def test_signup_answers_within_seconds_with_the_broker_down(client, broker_outage, kind):
    start_outage, _end_outage = broker_outage
    start_outage(kind)

    response, elapsed = _timed(
        lambda: client.post(
            reverse("account_signup"),
            {"email": f"selma-{kind}@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    )

    assert response.status_code == 302
    assert elapsed < FEW_SECONDS
    email = OutgoingEmail.objects.get(to=f"selma-{kind}@example.org")
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.enqueued_at is None  # no task message: the sweep will send one


@pytest.mark.parametrize("kind", ["refused", "hanging"])
def test_password_reset_answers_within_seconds_with_the_broker_down(client, broker_outage, kind):
    user = UserFactory()
    start_outage, _end_outage = broker_outage
    start_outage(kind)

    response, elapsed = _timed(
        lambda: client.post(reverse("account_reset_password"), {"email": user.email})
    )

    assert response.status_code == 302
    assert elapsed < FEW_SECONDS
    assert OutgoingEmail.objects.get(to=user.email).enqueued_at is None


def test_a_fan_out_waits_for_a_hanging_broker_once_not_once_per_email(broker_outage):
    start_outage, _end_outage = broker_outage
    start_outage("hanging")

    def fan_out():
        with transaction.atomic():
            for n in range(10):
                services.queue_rendered_email(
                    to=f"org{n}@example.org", subject="Poziv", body_text="x", language="bs"
                )

    _response, elapsed = _timed(fan_out)

    assert elapsed < FEW_SECONDS
    assert OutgoingEmail.objects.filter(enqueued_at__isnull=True).count() == 10


def test_emails_wait_in_the_outbox_until_the_broker_is_back(
    client, broker_outage, smtp_server, worker_processes
):
    start_outage, end_outage = broker_outage
    start_outage("hanging")
    client.post(reverse("account_reset_password"), {"email": "nobody-yet@example.org"})
    UserFactory(email="amir@example.org")
    client.post(reverse("account_reset_password"), {"email": "amir@example.org"})
    assert OutgoingEmail.objects.filter(enqueued_at__isnull=True).count() == 2

    # the broker returns; the sweep enqueues the rows once their grace has passed
    end_outage()
    worker_processes(smtp_port=smtp_server.port)
    assert services.sweep_outbox() == 0
    OutgoingEmail.objects.update(next_attempt_at=OutgoingEmail.objects.first().created_at)
    assert services.sweep_outbox() == 2

    messages = smtp_server.wait_for(2)
    assert {m["To"] for m in messages} == {"nobody-yet@example.org", "amir@example.org"}
