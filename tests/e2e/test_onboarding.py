"""A new organization's whole journey in a real browser, through the real SMTP server.

Invitation e-mail → link → pre-filled registration → verification e-mail → every step → staff
approve → the directory lists the organization and its members see their checklist.
"""

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onboarding.models import Invitation
from onboarding.tasks import notify_staff_of_registrations_task
from organizations.models import Organization
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

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

    # The invited secretary, in a browser of their own.
    context = browser.new_context(
        base_url=live_server.url, locale="bs-BA" if language == "bs" else "en-GB"
    )
    invitee = context.new_page()
    invitee.set_default_timeout(15_000)
    started = time.monotonic()
    invitee.goto(invitation_path)
    expect(invitee.get_by_role("note")).to_contain_text("Dragi prijatelji")
    expect(invitee.locator("html")).to_have_attribute("lang", language)
    assert_accessible(axe, invitee)
    invitee.get_by_role("link", name=t("Create an account")).click()
    expect(invitee.locator("#id_email")).to_have_value("sekretar@kud-zenit.example")
    invitee.locator("#id_password1").fill(factories.PASSWORD)
    invitee.locator("#id_password2").fill(factories.PASSWORD)
    invitee.locator("main form button[type=submit]").click()
    expect(invitee).to_have_url(re.compile("/accounts/confirm-email/"))

    [verification] = mailbox.wait_for(1)
    invitee.goto(_link(verification, "/accounts/confirm-email/"))
    invitee.locator("main form button[type=submit]").click()

    # Confirming signs the secretary in and leads on to the organization step, pre-filled.
    expect(invitee).to_have_url("/onboarding/basics/")
    expect(invitee.locator("#id_name")).to_have_value("KUD Zenit Göteborg")
    expect(invitee.locator("#id_country")).to_have_value("SE")
    assert_accessible(axe, invitee)
    next_step(invitee)
    expect(invitee.locator("#id_city_error")).to_be_visible()  # the city is missing
    assert_accessible(axe, invitee)
    invitee.locator("#id_city").fill("Göteborg")
    invitee.locator("#id_kind").select_option("cultural")
    next_step(invitee)

    # Contacts and channels: a row added in place keeps what was typed.
    expect(invitee).to_have_url("/onboarding/contacts/")
    invitee.get_by_role("button", name=t("Add a contact person")).click()
    invitee.locator("#id_contacts-0-name").fill("Amela Begić")
    invitee.get_by_role("button", name=t("Add a channel")).click()
    expect(invitee.locator("#id_channels-0-kind")).to_be_visible()
    expect(invitee.locator("#id_contacts-0-name")).to_have_value("Amela Begić")
    invitee.locator("#id_channels-0-kind").select_option("facebook")
    invitee.locator("#id_channels-0-value").fill("https://facebook.com/kudzenit")
    assert_accessible(axe, invitee)
    next_step(invitee)

    # Areas and wishes; then back and forward again without losing anything.
    expect(invitee).to_have_url("/onboarding/areas/")
    invitee.get_by_label(area_name).check()
    invitee.get_by_label(t("Events and check-in meetings")).check()
    assert_accessible(axe, invitee)
    invitee.get_by_role("button", name=t("Back")).click()
    expect(invitee).to_have_url("/onboarding/contacts/")
    expect(invitee.locator("#id_channels-0-value")).to_have_value("https://facebook.com/kudzenit")
    next_step(invitee)
    expect(invitee.get_by_label(area_name)).to_be_checked()
    next_step(invitee)

    # Consent.
    expect(invitee).to_have_url("/onboarding/consent/")
    assert_accessible(axe, invitee)
    invitee.locator("#id_public_profile").check()
    invitee.locator("#id_data_processing").check()
    next_step(invitee)

    # Review and submit.
    expect(invitee).to_have_url("/onboarding/review/")
    expect(invitee.locator("main")).to_contain_text("Amela Begić")
    assert_accessible(axe, invitee)
    invitee.get_by_role("button", name=t("Submit the registration")).click()
    expect(invitee).to_have_url("/onboarding/submitted/")
    assert_accessible(axe, invitee)
    journey_seconds = time.monotonic() - started
    assert journey_seconds < 300

    organization = Organization.objects.get(name="KUD Zenit Göteborg")
    assert organization.status == "pending"
    assert Invitation.objects.get().state == "completed"
    # The confirmation to the secretary and, from the beat's next tick, the note to staff
    # arrive by SMTP.
    notify_staff_of_registrations_task()
    recipients = {message["To"] for message in mailbox.wait_for(3)}
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
