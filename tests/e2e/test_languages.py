"""The languages of BiH in Chromium: pages in Croatian, Serbian Latin and Serbian Cyrillic are
axe-clean on a phone and a desktop, fit a 390 px phone, and the Cyrillic reader's switch shows a
Latin post in Cyrillic and back."""

import pytest

from tests import factories
from tests.e2e.test_browser import assert_accessible
from tests.meetings.test_meetings import _held_meeting_with_minutes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


@pytest.mark.parametrize("viewport", SIZES, ids=["phone", "desktop"])
def test_pages_in_croatian_and_serbian_in_both_scripts_are_accessible_and_fit(
    browser, live_server, axe, viewport
):
    meeting, organization, _item = _held_meeting_with_minutes()
    organization.status = "approved"
    organization.save()
    factories.OrganizationFactory(name="Zavičajni klub Banja Luka", status="approved")
    paths = ["/", "/organizations/", organization.get_absolute_url(), meeting.get_absolute_url()]
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for language in ("hr", "sr-latn", "sr"):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            for path in paths:
                assert page.goto(path).status == 200, path
                assert page.locator("html").get_attribute("lang") == language
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_accessible(axe, page)
    finally:
        context.close()


def test_a_cyrillic_reader_switches_a_latin_post_to_cyrillic_and_back(browser, live_server):
    from workspace.models import Post

    organization = factories.OrganizationFactory(status="approved")
    post = Post.objects.create(
        organization=organization,
        kind=Post.Kind.PROJECT_IDEA,
        title="Ljetna škola",
        body="Džemat u Njemačkoj traži partnere.",
        language="bs",
    )
    context = browser.new_context(base_url=live_server.url, viewport=SIZES[0], is_mobile=True)
    context.add_cookies([{"name": "django_language", "value": "sr", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(post.get_absolute_url())
        body = page.locator("#post-body")
        assert "Džemat u Njemačkoj traži partnere." in body.inner_text()
        page.locator(".script-switch a").click()
        assert "Џемат у Њемачкој тражи партнере." in page.locator("#post-body").inner_text()
        page.locator(".script-switch a").click()
        assert "Džemat u Njemačkoj traži partnere." in page.locator("#post-body").inner_text()
    finally:
        context.close()
