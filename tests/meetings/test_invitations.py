"""Invitations: the audience, one row per address, bulk queries, changes, answers, counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from mail.models import OutgoingEmail
from meetings import invitation_queries, invitations, rsvp_links, services
from meetings.models import Invitation
from onboarding.models import ChecklistItem
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def _ics(email: OutgoingEmail) -> Calendar:
    (attachment,) = email.attachments
    return Calendar.from_ical(attachment["content"])


def _event(email):
    return _ics(email).walk("VEVENT")[0]


def test_one_invitation_per_contact_address_and_reinviting_adds_only_new_ones():
    meeting = factories.MeetingFactory()
    first = factories.OrganizationFactory(public_email="info@ljiljan.example")
    factories.ContactFactory(organization=first, email="INFO@ljiljan.example")  # same address
    factories.ContactFactory(organization=first, email="sekretar@ljiljan.example")
    factories.ContactFactory(organization=first, email="")
    factories.OrganizationFactory(status="draft", approved_at=None)  # not approved: never invited

    assert invitations.invite(meeting, Organization.objects.all(), by=None) == 2
    second = factories.OrganizationFactory(preferred_language="en")
    assert invitations.invite(meeting, Organization.objects.all(), by=None) == 1

    rows = Invitation.objects.filter(meeting=meeting)
    assert sorted(rows.values_list("email", flat=True)) == sorted(
        ["info@ljiljan.example", "sekretar@ljiljan.example", second.public_email]
    )
    assert rows.get(organization=second).language == "en"
    assert len(set(rows.values_list("token_hash", flat=True))) == 3


def test_a_country_meeting_invites_only_organizations_of_its_country():
    meeting = factories.MeetingFactory(scope="country", host_country="SE")
    swedish = factories.OrganizationFactory(country="SE")
    factories.OrganizationFactory(country="DE")

    invitations.invite(meeting, Organization.objects.all(), by=None)

    assert list(meeting.invitations.values_list("organization", flat=True)) == [swedish.pk]


def test_a_draft_or_started_meeting_cannot_invite():
    factories.OrganizationFactory()
    with pytest.raises(ValidationError):
        invitations.invite(
            factories.MeetingFactory(status="draft"), Organization.objects.all(), by=None
        )
    started = factories.MeetingFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        invitations.invite(started, Organization.objects.all(), by=None)


def test_inviting_1000_organizations_and_queueing_their_emails_takes_a_few_bulk_queries():
    meeting = factories.MeetingFactory()
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Udruženje {n}",
                slug=f"udruzenje-{n}",
                country="DE",
                city="Berlin",
                public_email=f"info{n}@udruzenje.example",
                status="approved",
                approved_at=timezone.now(),
            )
            for n in range(1000)
        ]
    )

    with CaptureQueriesContext(connection) as invite_queries:
        assert invitations.invite(meeting, Organization.objects.all(), by=None) == 1000
    with CaptureQueriesContext(connection) as send_queries:
        assert invitations.send_pending_invitations(meeting_id=meeting.pk) == 1000

    assert len(invite_queries) <= 8, [q["sql"][:80] for q in invite_queries]
    # per batch of 200: claim, bulk insert of the outbox rows, bulk update; and the savepoints
    assert len(send_queries) <= 40, [q["sql"][:80] for q in send_queries]
    assert OutgoingEmail.objects.count() == 1000
    assert not Invitation.objects.exclude(mail_pending="").exists()


def test_sending_twice_queues_each_invitation_once():
    meeting = factories.MeetingFactory()
    factories.OrganizationFactory.create_batch(3)
    invitations.invite(meeting, Organization.objects.all(), by=None)

    assert invitations.send_pending_invitations() == 3
    assert invitations.send_pending_invitations() == 0
    assert OutgoingEmail.objects.count() == 3


def test_the_invitation_email_carries_the_rsvp_link_calendar_links_and_an_ics_request():
    meeting = factories.MeetingFactory(title="3. Diaspora Online Check-In")
    organization = factories.OrganizationFactory(name="Udruženje Ljiljan", preferred_language="en")
    invitations.invite(meeting, Organization.objects.all(), by=None)
    invitations.send_pending_invitations()

    email = OutgoingEmail.objects.get()
    invitation = Invitation.objects.get()
    assert email.language == "en"
    assert email.subject.startswith("Invitation: 3. Diaspora Online Check-In")
    assert rsvp_links.rsvp_url(invitation) in email.body_text
    assert rsvp_links.rsvp_url(invitation) in email.body_html
    assert "calendar.google.com" in email.body_text and "outlook.office.com" in email.body_text
    assert meeting.video_url in email.body_text
    assert email.not_after == meeting.starts_at
    calendar = _ics(email)
    event = _event(email)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 0
    assert "mailto:" in str(event["ORGANIZER"])
    assert str(event["ATTENDEE"]) == f"mailto:{organization.public_email}"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)


def test_rescheduling_sends_an_update_with_a_higher_sequence_to_all_but_those_who_declined():
    meeting = factories.MeetingFactory()
    coming, declining = factories.OrganizationFactory.create_batch(2)
    invitations.invite(meeting, Organization.objects.all(), by=None)
    invitations.send_pending_invitations()
    invitations.record_answer(Invitation.objects.get(organization=declining), answer="no", by=None)
    first_link = rsvp_links.rsvp_url(Invitation.objects.get(organization=coming))

    services.update_meeting(
        meeting=meeting,
        by=None,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    invitations.send_pending_invitations()

    update = OutgoingEmail.objects.filter(to=coming.public_email).latest("pk")
    assert OutgoingEmail.objects.filter(to=declining.public_email).count() == 1
    assert update.subject.startswith("Izmjena")
    assert first_link in update.body_text  # the same personal link
    event = _event(update)
    assert str(event["UID"]) == meeting.ical_uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == (meeting.starts_at + timedelta(hours=1)).replace(
        microsecond=0
    )


def test_cancelling_sends_a_cancel_to_every_invitee_and_drops_unsent_invitations():
    meeting = factories.MeetingFactory()
    first = factories.OrganizationFactory()
    invitations.invite(meeting, Organization.objects.all(), by=None)
    invitations.send_pending_invitations()
    invitations.record_answer(Invitation.objects.get(), answer="no", by=None)
    late = factories.OrganizationFactory()
    invitations.invite(meeting, Organization.objects.all(), by=None)  # not sent yet

    services.cancel_meeting(meeting=meeting, by=None)
    invitations.send_pending_invitations()

    cancel = OutgoingEmail.objects.filter(to=first.public_email).latest("pk")
    assert _ics(cancel)["METHOD"] == "CANCEL"
    assert _event(cancel)["SEQUENCE"] == 1
    assert str(_event(cancel)["STATUS"]) == "CANCELLED"
    assert not OutgoingEmail.objects.filter(to=late.public_email).exists()


def test_answers_change_until_the_start_and_tick_the_onboarding_item():
    meeting = factories.MeetingFactory()
    organization = factories.OrganizationFactory()
    invitations.invite(meeting, Organization.objects.all(), by=None)
    invitation = Invitation.objects.get()

    invitations.record_answer(invitation, answer="yes", people=3, comment="Dolazimo", by=None)
    invitations.record_answer(invitation, answer="maybe", people=2, by=None)
    assert Invitation.objects.get().answer == "maybe"
    assert ChecklistItem.objects.filter(organization=organization, key="checkin").exists()

    with pytest.raises(ValidationError):
        invitations.record_answer(
            invitation, answer="yes", by=None, now=meeting.starts_at + timedelta(seconds=1)
        )


def test_counts_take_the_latest_answer_per_organization_in_two_queries():
    meeting = factories.MeetingFactory()
    organization = factories.OrganizationFactory()
    factories.ContactFactory(organization=organization)
    other = factories.OrganizationFactory()
    invitations.invite(meeting, Organization.objects.all(), by=None)
    first, second = Invitation.objects.filter(organization=organization).order_by("pk")
    invitations.record_answer(first, answer="no", by=None)
    invitations.record_answer(second, answer="yes", people=4, by=None)
    invitations.record_answer(
        Invitation.objects.get(organization=other), answer="maybe", people=2, by=None
    )
    invitations.send_pending_invitations()

    with CaptureQueriesContext(connection) as queries:
        counts = invitation_queries.counts(meeting)

    assert len(queries) == 2
    assert counts["invited"] == 3
    assert counts["to_send"] == 0 and counts["sending"] == 3
    assert (counts["yes"], counts["no"], counts["maybe"], counts["answered"]) == (1, 0, 1, 2)
    assert counts["people_yes"] == 4


def test_seed_demo_sends_the_third_check_in_invitations_once_with_some_answers():
    from meetings.demo import ensure_demo_meetings
    from organizations.demo import ensure_demo_organizations

    ensure_demo_organizations()
    ensure_demo_meetings()
    _first, _second, third = ensure_demo_meetings()

    counts = invitation_queries.counts(third)
    assert counts["invited"] > 4
    assert counts["sent"] == counts["invited"] == OutgoingEmail.objects.count()
    assert (counts["yes"], counts["maybe"], counts["no"]) == (2, 1, 1)


def test_each_invitee_gets_their_own_name_link_and_attendee_escaped_in_html():
    meeting = factories.MeetingFactory()
    factories.OrganizationFactory(name="<b>Ljiljan</b> & Co __DP_RSVP_URL__")
    factories.OrganizationFactory(name="Udruženje Most")
    invitations.invite(meeting, Organization.objects.all(), by=None)
    invitations.send_pending_invitations()

    for invitation in Invitation.objects.select_related("organization", "last_email"):
        email = invitation.last_email
        name = invitation.organization.name
        assert rsvp_links.rsvp_url(invitation) in email.body_text
        assert name in email.body_text
        assert str(_event(email)["ATTENDEE"]) == f"mailto:{invitation.email}"
        assert _event(email)["ATTENDEE"].params["CN"] == name
    html = OutgoingEmail.objects.get(body_text__contains="Ljiljan").body_html
    assert "&lt;b&gt;Ljiljan&lt;/b&gt; &amp; Co __DP_RSVP_URL__" in html
    assert "<b>Ljiljan" not in html


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_queue_each_invitation_exactly_once(broker_outage):
    import threading

    from django.db import connections

    broker_outage[0]("refused")  # the outbox rows stay; only their count matters here
    meeting = factories.MeetingFactory()
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Udruženje {n}",
                slug=f"udruzenje-{n}",
                country="DE",
                city="Berlin",
                public_email=f"info{n}@udruzenje.example",
                status="approved",
                approved_at=timezone.now(),
            )
            for n in range(450)
        ]
    )
    invitations.invite(meeting, Organization.objects.all(), by=None)
    start = threading.Barrier(2)
    queued = []

    def sender():
        start.wait()
        try:
            queued.append(invitations.send_pending_invitations())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(queued) == 450
    assert OutgoingEmail.objects.count() == 450
    assert Invitation.objects.filter(last_email__isnull=False).count() == 450
    assert len(set(Invitation.objects.values_list("last_email", flat=True))) == 450


def test_the_minute_sweep_sends_what_the_lost_task_left_and_leaves_fresh_rows_to_their_task():
    from meetings.tasks import send_pending_invitations_task

    meeting = factories.MeetingFactory()
    factories.OrganizationFactory.create_batch(2)
    invitations.invite(meeting, Organization.objects.all(), by=None)
    assert send_pending_invitations_task() == 0  # just requested: their task is on its way

    Invitation.objects.update(mail_requested_at=timezone.now() - timedelta(minutes=1))
    assert send_pending_invitations_task() == 2
    assert send_pending_invitations_task() == 0
    assert OutgoingEmail.objects.count() == 2
