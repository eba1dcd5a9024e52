"""End-to-end checks in headless Chromium: accessibility, keyboard, language, login, CSP, layout.

Expected texts come from the same translation catalogs the live server uses, so the tests hold
whether or not the Bosnian catalog is compiled yet.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOGIN_FORM = "main form[action='/accounts/login/']"
LOGOUT_BUTTON = "header form[action='/accounts/logout/'] button[type=submit]"

# Records every Content-Security-Policy violation the page reports; the page's own CSP does not
# apply to scripts Playwright injects.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile}:${event.lineNumber})`
    );
});
"""


def _(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def assert_accessible(axe, page):
    violations = axe(page)
    assert violations == [], f"axe-core found violations on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} at {v['nodes']}" for v in violations
    )


def switch_language(page, button_name: str, language: str):
    page.locator("header .language-switcher").get_by_role("button", name=button_name).click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def fill_login(page, email: str, password: str):
    form = page.locator(LOGIN_FORM)
    form.locator("#id_login").fill(email)
    form.locator("#id_password").fill(password)
    form.locator("button[type=submit]").click()


# --- axe-core ----------------------------------------------------------------------------------


def test_home_is_accessible_in_bosnian(page, axe):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "bs")

    assert_accessible(axe, page)


def test_home_is_accessible_in_english(page, axe):
    page.goto("/")
    switch_language(page, "English", "en")

    assert_accessible(axe, page)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_entrance_pages_are_accessible(page, axe, path):
    page.goto(path)
    expect(page.locator("main form[method=post]")).to_be_visible()

    assert_accessible(axe, page)


def test_login_error_summary_is_accessible(page, axe, user):
    page.goto("/accounts/login/")
    fill_login(page, user.email, "not-the-password")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(axe, page)


def test_staff_dashboard_is_accessible_after_login_with_totp(page, axe, settings):
    # A code computed just before a 30 s boundary must not fail once the step has passed.
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)

    page.goto("/accounts/login/?next=/staff/")
    fill_login(page, staff.email, factories.PASSWORD)
    expect(page).to_have_url("/accounts/2fa/authenticate/")
    assert_accessible(axe, page)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()

    expect(page).to_have_url("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Staff area", "bs"))
    assert_accessible(axe, page)


# --- Keyboard ---------------------------------------------------------------------------------


def test_first_tab_reaches_the_skip_link_and_enter_moves_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")

    skip_link = page.locator("a[href='#main']")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text(_("Skip to main content", "bs"))
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


# --- Language switcher -------------------------------------------------------------------------


def test_language_switcher_changes_language_and_back(page):
    heading = page.get_by_role("heading", level=1)
    page.goto("/")
    expect(heading).to_have_text(_("Diaspora and homeland, working together", "bs"))

    switch_language(page, "English", "en")
    expect(heading).to_have_text("Diaspora and homeland, working together")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")

    switch_language(page, "Bosanski", "bs")
    expect(heading).to_have_text(_("Diaspora and homeland, working together", "bs"))
    expect(page.get_by_role("button", name="Bosanski")).to_have_attribute("aria-current", "true")


# --- Login journey -----------------------------------------------------------------------------


def test_verified_user_logs_in_and_out(page, user):
    nav = page.locator("header nav")
    page.goto("/")
    nav.get_by_role("link", name=_("Log in", "bs")).click()
    expect(page).to_have_url("/accounts/login/")

    fill_login(page, user.email, factories.PASSWORD)

    expect(page).to_have_url("/")
    account_link = nav.locator("a[href='/accounts/']")
    expect(account_link).to_have_text(_("My account", "bs"))

    page.locator(LOGOUT_BUTTON).click()

    expect(account_link).to_have_count(0)
    expect(nav.get_by_role("link", name=_("Log in", "bs"))).to_be_visible()
    page.goto("/accounts/")
    expect(page).to_have_url("/accounts/login/?next=/accounts/")


# --- CSP and console ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_no_console_errors_or_csp_violations(page, path):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_RECORDER)

    response = page.goto(path, wait_until="load")

    assert response is not None and response.ok
    # htmx, served from /static/, has run.
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("window.__cspViolations") == []
    assert errors == []


# --- Layout ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_no_horizontal_scroll_on_a_phone(page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")

    assert scroll_width <= 390
