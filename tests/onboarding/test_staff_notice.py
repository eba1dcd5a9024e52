"""Staff hear of new registrations in one e-mail per period, however many are submitted."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from mail.models import OutgoingEmail
from onboarding import services
from onboarding.tasks import notify_staff_of_registrations_task
from tests import factories
from tests.onboarding.conftest import BASICS, CONSENT, CONTACTS, step_url

pytestmark = pytest.mark.django_db
# Names far apart, so the registration's duplicate warning does not stop the next one.
NAMES = ["Sevdah", "Drina", "Zenit", "Neretva", "Igman", "Vrbas", "Treskavica", "Kozara"]
NAMES += ["Bjelašnica", "Prenj"]


def _submit(name: str) -> None:
    """A new user registers an organization called ``name`` through the guided registration."""
    client = Client()
    client.force_login(factories.UserFactory())
    area = factories.AreaFactory(slug="kultura")
    for step, data in [
        ("basics", {**BASICS, "name": name}),
        ("contacts", CONTACTS),
        ("areas", {"areas": [area.pk], "languages": ["bs"], "wishes": ["events"]}),
        ("consent", CONSENT),
    ]:
        assert client.post(step_url(step), {**data, "go": "next"}).status_code == 302
    assert client.post(step_url("review"), {"go": "next"})["Location"] == "/onboarding/submitted/"


def _staff_emails(staff) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(to=staff.email).order_by("pk"))


def test_a_flood_of_submissions_sends_each_staff_member_one_email_per_period(
    settings, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_STAFF_NOTICE_MINUTES = 60
    first, second = factories.StaffUserFactory(), factories.StaffUserFactory(language="en")

    # when ten registrations are submitted, with the beat's tick after each
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            _submit(NAMES[n])
            # the request itself e-mails no member of staff
            if n == 0:
                assert _staff_emails(first) == []
        notify_staff_of_registrations_task()

    # then each member of staff has one e-mail, about the first registration
    for staff in (first, second):
        [email] = _staff_emails(staff)
        assert NAMES[0] in email.body_text
        assert NAMES[1] not in email.body_text

    # and once the period has passed, one more e-mail lists the other nine
    later = timezone.now() + timedelta(minutes=61)
    services.notify_staff_of_registrations(now=later)
    services.notify_staff_of_registrations(now=later)
    for staff in (first, second):
        emails = _staff_emails(staff)
        assert len(emails) == 2
        for n in range(1, 10):
            assert NAMES[n] in emails[1].body_text
    assert "9" in _staff_emails(first)[1].subject
    assert "/staff/organizations/" in _staff_emails(second)[1].body_text


def test_the_notice_is_in_each_staff_members_language_and_links_to_the_review(settings):
    settings.ONBOARDING_STAFF_NOTICE_MINUTES = 60
    staff = factories.StaffUserFactory(language="en")
    _submit("Klub Drina")

    services.notify_staff_of_registrations()

    [email] = _staff_emails(staff)
    assert email.language == "en"
    assert "Klub Drina" in email.subject
    assert "/staff/organizations/" in email.body_text


def test_nothing_new_sends_nothing(settings):
    staff = factories.StaffUserFactory()

    assert services.notify_staff_of_registrations() == 0
    assert _staff_emails(staff) == []


def test_a_long_list_is_cut_short_with_the_count_of_the_rest(settings):
    settings.ONBOARDING_STAFF_NOTICE_MINUTES = 60
    settings.ONBOARDING_STAFF_NOTICE_LISTED = 3
    staff = factories.StaffUserFactory(language="en")
    for n in range(5):
        _submit(NAMES[n])

    services.notify_staff_of_registrations()

    [email] = _staff_emails(staff)
    assert NAMES[2] in email.body_text
    assert NAMES[3] not in email.body_text
    assert "and 2 more" in email.body_text


@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_at_once_send_one_notice(settings, monkeypatch):
    # given a new registration and a first worker that is in the middle of its notice
    settings.ONBOARDING_STAFF_NOTICE_MINUTES = 60
    staff = factories.StaffUserFactory()
    _submit("Sevdah")
    queued, release = threading.Event(), threading.Event()
    real_queue_email = services.queue_email

    def slow_queue_email(**kwargs):
        email = real_queue_email(**kwargs)
        queued.set()
        release.wait(timeout=30)
        return email

    monkeypatch.setattr(services, "queue_email", slow_queue_email)
    results = {}

    def tick(name):
        try:
            results[name] = services.notify_staff_of_registrations()
        finally:
            connection.close()

    first = threading.Thread(target=tick, args=("first",))
    first.start()
    assert queued.wait(timeout=30)

    # when a second worker ticks meanwhile
    second = threading.Thread(target=tick, args=("second",))
    second.start()
    second.join(timeout=2)  # it waits for the first (or, unguarded, sends at once)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    # then the member of staff has one e-mail
    assert sorted(results.values()) == [0, 1]
    assert len(_staff_emails(staff)) == 1
