"""Reminders, nudges to non-responders and the published summary's e-mail: once per invitee."""

import secrets
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tokens import token_hash
from mail import services as mail
from mail.models import OutgoingEmail
from meetings import notices, services
from meetings.models import Invitation, Meeting, Notice
from tests import factories

SARAJEVO = ZoneInfo("Europe/Sarajevo")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def invite(meeting, email, *, answer="", language="bs"):
    return Invitation.objects.create(
        meeting=meeting,
        organization=factories.OrganizationFactory(),
        email=email,
        language=language,
        answer=answer,
        token_hash=token_hash(secrets.token_urlsafe(32)),
    )


def meeting_starting_in(delta, **kwargs):
    return factories.MeetingFactory(
        starts_at=NOW + delta, ends_at=NOW + delta + timedelta(minutes=90), **kwargs
    )


def remind(now):
    """What the reminder tasks that a beat tick at ``now`` enqueues do, run here in turn."""
    return sum(notices.send_reminder(due, now=now) for due in notices.due_reminders(now=now))


def reminder_recipients():
    return sorted(
        OutgoingEmail.objects.filter(template="meetings/emails/reminder").values_list(
            "to", flat=True
        )
    )


# --- Reminders ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_reminder_reaches_every_invitee_but_the_declined_once():
    meeting = meeting_starting_in(timedelta(hours=24), title="3. Diaspora Online Check-In")
    invite(meeting, "da@example.org", answer="yes")
    invite(meeting, "mozda@example.org", answer="maybe")
    invite(meeting, "tisina@example.org")
    invite(meeting, "ne@example.org", answer="no")

    assert remind(NOW) == 3
    assert remind(NOW + timedelta(minutes=1)) == 0

    assert reminder_recipients() == ["da@example.org", "mozda@example.org", "tisina@example.org"]
    assert set(Notice.objects.values_list("kind", "number", "starts_at")) == {
        ("reminder", 24 * 60, meeting.starts_at)
    }
    assert not OutgoingEmail.objects.exclude(not_after=meeting.starts_at).exists()


@pytest.mark.django_db
def test_reminder_is_in_the_invitees_language_with_both_times_and_the_links(settings):
    settings.SITE_URL = "https://dijaspora.example.org"
    meeting = meeting_starting_in(
        timedelta(hours=1), title="Check-In <Njemačka>", video_url="https://meet.example.org/abc"
    )
    invite(meeting, "bs@example.org", language="bs")
    invite(meeting, "en@example.org", language="en")

    remind(NOW)

    bosnian = OutgoingEmail.objects.get(to="bs@example.org")
    english = OutgoingEmail.objects.get(to="en@example.org")
    assert bosnian.subject == "Podsjetnik: Check-In <Njemačka>"
    assert english.subject == "Reminder: Check-In <Njemačka>"
    page = "https://dijaspora.example.org" + meeting.get_absolute_url()
    for email in (bosnian, english):
        # 11:00 in Sarajevo, 10:00 UTC, the video link and the meeting page, text and HTML
        assert "11:00" in email.body_text and "10:00" in email.body_text
        assert "Europe/Sarajevo" in email.body_text and "UTC" in email.body_text
        assert "https://meet.example.org/abc" in email.body_text
        assert page in email.body_text
        assert f'href="{page}"' in email.body_html
        assert 'href="https://meet.example.org/abc"' in email.body_html
        assert "Check-In &lt;Njemačka&gt;" in email.body_html
    assert "starts in 1\xa0hour" in english.body_text
    assert "počinje za 1\xa0sat" in bosnian.body_text


@pytest.mark.django_db
def test_reminder_long_overdue_is_skipped_and_the_next_one_sent_when_due():
    # a meeting 90 minutes away: its 24-hour reminder fell due 22.5 hours ago
    meeting = meeting_starting_in(timedelta(minutes=90))
    invite(meeting, "org@example.org")

    assert remind(NOW) == 0
    assert remind(NOW + timedelta(minutes=30)) == 1
    assert set(Notice.objects.values_list("number", flat=True)) == {60}


@pytest.mark.django_db
def test_offsets_chosen_by_staff_replace_the_defaults():
    meeting = meeting_starting_in(timedelta(minutes=15), reminder_offsets=[15])
    invite(meeting, "org@example.org")

    assert remind(NOW) == 1
    assert set(Notice.objects.values_list("number", flat=True)) == {15}


