"""Staff run the registry in a real browser: review, approve, and the e-mail that follows."""

import os

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = os.environ.get("REGISTRY_SCREENSHOTS")


def _(text: str, language: str = "bs") -> str:
    with translation.override(language):
        return translation.gettext(text)


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.fixture
def staff_page(page, settings):
    """A browser logged in as ministry staff with a TOTP second factor."""
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory(full_name="Lejla Osmanović")
    secret = factories.activate_totp(staff)
    page.goto("/accounts/login/?next=/staff/")
    fill_login(page, staff.email, factories.PASSWORD)
    expect(page).to_have_url("/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/")
    return page


def test_staff_approve_a_pending_organization_and_the_admin_gets_the_email(
    staff_page, axe, mailbox, celery_worker
):
    page = staff_page
    factories.OrganizationFactory(name="Udruženje Bosanaca Minhen", country="DE")
    organization = factories.OrganizationFactory(
        name="Udruzenje bosanaca Minhen e.V.", country="DE", status="pending", approved_at=None
    )
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    shot(page, "dashboard")

    page.get_by_role("link", name=_("Open the review queue")).click()
    page.get_by_role("link", name=organization.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organization.name)
    expect(page.get_by_role("note")).to_contain_text("Udruženje Bosanaca Minhen")
    shot(page, "review")
    assert_accessible(axe, page)

    page.get_by_role("button", name=_("Approve and list")).click()

    expect(page.locator(".messages")).to_contain_text(
        _("The organization is approved and listed. Its admins are informed by e-mail.")
    )
    messages = mailbox.wait_for(1)
    assert messages[0]["To"] == admin.email
    assert organization.name in messages[0]["Subject"]

    # Listed at once, and found by a search typed without diacritics.
    page.goto("/organizations/?q=udruzenje+bosanaca+minhen")
    results = page.locator("#directory")
    expect(results.get_by_role("link", name=organization.name)).to_be_visible()
    expect(results.get_by_role("link", name="Udruženje Bosanaca Minhen")).to_be_visible()


def test_staff_list_and_edit_pages_are_accessible(staff_page, axe):
    page = staff_page
    organization = factories.OrganizationFactory(name="Džemat Đakovo", city="Živinice")
    factories.ChannelFactory(organization=organization)
    factories.ContactFactory(organization=organization)
    factories.AreaFactory()

    page.goto("/staff/organizations/")
    expect(page.get_by_role("link", name="Džemat Đakovo")).to_be_visible()
    shot(page, "list")
    assert_accessible(axe, page)

    page.goto(f"/staff/organizations/{organization.pk}/edit/")
    page.get_by_label(_("City", "bs")).first.fill("Tuzla")
    page.get_by_role("button", name=_("Add a contact person")).click()
    # htmx swapped in a new, empty row and kept the typed city.
    expect(page.locator("[name='contacts-1-name']")).to_be_visible()
    expect(page.locator("[name='city']")).to_have_value("Tuzla")
    shot(page, "edit")
    assert_accessible(axe, page)

    page.get_by_role("button", name=_("Save"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(_("The profile is saved."))
    page.get_by_role("link", name=_("Change history")).click()
    expect(page.locator("table")).to_contain_text("Tuzla")
    shot(page, "history")
    assert_accessible(axe, page)


def test_organization_admin_keeps_the_profile_on_a_phone(page, axe):
    organization = factories.OrganizationFactory(name="Bosanski klub Göteborg", country="SE")
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    factories.MembershipFactory(organization=organization, role="member")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    fill_login(page, admin.email, factories.PASSWORD)

    page.goto("/accounts/")
    page.get_by_role("link", name=organization.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organization.name)
    assert_accessible(axe, page)
    page.get_by_role("button", name=_("The profile is current")).click()
    expect(page.locator(".messages")).to_contain_text(
        _("Thank you. The profile is confirmed as current.")
    )

    page.goto(f"/organizations/{organization.slug}/manage/edit/")
    page.locator("[name='city']").fill("Malmö")
    page.get_by_role("button", name=_("Add a channel")).click()
    page.locator("[name='channels-0-kind']").select_option("signal")
    page.locator("[name='channels-0-value']").fill("@bosanskiklub")
    expect(page.locator("[name='city']")).to_have_value("Malmö")
    shot(page, "manage-edit")
    assert_accessible(axe, page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name=_("Save"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(_("The profile is saved."))
    expect(page.locator("main")).to_contain_text("@bosanskiklub")

    page.goto(f"/organizations/{organization.slug}/manage/members/")
    shot(page, "manage-members")
    assert_accessible(axe, page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
