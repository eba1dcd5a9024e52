"""The expert roster in headless Chromium: a person lists themself, staff find, invite and write
to them, and the expert's address reaches no page; axe-core clean in both languages."""

import pytest
from playwright.sync_api import expect

from experts.models import Expert, Expertise
from mail.models import OutgoingEmail
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login, switch_language
from workspace.models import ExpertInvitation, Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXPERT_EMAIL = "lejla.privatno@bolnica.example"
SHOTS = None  # a folder to save screenshots in while working on the pages


def _shoot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _staff_page(browser, live_server, staff, secret):
    context = browser.new_context(base_url=live_server.url, locale="bs-BA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/?next=/staff/experts/")
    fill_login(page, staff.email, factories.PASSWORD)
    expect(page).to_have_url("/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/experts/")
    return page


def _no_address(page):
    assert EXPERT_EMAIL not in page.content()


def test_a_person_lists_themself_and_staff_find_invite_and_write_to_them(
    page, browser, live_server, axe, settings
):
    settings.MFA_TOTP_TOLERANCE = 1
    Expertise.objects.create(slug="medicine", names={"bs": "Medicina", "en": "Medicine"})
    Expertise.objects.create(slug="law", names={"bs": "Pravo", "en": "Law"})
    person = factories.UserFactory(email=EXPERT_EMAIL, full_name="Lejla Hodžić")
    meeting = factories.MeetingFactory(title="Online check-in: zdravstvo")
    call = Post.objects.create(
        kind=Post.Kind.HOMELAND_CALL,
        municipality="Općina Zavidovići",
        title="Telemedicina za ambulante",
        body="Tražimo ljekare iz dijaspore.",
    )
    staff = factories.StaffUserFactory(email="sluzbenica@mhrr.example")
    secret = factories.activate_totp(staff)

    # The person lists themself from their account, with consent.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/?next=/accounts/")
    fill_login(page, person.email, factories.PASSWORD)
    page.locator("nav.subnav a[href='/experts/me/']").click()
    expect(page).to_have_url("/experts/me/")
    expect(page.locator("#consent-text")).to_be_visible()
    assert_accessible(axe, page)
    _shoot(page, "me-phone")
    page.locator("main button[type=submit]").last.click()  # nothing filled in
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(axe, page)
    page.locator("#id_headline").fill("Kardiologinja")
    page.get_by_label("Medicina").check()
    page.locator("#id_languages").get_by_label("Bosanski").check()
    page.locator("#id_languages").get_by_label("Njemački").check()
    page.locator("#id_country").select_option("AT")
    page.get_by_label("Mentorstvo").check()
    page.locator("#id_bio").fill("Savjeti bolnicama o telemedicini.")
    page.locator("#id_consent").check()
    page.locator("main form.form button[type=submit]").last.click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    expect(page.locator("#status-title")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(axe, page)
    _shoot(page, "me-listed-phone")
    expert = Expert.objects.get(user=person)
    assert expert.visibility == Expert.Visibility.STAFF
    assert expert.consent_version == settings.EXPERTS_CONSENT_VERSION

    # Staff find them by field and country, in Bosnian and in English.
    staff_page = _staff_page(browser, live_server, staff, secret)
    staff_page.locator("#id_expertise").select_option("medicine")
    staff_page.locator("#id_country").select_option("AT")
    staff_page.locator("main form[role=search] button[type=submit]").click()
    expect(staff_page.get_by_role("link", name="Lejla Hodžić")).to_be_visible()
    _no_address(staff_page)
    assert_accessible(axe, staff_page)
    _shoot(staff_page, "staff-list")
    switch_language(staff_page, "English", "en")
    expect(staff_page.locator("h1")).to_have_text("Expert roster")
    assert_accessible(axe, staff_page)
    switch_language(staff_page, "Bosanski", "bs")

    # Staff invite them to a check-in: twice, one e-mail.
    staff_page.get_by_role("link", name="Lejla Hodžić").click()
    _no_address(staff_page)
    assert_accessible(axe, staff_page)
    _shoot(staff_page, "staff-detail")
    for _attempt in range(2):
        staff_page.locator("#id_meeting").select_option(str(meeting.pk))
        staff_page.locator("form[action$='/invite/'] button[type=submit]").click()
        expect(staff_page.locator("main")).to_contain_text("Online check-in: zdravstvo")
    assert (
        OutgoingEmail.objects.filter(to=EXPERT_EMAIL, template="experts/emails/invitation").count()
        == 1
    )

    # ... and to a call from the homeland, on the same page.
    staff_page.locator("#id_homeland-call-choice").select_option(str(call.pk))
    staff_page.locator("form[action$='/invite/homeland-call/'] button[type=submit]").click()
    expect(staff_page.locator("main")).to_contain_text("Telemedicina za ambulante")
    assert ExpertInvitation.objects.filter(expert=expert, post=call).count() == 1
    invitation = OutgoingEmail.objects.get(
        to=EXPERT_EMAIL, template="workspace/emails/expert_invitation"
    )
    assert invitation.headers == {"Reply-To": staff.email}
    _no_address(staff_page)
    assert_accessible(axe, staff_page)
    _shoot(staff_page, "staff-detail-invited")

    # Staff write to them through the portal; the address shows nowhere.
    staff_page.locator("main a[href$='/contact/']").first.click()
    _no_address(staff_page)
    assert_accessible(axe, staff_page)
    staff_page.locator("#id_message").fill("Možete li govoriti na sljedećem sastanku?")
    staff_page.locator("main form.form button[type=submit]").click()
    expect(staff_page).to_have_url("/experts/")
    expect(staff_page.locator("main")).to_contain_text("Lejla Hodžić")
    _no_address(staff_page)
    assert_accessible(axe, staff_page)
    _shoot(staff_page, "roster-staff")
    to_expert = OutgoingEmail.objects.get(to=EXPERT_EMAIL, template="experts/emails/contact")
    assert to_expert.headers == {"Reply-To": staff.email}
    copy = OutgoingEmail.objects.get(to=staff.email, template="experts/emails/contact_copy")
    assert EXPERT_EMAIL not in copy.body_text + copy.body_html + copy.subject
    staff_page.context.close()


def test_the_members_page_is_accessible_in_both_languages_and_fits_a_phone(page, axe):
    member = factories.MembershipFactory(organization=factories.OrganizationFactory()).user
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/?next=/experts/")
    fill_login(page, member.email, factories.PASSWORD)
    expect(page).to_have_url("/experts/")

    assert_accessible(axe, page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, "roster-member-phone")
    switch_language(page, "English", "en")
    assert_accessible(axe, page)
