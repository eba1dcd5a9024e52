"""Every e-mail that carries a live link keeps no body once it is final: sent, failed, expired."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from mail import services
from mail.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)

Status = OutgoingEmail.Status
LINK = "http://127.0.0.1:8000/live/s3cr3t-t0ken/"

# What each live-link e-mail is queued as (the ``template`` its service passes).
LIVE_LINK_TEMPLATES = [
    "meetings/emails/invitation",  # RSVP link
    "organizations/emails/member_invitation",  # colleague invitation
    "onboarding/emails/invitation",  # invitation to register
    "privacy/emails/export_ready",  # data copy link
    "account/email/password_reset_key",
    "account/email/email_confirmation_signup",
    "account/email/email_confirmation",
    "account/email/login_code",
]


def _queue(template, **kwargs):
    with transaction.atomic():
        return services.queue_rendered_email(
            to=kwargs.pop("to", "org@example.org"),
            subject="Poziv",
            body_text=f"Link: {LINK}",
            body_html=f'<a href="{LINK}">link</a>',
            language="bs",
            template=template,
            attachments=[{"filename": "invite.ics", "content": f"URL:{LINK}"}],
            **kwargs,
        )


def _assert_blank(email):
    email.refresh_from_db()
    assert "s3cr3t" not in email.body_text + email.body_html + str(email.attachments)
    assert email.redacted_at is not None


@pytest.mark.parametrize("template", LIVE_LINK_TEMPLATES)
def test_sent_email_with_a_live_link_keeps_no_body(mailbox, template):
    email = _queue(template)

    services.send_queued_email(email.pk)

    assert OutgoingEmail.objects.get(pk=email.pk).status == Status.SENT
    _assert_blank(email)
    assert "s3cr3t" in mailbox.wait_for(1)[0].get_body(("plain",)).get_content()


@pytest.mark.parametrize("template", LIVE_LINK_TEMPLATES)
def test_failed_email_with_a_live_link_keeps_no_body(smtp_server, template):
    smtp_server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    email = _queue(template, to="nobody@example.org")

    services.send_queued_email(email.pk)

    assert OutgoingEmail.objects.get(pk=email.pk).status == Status.FAILED
    _assert_blank(email)


@pytest.mark.parametrize("template", LIVE_LINK_TEMPLATES)
def test_expired_email_with_a_live_link_keeps_no_body(template):
    email = _queue(template, not_after=timezone.now() + timedelta(minutes=5))
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.RETRYING, not_after=timezone.now() - timedelta(seconds=1)
    )

    services.sweep_outbox()

    assert OutgoingEmail.objects.get(pk=email.pk).status == Status.EXPIRED
    _assert_blank(email)


def test_email_sent_in_a_batch_with_a_live_link_keeps_no_body(mailbox):
    email = _queue("meetings/emails/invitation")

    services.send_queued_emails([email.pk])

    _assert_blank(email)


def test_failed_email_whose_body_was_removed_is_not_sent_again_empty(smtp_server):
    smtp_server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    email = _queue("meetings/emails/invitation", to="nobody@example.org")
    services.send_queued_email(email.pk)

    retried = services.retry_failed_email(email_id=email.pk, by=None)

    assert retried.status != Status.RETRYING


def test_email_without_a_live_link_keeps_its_body_when_it_fails(smtp_server):
    smtp_server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    email = _queue("workspace/emails/hidden", to="nobody@example.org")

    services.send_queued_email(email.pk)

    email.refresh_from_db()
    assert "s3cr3t" in email.body_text


@pytest.mark.django_db(transaction=True)
def test_each_service_that_sends_a_live_link_queues_it_as_secret_bearing(client, settings):
    from meetings import invitation_emails
    from onboarding.invitations import invite_organization
    from organizations.services import invite_member
    from tests import factories

    staff = factories.StaffUserFactory()
    organization = factories.OrganizationFactory()
    invite_member(organization=organization, email="kolega@example.org", role="member", by=staff)
    invite_organization(email="nova@example.org", organization_name="Nova", by=staff)
    user = factories.UserFactory(email="zaboravio@example.org")
    client.post("/accounts/password/reset/", {"email": user.email})

    rows = {row.to: row for row in OutgoingEmail.objects.all()}
    for address in ["kolega@example.org", "nova@example.org", "zaboravio@example.org"]:
        assert services.carries_secret(rows[address]), rows[address].template
    assert services.carries_secret(OutgoingEmail(template=invitation_emails.TEMPLATE))
