"""Writing to an expert: one e-mail through the outbox, the sender's address to reply to, and
the expert's address nowhere the sender can see it; rate-limited with a 429."""

import pytest
from django.test import Client
from django.urls import reverse

from experts.models import ContactMessage
from mail.models import OutgoingEmail
from tests import factories

from .conftest import EXPERT_EMAIL

pytestmark = pytest.mark.django_db


def _contact(expert):
    return reverse("experts:contact", args=[expert.pk])


def test_a_message_sends_one_email_to_the_expert_with_the_senders_address_to_reply_to(
    client, expert, member, django_capture_on_commit_callbacks
):
    client.force_login(member)

    response = client.post(_contact(expert), {"message": "Trebamo savjet o telemedicini."})

    assert response.status_code == 302
    to_expert = OutgoingEmail.objects.get(to=EXPERT_EMAIL)
    assert to_expert.template == "experts/emails/contact"
    assert to_expert.headers == {"Reply-To": member.email}
    assert "Trebamo savjet o telemedicini." in to_expert.body_text
    assert member.full_name in to_expert.body_text
    assert "Udruženje Most Beč" in to_expert.body_text
    assert ContactMessage.objects.get().sender == member


def test_the_sender_never_sees_the_experts_address(client, expert, member):
    client.force_login(member)

    pages = [
        client.get(reverse("experts:roster")),
        client.get(_contact(expert)),
        client.post(_contact(expert), {"message": "Pozdrav!"}, follow=True),
    ]

    for page in pages:
        assert page.status_code == 200
        assert EXPERT_EMAIL not in page.content.decode()
    copies = OutgoingEmail.objects.filter(to=member.email)
    assert copies.count() == 1
    copy = copies.get()
    assert expert.name in copy.body_text
    for part in (copy.subject, copy.body_text, copy.body_html, str(copy.headers)):
        assert EXPERT_EMAIL not in part
    # Everything the outbox sends anyone but the expert leaves the address out.
    for email in OutgoingEmail.objects.exclude(to=EXPERT_EMAIL):
        assert EXPERT_EMAIL not in f"{email.subject}{email.body_text}{email.body_html}"


def test_the_message_is_escaped_in_the_html_email(client, expert, member):
    client.force_login(member)

    client.post(_contact(expert), {"message": "<script>alert(1)</script>"})

    email = OutgoingEmail.objects.get(to=EXPERT_EMAIL)
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html


def test_too_many_messages_in_an_hour_answer_429_with_a_clear_message(
    client, expert, member, settings
):
    settings.EXPERTS_CONTACTS_PER_SENDER_PER_HOUR = 2
    client.force_login(member)
    for _number in range(2):
        assert client.post(_contact(expert), {"message": "Pozdrav"}).status_code == 302

    response = client.post(_contact(expert), {"message": "Još jednom"})

    assert response.status_code == 429
    assert "poslali mnogo poruka stručnjacima" in response.content.decode()
    assert OutgoingEmail.objects.filter(to=EXPERT_EMAIL).count() == 2
    assert ContactMessage.objects.count() == 2


def test_the_limit_counts_each_sender_apart(client, expert, member, settings):
    settings.EXPERTS_CONTACTS_PER_SENDER_PER_HOUR = 1
    client.force_login(member)
    client.post(_contact(expert), {"message": "Prva"})
    other = factories.MembershipFactory(organization=factories.OrganizationFactory()).user
    second = Client()
    second.force_login(other)

    assert second.post(_contact(expert), {"message": "Druga"}).status_code == 302


def test_members_cannot_write_to_an_expert_who_chose_staff_only(client, staff_only_expert, member):
    client.force_login(member)

    response = client.post(_contact(staff_only_expert), {"message": "Pozdrav"})

    assert response.status_code == 404
    assert not OutgoingEmail.objects.exists()


def test_staff_write_to_an_expert_who_chose_staff_only(staff_client, staff_only_expert):
    response = staff_client.post(_contact(staff_only_expert), {"message": "Poziv na sastanak"})

    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to="emir.privatno@voda.example")
    assert "Sektora za iseljeništvo" in email.body_text


def test_an_empty_message_is_refused_next_to_the_field(client, expert, member):
    client.force_login(member)

    response = client.post(_contact(expert), {"message": ""})

    assert response.status_code == 422
    assert not OutgoingEmail.objects.exists()
