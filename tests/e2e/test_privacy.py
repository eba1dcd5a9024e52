"""A user downloads a copy of their data through the e-mailed link and erases their account,
in a real browser, with a real Celery worker and the real SMTP server."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from privacy.models import DataExport
from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_user_downloads_their_data_from_the_emailed_link_and_erases_the_account(
    page, live_server, axe, mailbox, celery_worker, settings, tmp_path
):
    settings.PRIVACY_EXPORT_ROOT = tmp_path / "exports"
    user = factories.UserFactory(email="amela@example.org", full_name="Amela Softić")
    organization = factories.OrganizationFactory(name="KUD Ljiljan Aarhus")
    factories.MembershipFactory(user=user, organization=organization, role="admin")

    page.goto("/privacy/")
    expect(page.locator("h1")).to_have_text("Obavještenje o privatnosti")
    assert_accessible(axe, page)

    page.goto("/accounts/login/?next=/privacy/my-data/")
    fill_login(page, user.email, factories.PASSWORD)
    expect(page).to_have_url("/privacy/my-data/")
    assert_accessible(axe, page)

    # Ask for the copy; a worker prepares it and the link comes by e-mail.
    page.locator("#request-export").click()
    expect(page.locator(".messages, [role=status]").first).to_be_visible()
    [message] = mailbox.wait_for(1)
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+(/privacy/download/\S+/)", body).group(1)

    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url; }", link)
    copy = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert copy["sections"]["accounts"]["account"]["email"] == "amela@example.org"
    assert (
        copy["sections"]["organizations"]["memberships"][0]["organization"] == "KUD Ljiljan Aarhus"
    )
    assert DataExport.objects.get().status == DataExport.Status.DOWNLOADED

    # The link worked once.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Link više ne važi")

    # Erase the account: allauth asks for the password again first.
    page.goto("/privacy/my-data/")
    page.get_by_role("link", name="Izbriši moj račun").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("main #id_password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url("/privacy/my-data/erase/")
    expect(page.locator(".notice--warning")).to_contain_text("KUD Ljiljan Aarhus")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Trajno izbriši moj račun").click()
    expect(page.locator("#id_confirm_error, .error-summary").first).to_be_visible()
    assert_accessible(axe, page)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Trajno izbriši moj račun").click()

    expect(page).to_have_url("/")
    expect(
        page.get_by_text("Vaš korisnički račun i vaši lični podaci su izbrisani.")
    ).to_be_visible()
    assert not User.objects.filter(email="amela@example.org").exists()
