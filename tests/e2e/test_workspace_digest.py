"""An admin in Chromium: joins the community channel, reads the weekly digest that lists a
call for partners, follows its link, and switches the digest off."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_browser import assert_accessible, fill_login
from workspace import services
from workspace.channels.demo import ensure_demo_channels
from workspace.digest import services as digest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _(text: str) -> str:
    with translation.override("bs"):
        return translation.gettext(text)


def test_an_admin_joins_the_channel_and_the_digest_lists_a_call_for_partners(
    page, axe, mailbox, celery_worker
):
    # given: two approved organizations in culture; one posts a call for partners
    culture = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    reader = factories.OrganizationFactory(name="KUD Ljiljan Minhen", country="DE", areas=[culture])
    admin = factories.MembershipFactory(organization=reader, role="admin").user
    author_org = factories.OrganizationFactory(name="Dopunska škola Aarhus", country="DK")
    author = factories.MembershipFactory(organization=author_org, role="admin").user
    post = services.create_post(
        by=author,
        organization=author_org,
        data={
            "kind": "call_for_partners",
            "title": "Partneri za ljetnu školu u Sarajevu",
            "body": "Tražimo udruženja koja žele poslati djecu na ljetnu školu.",
            "country": "BA",
            "city": "Sarajevo",
            "language": "bs",
            "visibility": "public",
        },
        areas=[culture],
    )
    ensure_demo_channels()

    # the admin logs in and opens the community channels
    page.goto("/accounts/login/?next=/workspace/channels/")
    fill_login(page, admin.email, factories.PASSWORD)
    expect(page).to_have_url("/workspace/channels/")
    join = page.get_by_role("link", name=re.compile("BiH dijaspora Njemačka"))
    expect(join).to_have_attribute("href", "https://chat.whatsapp.com/DemoBihDijasporaNjemacka")
    assert_accessible(axe, page)
    page.get_by_role("button", name=re.compile(_("We joined"))).click()
    expect(page.locator(".messages")).to_contain_text("KUD Ljiljan Minhen")
    expect(page.get_by_role("button", name=re.compile(_("We joined")))).to_have_count(0)

    # when: the weekly digest runs; a real worker hands it to the SMTP server
    digest.send_weekly_digests()
    [message] = mailbox.wait_for(1)

    # then: the digest lists the call for partners with a link the admin follows
    assert message["To"] == admin.email
    text = message.get_body(("plain",)).get_content()
    assert post.title in text
    link = re.search(r"https?://\S+/workspace/posts/\d+/", text).group(0)
    page.goto("/workspace/" + link.split("/workspace/", 1)[1])  # the live server's address
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)

    # and the admin switches the digest off from the page the e-mail names
    assert "/workspace/digest/" in text
    page.goto("/workspace/digest/")
    assert_accessible(axe, page)
    page.get_by_label(_("Send the weekly digest to the organization's admins")).uncheck()
    page.get_by_role("button", name=re.compile(_("Save"))).click()
    expect(page.locator("main")).to_contain_text(_("The weekly digest is switched off."))
    assert not digest.receives_digest(reader)
