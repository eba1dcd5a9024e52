"""/open-data/ in Chromium: axe-clean in both languages, and no wider than a 390 px phone."""

from pathlib import Path

import pytest

from opendata import services
from tests import factories
from tests.e2e.test_browser import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def snapshot_made(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factories.OrganizationFactory(name="Udruženje Ljiljan", slug="udruzenje-ljiljan")
    return services.generate_snapshot()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_open_data_page_is_accessible_and_fits_in_both_languages(
    browser, live_server, axe, snapshot_made, viewport
):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for language, heading in (("bs", "Otvoreni podaci"), ("en", "Open data")):
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            assert page.goto("/open-data/").status == 200
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").inner_text() == heading
            assert page.locator("a[href='/open-data/datapackage.json']").count() == 1
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            assert_accessible(axe, page)
    finally:
        context.close()


def test_a_download_link_gives_the_file(browser, live_server, snapshot_made):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto("/open-data/")
        with page.expect_download() as download:
            page.locator("a[href='/open-data/organizations.csv']").click()
        path = download.value.path()
        assert "Udruženje Ljiljan" in Path(path).read_text(encoding="utf-8")
    finally:
        context.close()
