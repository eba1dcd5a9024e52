"""The failed e-mails page in headless Chromium: reachable after TOTP, accessible, retry works."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from mail.models import OutgoingEmail
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _bs(text):
    with translation.override("bs"):
        return translation.gettext(text)


def test_staff_sees_failed_emails_and_sends_one_again(page, axe, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    email = OutgoingEmail.objects.create(
        to="klub@example.at",
        from_email="portal@example.org",
        subject="Poziv na sastanak",
        body_text="x",
        language="bs",
        status=OutgoingEmail.Status.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused: 550 5.1.1 User unknown",
    )

    page.goto("/accounts/login/?next=/staff/")
    page.locator("main form #id_login").fill(staff.email)
    page.locator("main form #id_password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("#id_code").fill(factories.totp_code(secret))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page).to_have_url("/staff/")

    page.locator("#outbox-tile a").click()
    expect(page).to_have_url("/staff/outbox/failed/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_bs("Failed e-mails"))
    violations = axe(page)
    assert violations == [], violations

    # the button names its e-mail for screen readers, after the visible label
    button = page.get_by_role("button", name="Poziv na sastanak (klub@example.at)")
    expect(button).to_contain_text(_bs("Send again"))
    button.click()

    expect(page.locator(".messages")).to_contain_text(_bs("The e-mail will be sent again."))
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.RETRYING
