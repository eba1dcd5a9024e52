"""The workspace in headless Chromium: a call for partners finds its partner, axe-core clean."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page, user):
    page.goto("/accounts/login/?next=/workspace/")
    fill_login(page, user.email, factories.PASSWORD)
    expect(page).to_have_url("/workspace/")


def test_a_call_for_partners_finds_a_partner_and_shows_it(page, browser, live_server, axe):
    area = factories.AreaFactory(slug="privreda", names={"bs": "Privreda", "en": "Business"})
    author_org = factories.OrganizationFactory(name="BH poslovni klub Stuttgart", areas=[area])
    partner_org = factories.OrganizationFactory(name="Mreža BH stručnjaka Hamburg")
    author = factories.MembershipFactory(organization=author_org, role="admin").user
    partner_admin = factories.MembershipFactory(organization=partner_org, role="admin").user

    # The author's organization posts a call for partners.
    _log_in(page, author)
    assert_accessible(axe, page)
    page.locator("main a[href='/workspace/new/']").first.click()
    page.locator("#id_kind").select_option("call_for_partners")
    page.locator("#id_title").fill("Poslovni forum dijaspore u Mostaru")
    page.locator("#id_body").fill("Tražimo **suorganizatore** panela o ulaganjima.")
    page.locator("#id_country").select_option("BA")
    page.locator("#id_city").fill("Mostar")
    page.get_by_label("Privreda").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Poslovni forum dijaspore u Mostaru")
    post_path = page.url.removeprefix(live_server.url)
    expect(page.locator("#post-body strong")).to_have_text("suorganizatore")

    # Another organization's admin, in a browser of their own, wants to take part.
    context = browser.new_context(base_url=live_server.url, locale="bs-BA")
    other = context.new_page()
    other.set_default_timeout(15_000)
    _log_in(other, partner_admin)
    other.locator("#id_q").fill("poslovni forum")
    other.locator("#id_q").press("Enter")
    other.get_by_role("link", name="Poslovni forum dijaspore u Mostaru").click()
    expect(other).to_have_url(post_path)
    other.locator("#interest-form textarea").fill("Naša mreža vodi panel o energetici.")
    other.locator("#interest-form button[type=submit]").click()
    expect(other.locator("#my-interest")).to_contain_text("Mreža BH stručnjaka Hamburg")
    context.close()

    # The author sees the interested organization and accepts it as a partner.
    page.goto(post_path)
    interests = page.locator("#interests")
    expect(interests).to_contain_text("Naša mreža vodi panel o energetici.")
    interests.locator("form[action$='/accept/'] button").click()
    expect(page.locator("#partners")).to_contain_text("Mreža BH stručnjaka Hamburg")
    assert_accessible(axe, page)

    # Anyone sees the partners on the public page, and filters the board in place.
    page.context.clear_cookies()
    page.goto(post_path)
    expect(page.locator("#partners")).to_contain_text("Mreža BH stručnjaka Hamburg")
    assert_accessible(axe, page)
    page.goto("/workspace/")
    assert_accessible(axe, page)
    page.evaluate("window.__notReloaded = true")
    page.locator("#id_kind").select_option("event")
    expect(page).to_have_url("/workspace/?q=&kind=event&area=&country=&state=")
    expect(page.locator(".post-card")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True
