import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import MINISTRY_STAFF_GROUP
from mail import tasks
from mail.models import OutgoingEmail
from tests import factories

Status = OutgoingEmail.Status


def _failed_email(**kwargs):
    return OutgoingEmail.objects.create(
        to=kwargs.get("to", "org@example.org"),
        from_email="portal@example.org",
        subject=kwargs.get("subject", "Poziv na sastanak"),
        body_text="Tajna poruka",
        language="bs",
        status=kwargs.get("status", Status.FAILED),
        attempts=3,
        last_error="SMTPRecipientsRefused: 550 5.1.1 No such user",
        not_after=kwargs.get("not_after"),
        sent_at=timezone.now() if kwargs.get("status") == Status.SENT else None,
    )


@pytest.mark.django_db
def test_ministry_staff_group_cannot_view_the_outbox_in_the_admin():
    group = Group.objects.get(name=MINISTRY_STAFF_GROUP)

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert "view_outgoingemail" not in codenames
    assert "view_user" in codenames  # the migration removed only the outbox permission


@pytest.mark.django_db
def test_staff_dashboard_shows_how_many_emails_failed(client, staff_user_with_mfa):
    _failed_email()
    _failed_email()
    _failed_email(status=Status.SENT)
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    html = client.get("/staff/").content.decode()

    assert "2 e-maila nisu mogla biti dostavljena" in html
    assert 'href="/staff/outbox/failed/"' in html


@pytest.mark.django_db
def test_failed_list_shows_recipient_subject_and_error_but_no_body(
    client, staff_user_with_mfa, django_assert_max_num_queries
):
    for n in range(5):
        _failed_email(subject=f"Poziv {n}")
    _failed_email(subject="Poslano", status=Status.SENT)
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    with django_assert_max_num_queries(12):
        response = client.get("/staff/outbox/failed/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Poziv 4" in html and "Poziv 0" in html
    assert "org@example.org" in html and "550 5.1.1" in html
    assert "Poslano" not in html
    assert "Tajna poruka" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/outbox/failed/"])
def test_failed_list_refuses_organization_users(client, user, url):
    client.force_login(user)

    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_failed_list_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/staff/outbox/failed/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_organization_user_cannot_retry_a_failed_email(client, user):
    email = _failed_email()
    client.force_login(user)

    response = client.post(f"/staff/outbox/{email.pk}/retry/")

    assert response.status_code == 403
    email.refresh_from_db()
    assert email.status == Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_staff_retry_gives_a_failed_email_fresh_attempts(client, staff_user_with_mfa, caplog):
    email = _failed_email()
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    with caplog.at_level(logging.INFO, logger="mail.services"):
        response = client.post(f"/staff/outbox/{email.pk}/retry/", follow=True)

    assert response.status_code == 200
    email.refresh_from_db()
    assert email.status == Status.RETRYING
    assert email.attempts == 0
    assert email.enqueued_at is not None
    assert any(str(staff_user_with_mfa.pk) in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_staff_retry_of_an_email_past_its_time_expires_it(client, staff_user_with_mfa):
    email = _failed_email(not_after=timezone.now() - timedelta(minutes=1))
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    client.post(f"/staff/outbox/{email.pk}/retry/")

    email.refresh_from_db()
    assert email.status == Status.EXPIRED


@pytest.mark.django_db(transaction=True)
def test_staff_can_retry_every_failed_email_at_once(client, staff_user_with_mfa):
    emails = [_failed_email() for _ in range(3)]
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    client.post("/staff/outbox/failed/retry/")
    # the request queued a task; a worker runs it
    tasks.retry_failed_emails_task(staff_user_with_mfa.pk)

    assert {e.status for e in OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails])} == {
        Status.RETRYING
    }


@pytest.mark.django_db
def test_retry_answers_get_with_405(client, staff_user_with_mfa):
    email = _failed_email()
    factories.log_in_with_totp(client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)

    assert client.get(f"/staff/outbox/{email.pk}/retry/").status_code == 405
