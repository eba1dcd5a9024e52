"""On a 390 px phone no page is wider than the screen: tables become stacked rows, words wrap."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from meetings import services
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login
from workspace import services as workspace_services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LONG_URL = "https://example.org/" + "a-very-long-path-segment-without-breaks" * 3
LONG_WORD = "Dokumentacijskoinformacijskokoordinacijski" * 2


@pytest.fixture
def world():
    organization = factories.OrganizationFactory(
        name=f"Udruženje {LONG_WORD}", slug="udruzenje-dugo", description=f"Vidi {LONG_URL}"
    )
    factories.ChannelFactory(organization=organization, value=LONG_URL)
    admin = factories.MembershipFactory(organization=organization, role="admin")
    meeting = factories.MeetingFactory(
        title="2. Diaspora Online Check-In",
        slug="2-check-in",
        starts_at=datetime(2020, 8, 5, 18, 0, tzinfo=ZoneInfo("Europe/Sarajevo")),
        ends_at=datetime(2020, 8, 5, 19, 30, tzinfo=ZoneInfo("Europe/Sarajevo")),
        status="held",
    )
    services.save_minutes(
        meeting=meeting, by=None, summaries={"bs": f"Sažetak {LONG_URL}", "en": LONG_URL}
    )
    services.add_decision(meeting=meeting, by=None, text=f"Odluka {LONG_WORD}")
    services.add_action_item(
        meeting=meeting,
        by=None,
        text=f"Pripremiti materijale za Onboarding {LONG_URL}",
        responsible=organization,
        due_on=date(2020, 9, 1),
    )
    services.publish_minutes(meeting=meeting, by=None)
    post = workspace_services.create_post(
        by=admin.user,
        organization=organization,
        areas=[],
        data={
            "kind": "project_idea",
            "title": f"Ljetna škola {LONG_WORD}",
            "body": f"Tekst {LONG_URL}",
            "country": "BA",
        },
    )
    return {"meeting": meeting, "organization": organization, "post": post}


def test_pages_fit_a_phone_screen_in_both_languages(browser, live_server, world, axe):
    pages = [
        world["meeting"].get_absolute_url(),
        "/organizations/",
        world["organization"].get_absolute_url(),
        "/meetings/",
        "/workspace/",
        world["post"].get_absolute_url(),
        "/onboarding/",
    ]
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    too_wide = []
    try:
        for language in ("bs", "en"):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            for path in pages:
                assert page.goto(path).status == 200, path
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide.append(f"{language} {path}: {width} px")
        for path in [world["meeting"].get_absolute_url(), "/onboarding/"]:
            page.goto(path)
            assert_accessible(axe, page)
    finally:
        context.close()

    assert not too_wide, "wider than the phone: " + "; ".join(too_wide)


def test_staff_tables_fit_a_phone_screen(browser, live_server, world, axe, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    meeting = world["meeting"]
    for number in range(3):
        services.record_attendance(
            meeting=meeting,
            by=None,
            organization=factories.OrganizationFactory(name=f"Klub {LONG_WORD} {number}"),
            people=2,
            note=f"Napomena {LONG_URL}",
        )
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    too_wide = []
    try:
        page.goto("/accounts/login/?next=/staff/meetings/")
        fill_login(page, staff.email, factories.PASSWORD)
        page.locator("#id_code").fill(factories.totp_code(secret))
        page.locator("main form").first.locator("button[type=submit]").click()
        expect(page).to_have_url("/staff/meetings/")
        for path in [
            "/staff/meetings/",
            f"/staff/meetings/{meeting.pk}/",
            "/staff/meetings/actions/",
            "/staff/organizations/",
            "/staff/organizations/review/",
            "/staff/workspace/",
            "/staff/workspace/moderation/",
            "/staff/workspace/channels/",
            "/staff/onboarding/",
        ]:
            assert page.goto(path).status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{path}: {width} px")
        page.goto(f"/staff/meetings/{meeting.pk}/")
        assert_accessible(axe, page)
    finally:
        context.close()

    assert not too_wide, "wider than the phone: " + "; ".join(too_wide)
