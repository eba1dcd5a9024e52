"""The public directory and profile in headless Chromium: htmx in place, search, axe-core."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_browser import CSP_RECORDER, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESULTS = "#directory-results"


def _(text: str, language: str, *, plural: str, n: int) -> str:
    with translation.override(language):
        return translation.ngettext(text, plural, n)


@pytest.fixture
def registry(db):
    culture = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    dzemat = factories.OrganizationFactory(
        name="Džemat Đakovo",
        slug="dzemat-dakovo",
        country="DE",
        city="Minhen",
        description="## Ko smo\n\nOkupljamo **porodice** iz BiH.",
        verified_at=timezone.now(),
        areas=[culture],
    )
    factories.ChannelFactory(organization=dzemat)
    factories.ContactFactory(organization=dzemat, is_public=True)
    factories.OrganizationFactory(name="KUD Ljiljan Malmö", country="SE", city="Malmö")
    factories.OrganizationFactory(
        name="Udruženje Živinice Beč", country="AT", city="Beč", dormant_since=timezone.now()
    )
    return dzemat


def test_filtering_updates_the_results_in_place_and_the_url(page, registry):
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto("/organizations/")
    expect(page.locator(RESULTS).locator(".org-card")).to_have_count(3)
    page.evaluate("window.__notReloaded = true")
    requests.clear()

    page.locator("#id_country").select_option("SE")

    expect(page).to_have_url("/organizations/?q=&country=SE&city=&area=")
    cards = page.locator(RESULTS).locator(".org-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("KUD Ljiljan Malmö")
    assert page.evaluate("window.__notReloaded") is True
    loads = [r for r in requests if r.resource_type in ("document", "xhr", "fetch")]
    assert [(r.resource_type, r.headers.get("hx-request")) for r in loads] == [("xhr", "true")]
    expect(page.locator("#id_country")).to_have_value("SE")
    # Screen readers hear the new number of results from a live region outside the swap.
    expect(page.locator("#directory-status[role=status]")).to_have_text(
        _("%(counter)s organization found", "bs", plural="%(counter)s organizations found", n=1)
        % {"counter": 1}
    )
    expect(page.locator("#directory-status")).to_have_count(1)


def test_search_without_diacritics_finds_the_organization(page, registry):
    page.goto("/organizations/")
    page.evaluate("window.__notReloaded = true")

    page.locator("#id_q").fill("dzemat dakovo")
    page.locator("#id_q").press("Enter")

    expect(page).to_have_url("/organizations/?q=dzemat%20dakovo&country=&city=&area=")
    cards = page.locator(RESULTS).locator(".org-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Džemat Đakovo")
    assert page.evaluate("window.__notReloaded") is True


def test_shared_filtered_url_works_without_javascript(browser, live_server, registry):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    page.goto("/organizations/?q=zivinice")

    expect(page.locator(RESULTS).locator(".org-card")).to_have_count(1)
    page.locator("#id_q").fill("ljiljan")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator(RESULTS).locator(".org-card")).to_contain_text("KUD Ljiljan Malmö")
    context.close()


@pytest.mark.parametrize(
    "path", ["/organizations/", "/organizations/?country=XX&q=nothing", "/organizations/?q=zz"]
)
def test_directory_is_accessible(page, axe, registry, path):
    page.goto(path)
    expect(page.locator(RESULTS)).to_be_visible()

    assert_accessible(axe, page)


def test_profile_is_accessible(page, axe, registry):
    page.goto("/organizations/dzemat-dakovo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Džemat Đakovo")

    assert_accessible(axe, page)


def test_api_docs_are_accessible(page, axe):
    page.goto("/api/docs/")

    assert_accessible(axe, page)


@pytest.mark.parametrize("path", ["/organizations/", "/organizations/dzemat-dakovo/"])
def test_registry_pages_have_no_console_errors_or_csp_violations(page, registry, path):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_RECORDER)

    page.goto(path, wait_until="load")
    if path == "/organizations/":
        page.locator("#id_country").select_option("DE")
        expect(page).to_have_url("/organizations/?q=&country=DE&city=&area=")

    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


@pytest.mark.parametrize("path", ["/organizations/", "/organizations/dzemat-dakovo/"])
def test_registry_pages_do_not_scroll_sideways_on_a_phone(page, registry, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_next_page_is_swapped_in_place(page, registry):
    for n in range(21):
        factories.OrganizationFactory(name=f"Udruženje {n:02}", country="NO", city="Oslo")
    page.goto("/organizations/?country=NO")
    page.evaluate("window.__notReloaded = true")

    page.locator(".pagination a[rel=next]").click()

    expect(page).to_have_url("/organizations/?country=NO&page=2")
    expect(page.locator(RESULTS).locator(".org-card")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True
