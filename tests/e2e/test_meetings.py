"""Meetings in headless Chromium: the viewer's time zone, the staff cycle, axe-core."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting
from tests import factories
from tests.e2e.test_browser import CSP_RECORDER, assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SARAJEVO = ZoneInfo("Europe/Sarajevo")


@pytest.fixture
def published_meeting(db):
    organization = factories.OrganizationFactory(name="Udruženje Ljiljan Minhen")
    meeting = factories.MeetingFactory(
        title="2. Diaspora Online Check-In",
        slug="2-diaspora-online-check-in",
        starts_at=datetime(2020, 8, 5, 18, 0, tzinfo=SARAJEVO),
        ends_at=datetime(2020, 8, 5, 19, 30, tzinfo=SARAJEVO),
        status="held",
    )
    services.add_agenda_item(
        meeting=meeting, by=None, title="Digitalni Radni Prostor", presenter=organization
    )
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Dnevni kanal: WhatsApp."})
    services.add_decision(meeting=meeting, by=None, text="Nastaviti sa sastancima.")
    services.add_action_item(
        meeting=meeting, by=None, text="Pripremiti Onboarding", responsible=organization
    )
    services.publish_minutes(meeting=meeting, by=None)
    factories.MeetingFactory(title="3. Diaspora Online Check-In", slug="3-check-in")
    return meeting


@pytest.mark.parametrize(
    ("zone", "expected"), [("America/Chicago", "11:00"), ("Europe/Stockholm", "18:00")]
)
def test_meeting_time_is_shown_in_the_viewers_zone(
    browser, live_server, published_meeting, zone, expected
):
    context = browser.new_context(base_url=live_server.url, locale="bs-BA", timezone_id=zone)
    page = context.new_page()
    page.goto(published_meeting.get_absolute_url())

    time = page.locator("time[data-local-time]").first
    expect(time).to_have_attribute("data-viewer-zone", zone)
    expect(time).to_contain_text(expected)
    # the organizer's zone stays named on the page
    expect(page.locator("main")).to_contain_text("18:00")
    expect(page.locator("main")).to_contain_text("Europe/Sarajevo")
    context.close()


@pytest.mark.parametrize("path", ["/meetings/", "/meetings/2-diaspora-online-check-in/"])
def test_meeting_pages_are_accessible_without_console_errors(page, axe, published_meeting, path):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.add_init_script(CSP_RECORDER)
    page.goto(path)

    assert_accessible(axe, page)
    assert errors == []
    assert page.evaluate("window.__cspViolations") == []


def test_staff_create_a_meeting_publish_minutes_and_the_public_sees_them(
    page, settings, mailbox, celery_worker
):
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    page.goto("/accounts/login/?next=/staff/meetings/new/")
    fill_login(page, staff.email, factories.PASSWORD)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/meetings/new/")

    # given a meeting that started an hour ago
    start = timezone.localtime(timezone.now() - timedelta(hours=1), SARAJEVO)
    page.locator("#id_title").fill("Radionica o projektima")
    page.locator("#id_time_zone").select_option("Europe/Sarajevo")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Radionica o projektima")
    meeting = Meeting.objects.get(title="Radionica o projektima")
    meeting.invitations.create(
        organization=factories.OrganizationFactory(),
        email="pozvani@example.org",
        language="en",
        token_hash="e" * 64,
    )

    # agenda items added in place with htmx
    for title in ["Uvod", "Projektne ideje"]:
        page.locator("#agenda-editor #id_title").fill(title)
        page.locator("#agenda-editor form.form button[type=submit]").click()
        expect(page.locator("#agenda-editor .agenda-editor")).to_contain_text(title)
    page.locator("#agenda-editor form[action$='/move/']").last.locator("button").click()
    expect(page.locator("#agenda-editor .agenda-editor__item").first).to_contain_text(
        "Projektne ideje"
    )

    # schedule, hold, write and publish the minutes
    page.locator("form[action$='/status/schedule/'] button").click()
    page.locator("form[action$='/status/held/'] button").click()
    page.locator("a[href$='/minutes/']").first.click()
    page.locator("#id_summary_bs").fill("Dogovorena je **zajednička** platforma.")
    page.get_by_role("button", name="Sačuvaj zapisnik").click()
    page.locator("#id_decision-text").fill("Pripremiti poziv organizacijama.")
    page.get_by_role("button", name="Dodaj zaključak").click()
    page.locator("#id_action-text").fill("Poslati materijale")
    page.get_by_role("button", name="Dodaj zadatak").click()
    page.get_by_role("button", name="Objavi sažetak").click()

    # the public summary shows them
    page.get_by_role("link", name="Javna stranica").click()
    main = page.locator("main")
    expect(main.locator("strong")).to_contain_text("zajednička")
    expect(main).to_contain_text("Pripremiti poziv organizacijama.")
    expect(main).to_contain_text("Poslati materijale")
    expect(main).to_contain_text("Projektne ideje")

    # and the invitee got the summary, in their language, with the link to the public page
    [message] = mailbox.wait_for(1)
    assert message["To"] == "pozvani@example.org"
    assert message["Subject"] == "Summary: Radionica o projektima"
    link = f"{settings.SITE_URL}/meetings/{meeting.slug}/"
    assert link in message.get_body(("plain",)).get_content()


def test_staff_invite_an_audience_and_the_rsvp_link_from_the_email_records_yes(
    page, axe, settings, mailbox, celery_worker
):
    import re

    from icalendar import Calendar

    from meetings.models import Invitation

    settings.MFA_TOTP_TOLERANCE = 1
    factories.OrganizationFactory(
        name="Bosniska föreningen Malmö", country="SE", public_email="info@malmo.example"
    )
    factories.OrganizationFactory(country="DE", public_email="info@berlin.example")
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    page.goto("/accounts/login/?next=/staff/meetings/new/")
    fill_login(page, staff.email, factories.PASSWORD)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/meetings/new/")

    # staff schedule a meeting in three days
    start = timezone.localtime(timezone.now() + timedelta(days=3), SARAJEVO)
    page.locator("#id_title").fill("4. Diaspora Online Check-In")
    page.locator("#id_time_zone").select_option("Europe/Sarajevo")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_video_url").fill("https://meet.example.org/check-in-4")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action$='/status/schedule/'] button").click()

    # and invite the organizations of Sweden; the counts follow live
    page.locator("input[name=countries][value=SE]").check()
    page.get_by_role("button", name="Pozovi", exact=True).click()
    expect(page.locator("[data-count=invited]")).to_contain_text("1")
    expect(page.locator("[data-count=sent]")).to_have_text("1", timeout=20_000)

    # the e-mail arrives with its .ics
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "info@malmo.example"
    calendar = next(
        Calendar.from_ical(part.get_content())
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    )
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "4. Diaspora Online Check-In"
    text = message.get_body(("plain",)).get_content()
    rsvp_path = re.search(r"https?://[^/\s]+(/meetings/rsvp/[^/\s]+/)", text).group(1)

    # the RSVP link records "yes", without logging in
    page.context.clear_cookies()
    page.goto(rsvp_path)
    assert_accessible(axe, page)
    page.get_by_label("Da", exact=True).check()
    page.get_by_label("Koliko osoba će učestvovati?").fill("3")
    page.get_by_role("button", name="Sačuvaj moj odgovor").click()
    expect(page.locator("main")).to_contain_text("Vaš trenutni odgovor: Da")
    invitation = Invitation.objects.get()
    assert (invitation.answer, invitation.people) == ("yes", 3)