@pytest.mark.django_db
def test_rescheduled_meeting_gets_reminders_keyed_on_the_new_start():
    meeting = meeting_starting_in(timedelta(hours=24))
    invite(meeting, "org@example.org")
    assert remind(NOW) == 1

    moved = meeting.starts_at + timedelta(days=2)
    services.update_meeting(
        meeting=meeting, by=None, starts_at=moved, ends_at=moved + timedelta(hours=1)
    )
    assert remind(NOW + timedelta(minutes=5)) == 0
    assert remind(moved - timedelta(hours=24)) == 1

    assert sorted(Notice.objects.values_list("starts_at", flat=True)) == [
        meeting.starts_at,
        moved,
    ]
    assert OutgoingEmail.objects.filter(not_after=moved).count() == 1


@pytest.mark.django_db
def test_cancelled_and_draft_meetings_get_no_reminders():
    cancelled = meeting_starting_in(timedelta(hours=24))
    invite(cancelled, "org@example.org")
    services.cancel_meeting(meeting=cancelled, by=None)
    draft = meeting_starting_in(timedelta(hours=1), status="draft")
    invite(draft, "org@example.org")

    assert remind(NOW) == 0
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_reminder_task_sends_nothing_once_its_round_is_no_longer_due():
    meeting = meeting_starting_in(timedelta(hours=1))
    invite(meeting, "org@example.org")
    [due] = notices.due_reminders(now=NOW)
    assert due == notices.Reminder(meeting.pk, 60, meeting.starts_at)

    # a task that waited in the queue past the round's sending window (half an hour here)
    assert notices.send_reminder(due, now=NOW + timedelta(minutes=30)) == 0
    # a meeting whose staff dropped the one-hour reminder, or moved the meeting, since the tick
    services.update_meeting(meeting=meeting, by=None, reminder_offsets=[24 * 60])
    assert notices.send_reminder(due, now=NOW) == 0
    meeting.refresh_from_db()
    later = meeting.starts_at + timedelta(hours=2)
    services.update_meeting(
        meeting=meeting,
        by=None,
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        reminder_offsets=[60],
    )
    assert notices.send_reminder(due, now=NOW) == 0
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_tick_costs_the_same_queries_with_3_or_300_invitees(django_assert_num_queries):
    for count in (3, 300):
        meeting = meeting_starting_in(timedelta(hours=1))
        Invitation.objects.bulk_create(
            Invitation(
                meeting=meeting,
                organization=factories.OrganizationFactory(),
                email=f"org{n}@m{meeting.pk}.example.org",
                token_hash=token_hash(secrets.token_urlsafe(32)),
            )
            for n in range(count)
        )
        assert remind(NOW) == count
        # the meetings ahead, whether anyone still lacks the due round, unsent stale notices
        with django_assert_num_queries(3):
            assert notices.send_due_reminders(now=NOW + timedelta(minutes=1)) == 0
        meeting.delete()


@pytest.mark.django_db(transaction=True)
def test_a_tick_enqueues_each_due_round_once_and_a_worker_queues_its_emails(celery_worker):
    start = timezone.now() + timedelta(minutes=59)
    meeting = factories.MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    invite(meeting, "da@example.org", answer="yes")
    invite(meeting, "ne@example.org", answer="no")

    assert notices.send_due_reminders() == 1

    deadline = time.monotonic() + 20
    while not reminder_recipients():
        assert time.monotonic() < deadline, "the worker queued no reminder"
        time.sleep(0.2)
    assert reminder_recipients() == ["da@example.org"]
    assert notices.send_due_reminders() == 0


