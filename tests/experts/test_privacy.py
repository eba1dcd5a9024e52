"""The roster in a person's copy and erasure (by keys), and the retention of messages."""

import json
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from experts import personal_data
from experts.models import ContactMessage, Expert, MeetingInvitation
from experts.services import contact_expert, invite_to_meeting, purge_contact_messages
from mail.models import OutgoingEmail
from privacy.services import build_user_export
from tests import factories

from .conftest import EXPERT_EMAIL, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(expert, member):
    """The member wrote to the expert; staff invited the expert to a meeting."""
    contact_expert(expert=expert, sender=member, message="Trebamo vaš savjet.", staff=False)
    meeting = factories.MeetingFactory(title="Check-in stručnjaka")
    invite_to_meeting(expert=expert, meeting=meeting, by=factories.StaffUserFactory())
    return {"expert": expert, "member": member, "meeting": meeting}


def test_the_copy_holds_the_listing_its_consent_and_the_messages_received(exchange):
    expert = exchange["expert"]

    section = build_user_export(expert.user)["sections"]["experts"]

    listing = section["listing"]
    assert listing["headline"] == "Kardiologinja"
    assert listing["fields_of_expertise"] == ["medicine"]
    assert listing["consent_version"] == expert.consent_version
    assert listing["consent_language"] == "bs"
    assert listing["meeting_invitations"][0]["meeting"] == "Check-in stručnjaka"
    assert section["messages_received_as_expert"][0]["message"] == "Trebamo vaš savjet."
    assert section["messages_sent_to_experts"] == []
    json.dumps(section, cls=DjangoJSONEncoder)


def test_the_senders_copy_holds_the_message_but_not_the_experts_address(exchange):
    member = exchange["member"]

    section = build_user_export(member)["sections"]["experts"]

    assert section["listing"] is None
    assert section["messages_sent_to_experts"][0]["message"] == "Trebamo vaš savjet."
    assert section["messages_sent_to_experts"][0]["to"] == exchange["expert"].user.full_name
    assert EXPERT_EMAIL not in json.dumps(section, cls=DjangoJSONEncoder)


def test_erasing_the_expert_removes_the_listing_invitations_and_messages(exchange):
    expert = exchange["expert"]

    personal_data.erase_user(expert.user)

    assert not Expert.objects.filter(pk=expert.pk).exists()
    assert not MeetingInvitation.objects.exists()
    assert not ContactMessage.objects.exists()


def test_erasing_the_sender_removes_their_messages_and_their_address_from_the_emails(
    exchange, fields
):
    member = exchange["member"]
    # A message of someone else to another expert stays.
    other = make_expert(fields=fields, email="drugi@example.org", full_name="Drugi Stručnjak")
    third = factories.UserFactory()
    contact_expert(expert=other, sender=third, message="Ostaje.", staff=False)
    OutgoingEmail.objects.filter(to=EXPERT_EMAIL).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
    )

    personal_data.erase_user(member)

    assert list(ContactMessage.objects.values_list("message", flat=True)) == ["Ostaje."]
    sent = OutgoingEmail.objects.get(to=EXPERT_EMAIL, template="experts/emails/contact")
    assert sent.headers == {}
    assert member.full_name not in sent.body_text
    kept = OutgoingEmail.objects.get(to="drugi@example.org")
    assert kept.headers == {"Reply-To": third.email}


def test_messages_are_purged_after_the_retention_period_in_batches(exchange, settings):
    settings.EXPERTS_CONTACT_RETENTION_DAYS = 30
    member, expert = exchange["member"], exchange["expert"]
    contact_expert(expert=expert, sender=member, message="Novija poruka.", staff=False)
    ContactMessage.objects.filter(message="Trebamo vaš savjet.").update(
        created_at=timezone.now() - timedelta(days=31)
    )

    assert purge_contact_messages() == 1
    assert purge_contact_messages() == 0
    assert list(ContactMessage.objects.values_list("message", flat=True)) == ["Novija poruka."]


def test_the_purge_runs_each_night_from_beat(settings):
    from diaspora_portal.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE["experts-purge-contact-messages"]

    assert schedule["task"] in app.tasks
