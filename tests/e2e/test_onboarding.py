"""A new organization's whole journey in a real browser, through the real SMTP server.

Invitation e-mail → link → account (the link proved the address) → pre-filled registration on a
390 px phone in at most 15 interactions → staff approve → the directory lists the organization
and its members see their checklist.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onboarding.models import Invitation
from onboarding.tasks import notify_staff_of_registrations_task
from organizations.models import Organization
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login
from tests.support.journey import Journey, phone_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _(text: str, language: str = "bs") -> str:
    with translation.override(language):
        return translation.gettext(text)


def _link(message, fragment: str) -> str:
    body = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://\S*{re.escape(fragment)}\S*", body)
    assert match, body
    return re.sub(r"^https?://[^/]+", "", match.group(0))


@pytest.mark.parametrize("language", ["bs", "en"])
def test_from_invitation_email_to_a_listed_organization_with_its_checklist(
    page, browser, live_server, axe, mailbox, celery_worker, settings, language
):
    def t(text):
        return _(text, language)

    def next_step(page):
        page.get_by_role("button", name=t("Save and continue")).click()

    settings.MFA_TOTP_TOLERANCE = 1
    factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    area_name = "Kultura" if language == "bs" else "Culture"
    staff = factories.StaffUserFactory(full_name="Lejla Osmanović")
    secret = factories.activate_totp(staff)

    # Staff send the invitation from /staff/onboarding/.
    page.goto("/accounts/login/?next=/staff/onboarding/")
    fill_login(page, staff.email, factories.PASSWORD)
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/onboarding/")
    assert_accessible(axe, page)
    page.locator("#id_email").fill("sekretar@kud-zenit.example")
    page.locator("#id_organization_name").fill("KUD Zenit Göteborg")
    page.locator("#id_country").select_option("SE")
    page.locator("#id_language").select_option(language)
    page.locator("#id_message").fill("Dragi prijatelji, pridružite nam se!")
    page.get_by_role("button", name=_("Send the invitation")).click()
    expect(page.locator(".messages")).to_contain_text("sekretar@kud-zenit.example")
    [invitation_email] = mailbox.wait_for(1)
    assert invitation_email["To"] == "sekretar@kud-zenit.example"
    assert "Dragi prijatelji" in invitation_email.get_body(("plain",)).get_content()
    invitation_path = _link(invitation_email, "/onboarding/invite/")
    mailbox.clear()

    # The invited secretary, on a 390 px phone of their own: every link opened, click and
    # field counts (docs/journeys.md).
    context = phone_context(
        browser, live_server.url, locale="bs-BA" if language == "bs" else "en-GB"
    )
    invitee = context.new_page()
    invitee.set_default_timeout(15_000)
    journey = Journey(invitee, "register")
    journey.open(invitation_path)
    expect(invitee.get_by_role("note")).to_contain_text("Dragi prijatelji")
    expect(invitee.locator("html")).to_have_attribute("lang", language)
    assert_accessible(axe, invitee)
    journey.click(invitee.get_by_role("link", name=t("Create an account")))
    expect(invitee.locator("#id_email")).to_have_value("sekretar@kud-zenit.example")
    journey.fill(invitee.locator("#id_password1"), factories.PASSWORD)
    journey.fill(invitee.locator("#id_password2"), factories.PASSWORD)
    journey.click(invitee.locator("main form button[type=submit]"))

    # The invitation reached this address: no confirmation link, straight on to the
    # organization step, pre-filled from the invitation.
    expect(invitee).to_have_url("/onboarding/basics/")
    expect(invitee.locator("#id_name")).to_have_value("KUD Zenit Göteborg")
    expect(invitee.locator("#id_country")).to_have_value("SE")
    assert_accessible(axe, invitee)
    journey.fill(invitee.locator("#id_city"), "Göteborg")
    journey.click(invitee.get_by_role("button", name=t("Save and continue")))

    # Contacts and channels: the account is the first contact person.
    expect(invitee).to_have_url("/onboarding/contacts/")
    expect(invitee.locator("#id_contacts-0-email")).to_have_value("sekretar@kud-zenit.example")
    journey.screenshot(at=invitee.locator("#contacts"))
    assert_accessible(axe, invitee)
    journey.fill(invitee.locator("#id_contacts-0-name"), "Amela Begić")
    journey.click(invitee.get_by_role("button", name=t("Save and continue")))

    # Areas and wishes are optional: skipped in one language, answered in the other.
    expect(invitee).to_have_url("/onboarding/areas/")
    assert_accessible(axe, invitee)
    if language == "bs":
        journey.click(invitee.get_by_role("button", name=t("Skip this step")))
    else:
        journey.check(invitee.get_by_label(area_name))
        journey.click(invitee.get_by_role("button", name=t("Save and continue")))

    # Consent.
    expect(invitee).to_have_url("/onboarding/consent/")
    assert_accessible(axe, invitee)
    journey.check(invitee.locator("#id_public_profile"))
    journey.check(invitee.locator("#id_data_processing"))
    journey.click(invitee.get_by_role("button", name=t("Save and continue")))

    # Review and submit.
    expect(invitee).to_have_url("/onboarding/review/")
    expect(invitee.locator("main")).to_contain_text("Amela Begić")
    assert_accessible(axe, invitee)
    journey.click(invitee.get_by_role("button", name=t("Submit the registration")))
    expect(invitee).to_have_url("/onboarding/submitted/")
    assert_accessible(axe, invitee)
    counts = journey.report()
    assert counts["interactions"] <= 15, counts
    assert counts["seconds"] < 300

    organization = Organization.objects.get(name="KUD Zenit Göteborg")
    assert organization.status == "pending"
    assert Invitation.objects.get().state == "completed"
    # The confirmation to the secretary and, from the beat's next tick, the note to staff
    # arrive by SMTP.
    notify_staff_of_registrations_task()
    recipients = {message["To"] for message in mailbox.wait_for(2)}
    assert {"sekretar@kud-zenit.example", staff.email} <= recipients

    # Staff approve.
    page.goto(f"/staff/organizations/{organization.pk}/")
    expect(page.locator("#registration-note-title")).to_be_visible()
    page.get_by_role("button", name=_("Approve and list")).click()
    expect(page.locator(".messages")).to_be_visible()

    # Listed in the directory, and the members' checklist shows.
    invitee.goto("/organizations/")
    expect(invitee.get_by_role("link", name="KUD Zenit Göteborg")).to_be_visible()
    invitee.goto(f"/organizations/{organization.slug}/manage/")
    invitee.get_by_role("link", name=t("Open the checklist")).click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text(t("First steps in the network"))
    assert_accessible(axe, invitee)
    context.close()


def test_the_review_edits_a_step_in_place_on_a_phone(browser, live_server, axe):
    from django.conf import settings as django_settings
    from django.test import Client

    from tests.onboarding.conftest import BASICS, CONSENT, CONTACTS, step_url

    # Given a registration that reached the review.
    user = factories.UserFactory()
    client = Client()
    client.force_login(user)
    for step, data in [
        ("basics", BASICS),
        ("contacts", CONTACTS),
        ("areas", {}),
        ("consent", CONSENT),
    ]:
        assert client.post(step_url(step), {**data, "go": "next"}).status_code == 302
    context = phone_context(browser, live_server.url, locale="bs-BA")
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/onboarding/review/")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))

    # When the person changes the city from the review page.
    basics = page.locator("#review-section-basics")
    basics.locator("a[href='/onboarding/basics/?return=review']").click()
    expect(basics.locator("#id_city")).to_be_visible()
    expect(page.locator("#review-basics")).to_be_focused()  # the keyboard stays in the section
    assert_accessible(axe, page)
    basics.locator("#id_city").fill("Lund")
    basics.get_by_role("button", name=_("Save")).click()

    # Then the section shows the new answer, on the same page, without a reload.
    expect(page.locator("#review-section-basics")).to_contain_text("Lund")
    expect(page.locator("#review-section-basics form")).to_have_count(0)
    expect(page.locator("#review-basics")).to_be_focused()
    assert loads == []
    assert page.url.endswith("/onboarding/review/")
    page.get_by_role("button", name=_("Submit the registration")).click()
    expect(page).to_have_url("/onboarding/submitted/")
    assert Organization.objects.get().city == "Lund"
    context.close()