@pytest.mark.django_db
def test_reminder_left_unsent_until_the_meeting_started_is_dropped_not_delivered(mailbox):
    meeting = meeting_starting_in(timedelta(hours=1))
    invite(meeting, "org@example.org")
    remind(NOW)
    [email] = OutgoingEmail.objects.all()
    assert email.not_after == meeting.starts_at
    assert timezone.now() > meeting.starts_at  # NOW lies in the past: the meeting has begun

    mail.send_queued_email(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.EXPIRED
    assert mailbox.messages == []


@pytest.mark.django_db
def test_reminder_offsets_are_edited_on_the_meeting_form_with_errors_by_the_field(staff_client):
    meeting = factories.MeetingFactory()
    url = reverse("staff_meetings:edit", args=[meeting.pk])
    page = staff_client.get(url)
    assert 'value="1440,60"' in page.content.decode()
    local = timezone.localtime(meeting.starts_at, SARAJEVO)
    data = {
        "kind": "check_in",
        "title": meeting.title,
        "time_zone": "Europe/Sarajevo",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "scope": "everyone",
        "reminder_offsets": "2880,30",
    }

    assert staff_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.reminder_offsets == [2880, 30]

    response = staff_client.post(url, {**data, "reminder_offsets": "99999"})
    assert response.status_code == 422
    assert "20160" in response.content.decode()


# --- Nudges -------------------------------------------------------------------------------


def _future_meeting_with_answers():
    meeting = factories.MeetingFactory()
    invite(meeting, "da@example.org", answer="yes")
    invite(meeting, "ne@example.org", answer="no")
    invite(meeting, "tisina1@example.org", language="en")
    invite(meeting, "tisina2@example.org")
    return meeting


def _nudged():
    return sorted(
        OutgoingEmail.objects.filter(template="meetings/emails/nudge").values_list("to", flat=True)
    )


@pytest.mark.django_db
def test_nudge_page_shows_the_count_before_sending_anything(staff_client):
    meeting = _future_meeting_with_answers()

    response = staff_client.get(reverse("staff_meetings:nudge", args=[meeting.pk]))

    assert response.status_code == 200
    assert "2 pozvana nisu odgovorila" in response.content.decode()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_nudge_reaches_each_nonresponder_once_even_on_a_double_click(staff_client):
    meeting = _future_meeting_with_answers()
    url = reverse("staff_meetings:nudge", args=[meeting.pk])

    first = staff_client.post(url, {"number": "1"})
    staff_client.post(url, {"number": "1"})  # the second click of a double click
    assert not OutgoingEmail.objects.exists()  # the request only asks; a task queues them
    notices.send_requested_notices()

    assert first.status_code == 302
    assert _nudged() == ["tisina1@example.org", "tisina2@example.org"]
    english = OutgoingEmail.objects.get(to="tisina1@example.org")
    assert english.subject.startswith("Will you come?")
    assert english.not_after == meeting.starts_at


@pytest.mark.django_db
def test_a_later_nudge_is_a_new_one_for_those_still_silent(staff_client):
    meeting = _future_meeting_with_answers()
    url = reverse("staff_meetings:nudge", args=[meeting.pk])
    staff_client.post(url, {"number": "1"})
    notices.send_requested_notices()
    Invitation.objects.filter(email="tisina1@example.org").update(answer="yes")

    page = staff_client.get(url).content.decode()
    assert 'name="number" value="2"' in page
    staff_client.post(url, {"number": "2"})
    notices.send_requested_notices()

    assert _nudged() == ["tisina1@example.org", "tisina2@example.org", "tisina2@example.org"]
    detail = staff_client.get(reverse("staff_meetings:detail", args=[meeting.pk])).content
    assert "ukupno 3: 0 poslano (dosadašnji podsjetnici: 2)" in detail.decode()


@pytest.mark.django_db
def test_nudge_number_ahead_of_the_next_one_is_refused_with_a_message(staff_client):
    meeting = _future_meeting_with_answers()

    response = staff_client.post(
        reverse("staff_meetings:nudge", args=[meeting.pk]), {"number": "7"}
    )

    assert response.status_code == 422
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_meeting_that_started_is_not_nudged():
    meeting = _future_meeting_with_answers()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )

    assert notices.send_nudge(meeting=meeting, by=None, number=1) == 0
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_only_staff_reach_the_nudge(client):
    meeting = _future_meeting_with_answers()
    url = reverse("staff_meetings:nudge", args=[meeting.pk])
    member = factories.UserFactory()
    client.force_login(member)

    assert client.get(url).status_code == 403
    assert client.post(url, {"number": "1"}).status_code == 403
    assert not OutgoingEmail.objects.exists()


# --- The published summary ----------------------------------------------------------------


def _held_meeting_with_summary():
    meeting = factories.MeetingFactory(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=1),
        status="held",
        title="2. Diaspora Online Check-In",
    )
    services.save_minutes(
        meeting=meeting,
        by=None,
        summaries={"bs": "Dogovoren je dnevni kanal <b>WhatsApp</b>.", "en": "A daily channel."},
    )
    invite(meeting, "da@example.org", answer="yes")
    invite(meeting, "ne@example.org", answer="no", language="en")
    invite(meeting, "tisina@example.org")
    return meeting


