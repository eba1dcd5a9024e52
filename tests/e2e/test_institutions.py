"""Staff import BiH institutions from CSV in a real browser: the dry run names the bad row and
saves nothing, the confirmation imports the rest, and an organization's profile then shows its
embassy. axe-core on every page on the way, at phone width too."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from institutions.models import Institution
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CSV = (
    "key,name,kind,country,city,address,email,covered_countries,opening_notes,active\n"
    "ambasada-oslo,Ambasada BiH u Oslu,embassy,NO,Oslo,Drammensveien 1,oslo@example.ba,NO IS,"
    "Pon–pet 9–13 h,yes\n"
    "pogresno,Ambasada bez vrste,palace,NO,Bergen,,not-an-address,,,yes\n"
)


def _(text: str, language: str = "bs") -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def staff_page(page, settings):
    """A browser logged in as ministry staff with a TOTP second factor."""
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    page.goto("/accounts/login/?next=/staff/")
    fill_login(page, staff.email, factories.PASSWORD)
    expect(page).to_have_url("/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/")
    return page


def test_staff_import_a_csv_with_a_bad_row_and_the_embassy_shows_on_a_profile(staff_page, axe):
    page = staff_page
    organization = factories.OrganizationFactory(name="Bosanski klub Oslo", country="NO")

    page.get_by_role("link", name=_("Open the institutions")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("BiH institutions abroad"))
    assert_accessible(axe, page)
    page.locator("main .button-row").get_by_role("link", name=_("Import from CSV")).click()
    assert_accessible(axe, page)

    # The dry run: the bad row is reported with its row number and column; nothing is saved.
    page.locator("#id_file").set_input_files(
        files=[{"name": "institucije.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name=_("Check the file")).click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("palace")
    expect(problems.locator("tbody tr").first.locator("th")).to_have_text("3")
    expect(problems).to_contain_text("kind")
    expect(problems).to_contain_text("email")
    expect(page.locator("#import-rows")).to_contain_text(_("Skipped: has problems"))
    assert not Institution.objects.exists()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The confirmation imports the good row only.
    page.get_by_role("button", name="Uvezi 1 red").click()
    expect(page.locator(".messages")).to_contain_text("1")
    expect(page.get_by_role("link", name="Ambasada BiH u Oslu")).to_be_visible()
    assert list(Institution.objects.values_list("key", flat=True)) == ["ambasada-oslo"]

    # The organization's profile in Norway shows its embassy, linked to the institution's page.
    page.goto(organization.get_absolute_url())
    section = page.locator("section.institutions-for-country")
    expect(section.get_by_role("heading")).to_contain_text("Norveška")
    section.get_by_role("link", name="Ambasada BiH u Oslu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ambasada BiH u Oslu")
    expect(page.locator("main")).to_contain_text("Island")
    assert_accessible(axe, page)

    page.goto("/institutions/?country=IS")
    expect(page.get_by_role("link", name="Ambasada BiH u Oslu")).to_be_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(axe, page)
