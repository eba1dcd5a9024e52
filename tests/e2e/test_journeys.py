"""The main journeys on a 390 px phone, counted (docs/journeys.md): staff schedule a check-in and
invite every approved organization, an invitee answers "yes" from the e-mail without an account,
staff publish the minutes to every invitee. (A new organization registering from an invitation:
tests/e2e/test_onboarding.py.)

Each counts links opened, clicks and fields (``Journey``) from the page where the person starts;
staff are signed in with their second factor already.
"""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from meetings import invitations, services
from meetings.models import Invitation, Meeting
from organizations.models import Organization
from tests import factories
from tests.e2e.test_browser import assert_accessible
from tests.support.journey import Journey, phone_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SARAJEVO = ZoneInfo("Europe/Sarajevo")


@pytest.fixture
def phone(browser, live_server):
    """A phone in Bosnian with a signed-in staff session (second factor passed)."""
    staff = factories.StaffUserFactory()
    client = Client()
    factories.log_in_with_totp(client, staff, factories.activate_totp(staff))
    context = phone_context(browser, live_server.url, locale="bs-BA")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_staff_schedule_a_check_in_and_invite_every_approved_organization(
    phone, axe, mailbox, celery_worker
):
    for city in ("malmo", "berlin", "bec"):
        factories.OrganizationFactory(city=city.title(), public_email=f"info@{city}.example")
    factories.OrganizationFactory(status="pending", approved_at=None, public_email="p@x.example")
    start = timezone.localtime(timezone.now() + timedelta(days=7), SARAJEVO)
    journey = Journey(phone, "schedule-and-invite")

    journey.open("/staff/meetings/new/")
    journey.fill(phone.locator("#id_title"), "5. Diaspora Online Check-In")
    journey.fill(phone.locator("#id_starts_at"), start.strftime("%Y-%m-%dT%H:%M"))
    journey.fill(
        phone.locator("#id_ends_at"), (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    journey.click(phone.locator("main form button[type=submit]"))
    expect(phone.locator("h1")).to_have_text("5. Diaspora Online Check-In")
    journey.click(phone.locator("form[action$='/status/schedule/'] button"))
    journey.click(phone.locator("#invite input[name=everyone]"))
    journey.click(phone.get_by_role("button", name="Pozovi", exact=True))
    expect(phone.locator("[data-count=sent]")).to_have_text("3", timeout=30_000)
    journey.screenshot(at=phone.locator("[data-count=sent]"))
    counts = journey.report()
    assert_accessible(axe, phone)

    meeting = Meeting.objects.get(title="5. Diaspora Online Check-In")
    assert meeting.status == "scheduled"
    assert {message["To"] for message in mailbox.wait_for(3)} == {
        "info@malmo.example",
        "info@berlin.example",
        "info@bec.example",
    }
    assert counts["interactions"] <= 8, counts


def test_an_invitee_answers_yes_from_the_email_without_an_account(
    browser, live_server, axe, mailbox, celery_worker
):
    meeting = factories.MeetingFactory(
        title="6. Diaspora Online Check-In",
        status="scheduled",
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=1),
    )
    organization = factories.OrganizationFactory(public_email="info@ljiljan.example")
    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    [message] = mailbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    rsvp_path = re.search(r"https?://[^/\s]+(/meetings/rsvp/[^/\s]+/)", text).group(1)

    context = phone_context(browser, live_server.url, locale="bs-BA")
    page = context.new_page()
    page.set_default_timeout(20_000)
    journey = Journey(page, "rsvp")
    journey.open(rsvp_path)
    journey.check(page.get_by_label("Da", exact=True))
    journey.click(page.get_by_role("button", name="Sačuvaj moj odgovor"))
    expect(page.locator("main")).to_contain_text("Vaš trenutni odgovor: Da")
    journey.screenshot()
    counts = journey.report()
    assert_accessible(axe, page)
    context.close()

    assert Invitation.objects.get().answer == "yes"
    assert counts["interactions"] <= 3, counts


def test_staff_publish_the_minutes_to_every_invitee(phone, axe, mailbox, celery_worker):
    meeting = factories.MeetingFactory(
        title="4. Diaspora Online Check-In",
        status="held",
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=1),
    )
    for number in range(2):
        meeting.invitations.create(
            organization=factories.OrganizationFactory(),
            email=f"pozvani{number}@example.org",
            language="bs",
            token_hash=f"{number}" * 64,
        )
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Dogovorena platforma."})
    journey = Journey(phone, "publish-minutes")

    journey.open(f"/staff/meetings/{meeting.pk}/")
    journey.click(phone.locator("a[href$='/minutes/']").first)
    journey.click(phone.get_by_role("button", name="Objavi sažetak"))
    expect(phone.locator(".messages")).to_be_visible()
    journey.screenshot()
    counts = journey.report()
    assert_accessible(axe, phone)

    meeting.refresh_from_db()
    assert meeting.minutes.published_at is not None
    assert {message["To"] for message in mailbox.wait_for(2)} == {
        "pozvani0@example.org",
        "pozvani1@example.org",
    }
    assert counts["interactions"] <= 3, counts