@pytest.mark.django_db
def test_publishing_emails_every_invitee_the_summary_once(settings):
    settings.SITE_URL = "https://dijaspora.example.org"
    meeting = _held_meeting_with_summary()

    services.publish_minutes(meeting=meeting, by=None)
    notices.send_requested_notices()  # what the task enqueued after the commit does
    services.publish_minutes(meeting=meeting, by=None)
    services.unpublish_minutes(meeting=meeting, by=None)
    services.publish_minutes(meeting=meeting, by=None)
    notices.send_requested_notices()

    emails = OutgoingEmail.objects.filter(template="meetings/emails/summary")
    assert sorted(emails.values_list("to", flat=True)) == [
        "da@example.org",
        "ne@example.org",
        "tisina@example.org",
    ]
    link = "https://dijaspora.example.org/meetings/" + meeting.slug + "/"
    bosnian = emails.get(to="da@example.org")
    english = emails.get(to="ne@example.org")
    assert "Sažetak" in bosnian.subject and "Summary" in english.subject
    assert "WhatsApp" in bosnian.body_text and link in bosnian.body_text
    assert "A daily channel." in english.body_text and link in english.body_text
    assert "&lt;b&gt;WhatsApp&lt;/b&gt;" in bosnian.body_html
    assert f'href="{link}"' in bosnian.body_html


@pytest.mark.django_db(transaction=True)
def test_published_summary_email_is_delivered_by_a_worker_after_the_commit(mailbox, celery_worker):
    meeting = _held_meeting_with_summary()

    services.publish_minutes(meeting=meeting, by=None)

    messages = mailbox.wait_for(3)
    assert sorted(m["To"] for m in messages) == [
        "da@example.org",
        "ne@example.org",
        "tisina@example.org",
    ]
    english = next(m for m in messages if m["To"] == "ne@example.org")
    assert f"/meetings/{meeting.slug}/" in english.get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_staff_meeting_page_counts_reminders_nudges_and_summaries(staff_client):
    meeting = meeting_starting_in(timedelta(hours=24))
    invite(meeting, "org1@example.org")
    invite(meeting, "org2@example.org")
    remind(NOW)
    OutgoingEmail.objects.filter(to="org1@example.org").update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
    )

    page = staff_client.get(reverse("staff_meetings:detail", args=[meeting.pk])).content.decode()

    assert "ukupno 2: 1 poslano, 0 odbačeno ili neuspješno" in page
    assert "1\xa0dan; 1\xa0sat" in page  # the reminders before the start


@pytest.mark.django_db
def test_unsent_reminder_of_a_meeting_cancelled_or_moved_since_is_dropped():
    # reminders queued while SMTP was down, still waiting to be sent
    cancelled = meeting_starting_in(timedelta(hours=24))
    moved = meeting_starting_in(timedelta(hours=24))
    kept = meeting_starting_in(timedelta(hours=24))
    for meeting in (cancelled, moved, kept):
        invite(meeting, f"org{meeting.pk}@example.org")
    remind(NOW)
    services.cancel_meeting(meeting=cancelled, by=None)
    later = moved.starts_at + timedelta(days=3)
    services.update_meeting(
        meeting=moved, by=None, starts_at=later, ends_at=later + timedelta(hours=1)
    )

    notices.send_due_reminders(now=NOW + timedelta(minutes=1))  # the tick drops them

    statuses = dict(OutgoingEmail.objects.values_list("to", "status"))
    assert statuses == {
        f"org{cancelled.pk}@example.org": "expired",
        f"org{moved.pk}@example.org": "expired",
        f"org{kept.pk}@example.org": "queued",
    }


@pytest.mark.django_db
def test_reminder_task_that_fails_midway_leaves_no_trace_and_the_next_one_sends(monkeypatch):
    meeting = meeting_starting_in(timedelta(hours=1))
    invite(meeting, "org@example.org")

    def broken(emails):
        raise RuntimeError("the worker died here")

    with monkeypatch.context() as patch:
        patch.setattr(mail, "queue_rendered_emails", broken)
        with pytest.raises(RuntimeError):
            remind(NOW)
    assert not Notice.objects.exists()

    # the next tick finds the round still missing for everyone and its task sends it
    assert notices.due_reminders(now=NOW + timedelta(minutes=1)) != []
    assert remind(NOW + timedelta(minutes=1)) == 1
    assert reminder_recipients() == ["org@example.org"]


@pytest.mark.django_db
def test_nudge_of_a_cancelled_meeting_is_refused_with_a_message(staff_client):
    meeting = _future_meeting_with_answers()
    services.cancel_meeting(meeting=meeting, by=None)
    url = reverse("staff_meetings:nudge", args=[meeting.pk])

    page = staff_client.get(url)
    response = staff_client.post(url, {"number": "1"}, follow=True)

    assert page.status_code == 200
    assert "samo za zakazani sastanak" in page.content.decode()
    assert "samo za zakazani sastanak" in response.content.decode()
    assert not OutgoingEmail.objects.exists()
