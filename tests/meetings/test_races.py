"""Two requests at once: answers against a cancellation, invitations against invitations."""

import threading
import time

import psycopg
import pytest
from django.db import connection, connections
from django.urls import reverse

from meetings import invitations, rsvp_links
from meetings.models import Invitation
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


class InThread:
    """Run ``function`` in a thread of its own (its own database connection)."""

    def __init__(self, function):
        self.result = None
        self.error = None
        self._thread = threading.Thread(target=self._run, args=(function,))
        self._thread.start()

    def _run(self, function):
        try:
            self.result = function()
        except Exception as error:  # noqa: BLE001 - handed to the test
            self.error = error
        finally:
            connections.close_all()

    def wait_until_blocked_or_done(self, timeout=20):
        """Wait until the thread finished or waits for a lock another connection holds."""
        deadline = time.monotonic() + timeout
        while self._thread.is_alive():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    return
            assert time.monotonic() < deadline, "the thread neither finished nor waited"
            time.sleep(0.05)

    def join(self):
        self._thread.join(timeout=20)
        assert not self._thread.is_alive()
        return self.result


def _cancelling(url, meeting):
    """Another connection in the middle of cancelling the meeting: row locked, not committed."""
    other = psycopg.connect(url)
    other.execute("SELECT id FROM meetings_meeting WHERE id = %s FOR UPDATE", [meeting.pk])
    other.execute(
        "UPDATE meetings_meeting SET status = 'cancelled', sequence = sequence + 1 WHERE id = %s",
        [meeting.pk],
    )
    return other


def _invited_organization(meeting):
    organization = factories.OrganizationFactory(public_email="info@ljiljan.example")
    invitations.invite(meeting, Organization.objects.all(), by=None)
    return organization, Invitation.objects.get()


def test_an_rsvp_sent_while_the_meeting_is_being_cancelled_is_refused(client, test_database_url):
    meeting = factories.MeetingFactory()
    _organization, invitation = _invited_organization(meeting)
    token, _hash = rsvp_links.rsvp_token(meeting, invitation.email)
    url = reverse("meetings:rsvp", args=[token])
    assert client.get(url).status_code == 200  # the page still offers the answer

    other = _cancelling(test_database_url, meeting)
    answering = InThread(lambda: client.post(url, {"answer": "yes", "people": "2"}))
    answering.wait_until_blocked_or_done()
    other.commit()
    other.close()
    response = answering.join()

    assert answering.error is None, answering.error
    assert response.status_code == 409
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.answered_at) == ("", None)


def test_a_member_answer_sent_while_the_meeting_is_being_cancelled_is_refused(
    client, test_database_url
):
    meeting = factories.MeetingFactory()
    organization, invitation = _invited_organization(meeting)
    member = factories.MembershipFactory(organization=organization, role="member").user
    client.force_login(member)
    url = reverse("meetings:answer", args=[meeting.slug])

    other = _cancelling(test_database_url, meeting)
    answering = InThread(
        lambda: client.post(url, {"organization": organization.pk, "answer": "yes", "people": 1})
    )
    answering.wait_until_blocked_or_done()
    other.commit()
    other.close()
    response = answering.join()

    assert answering.error is None, answering.error
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == ""


def test_an_answer_waits_for_nothing_but_a_change_of_the_meeting(test_database_url):
    # two answers at once, and reminders being queued, do not hold each other up
    meeting = factories.MeetingFactory()
    _organization, invitation = _invited_organization(meeting)
    with psycopg.connect(test_database_url) as other:
        other.execute("SELECT id FROM meetings_meeting WHERE id = %s FOR SHARE", [meeting.pk])
        answering = InThread(
            lambda: invitations.record_answer(invitation, answer="maybe", people=1, by=None)
        )
        answering.join()
    assert answering.error is None, answering.error
    invitation.refresh_from_db()
    assert invitation.answer == "maybe"


def test_the_invite_count_leaves_out_an_address_another_request_invited_meanwhile(
    test_database_url,
):
    meeting = factories.MeetingFactory()
    organization = factories.OrganizationFactory(public_email="info@ljiljan.example")
    factories.ContactFactory(organization=organization, email="sekretar@ljiljan.example")
    # another staff request is inviting info@ at this moment and has not committed yet
    other = psycopg.connect(test_database_url)
    _token, token_hash = rsvp_links.rsvp_token(meeting, "info@ljiljan.example")
    other.execute(
        "INSERT INTO meetings_invitation (meeting_id, organization_id, email, language,"
        " token_hash, answer, comment, mail_pending, mail_requested_at, created_at)"
        " VALUES (%s, %s, 'info@ljiljan.example', 'bs', %s, '', '', 'request', now(), now())",
        [meeting.pk, organization.pk, token_hash],
    )

    inviting = InThread(lambda: invitations.invite(meeting, Organization.objects.all(), by=None))
    inviting.wait_until_blocked_or_done()
    other.commit()
    other.close()
    created = inviting.join()

    assert inviting.error is None, inviting.error
    assert created == 1
    assert meeting.invitations.count() == 2
