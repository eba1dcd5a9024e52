"""Insights in Chromium: the map, the charts and the annual report are accessible (axe) and fit
a phone in both languages, the map's countries are reachable by keyboard, and the report prints
on A4 with each section on a new page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import ActionItem, Decision, Minutes
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


@pytest.fixture
def year_of_work():
    year = timezone.localdate().year
    for country in ["DE", "DE", "AT", "SE", "US", "BA"]:
        factories.OrganizationFactory(country=country, city="Grad")
    for number in range(3):
        meeting = factories.MeetingFactory(
            kind="check_in",
            status="held",
            starts_at=timezone.now() - timedelta(days=1 + number),
        )
        minutes = Minutes.objects.create(meeting=meeting)
        Decision.objects.create(minutes=minutes, text=f"Odluka {number}")
        ActionItem.objects.create(meeting=meeting, text=f"Zadatak {number}", status="done")
    return year


def _staff_context(browser, live_server, viewport, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/?next=/staff/insights/")
    fill_login(page, staff.email, factories.PASSWORD)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/insights/")
    return context, page


def test_insights_pages_are_accessible_and_fit_in_both_languages(
    browser, live_server, year_of_work, axe, settings
):
    paths = ["/staff/insights/", f"/staff/insights/report/{year_of_work}/", "/staff/"]
    public = ["/", "/organizations/"]
    too_wide = []
    # Both languages on the phone, where words decide the width; Bosnian on the desktop.
    for viewport, languages in zip(SIZES, (("bs", "en"), ("bs",)), strict=True):
        context, page = _staff_context(browser, live_server, viewport, settings)
        try:
            for language in languages:
                context.add_cookies(
                    [{"name": "django_language", "value": language, "url": live_server.url}]
                )
                for path in paths + public:
                    assert page.goto(path).status == 200, path
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > viewport["width"]:
                        too_wide.append(f"{language} {viewport['width']} {path}: {width}px")
                    if page.locator("details.map__table").count():
                        page.locator("details.map__table summary").first.click()
                    assert_accessible(axe, page)
        finally:
            context.close()
    assert not too_wide, "wider than the screen: " + "; ".join(too_wide)


def test_map_countries_are_links_reached_by_keyboard(browser, live_server, year_of_work):
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[1])
    page = context.new_page()
    try:
        page.goto("/organizations/")
        germany = page.locator(".map__svg--europe a[href='/organizations/?country=DE']")
        expect(germany).to_have_count(1)
        germany.focus()
        assert page.evaluate("document.activeElement.getAttribute('href')") == (
            "/organizations/?country=DE"
        )
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"country=DE"))
        expect(page.locator("#directory")).to_contain_text("2")
    finally:
        context.close()


def test_annual_report_prints_each_section_on_a_new_a4_page(
    browser, live_server, year_of_work, settings
):
    context, page = _staff_context(browser, live_server, SIZES[1], settings)
    try:
        page.goto(f"/staff/insights/report/{year_of_work}/")
        sections = page.locator(".report-section").count()
        page.emulate_media(media="print")
        breaks = page.evaluate(
            "[...document.querySelectorAll('.report-section')]"
            ".map(s => getComputedStyle(s).breakBefore)"
        )
        pdf = page.pdf(prefer_css_page_size=True)
    finally:
        context.close()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    # Five sections, each starting on a new page; the charts take more than one.
    assert sections == 5
    assert breaks[1:] == ["page"] * 4
    assert pages > sections
    # The stylesheet's A4 (595 × 842 points), not the browser's default Letter (612 × 792).
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45]\.?\d*\s+84[12]\.?\d*\s*\]", pdf)
