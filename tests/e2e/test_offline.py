"""Readable offline in headless Chromium: the service worker keeps the public meeting pages a
visitor opened and shows the offline page for everything else, never a staff or personal page."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from meetings import invitations, rsvp_links, services
from meetings.models import Invitation
from organizations.models import Organization
from tests import factories
from tests.e2e.test_browser import CSP_RECORDER, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OFFLINE_HEADING = "Niste povezani na internet"


@pytest.fixture
def meetings_world(db):
    published = factories.MeetingFactory(
        title="2. Diaspora Online Check-In", slug="drugi-sastanak", status="held"
    )
    services.save_minutes(
        meeting=published, by=None, summaries={"bs": "Dnevni kanal: WhatsApp grupa."}
    )
    services.publish_minutes(meeting=published, by=None)
    upcoming = factories.MeetingFactory(title="3. Diaspora Online Check-In", slug="treci")
    organization = factories.OrganizationFactory()
    invitations.invite(upcoming, Organization.objects.filter(pk=organization.pk), by=None)
    invitation = Invitation.objects.get(meeting=upcoming)
    return published, upcoming, urlsplit(rsvp_links.rsvp_url(invitation)).path


def _controlled(page):
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"
    )


def test_opened_meeting_pages_are_readable_offline_and_others_show_the_offline_page(
    page, live_server, meetings_world, staff_client
):
    published, upcoming, rsvp_url = meetings_world
    page.add_init_script(CSP_RECORDER)
    page.goto(published.get_absolute_url())
    _controlled(page)
    # Opened while the worker controls the page: kept (network first).
    page.reload()
    expect(page.locator("main")).to_contain_text("Dnevni kanal: WhatsApp grupa.")
    assert page.evaluate("window.__cspViolations") == []
    page.goto("/meetings/")
    page.goto(upcoming.get_absolute_url())
    # Personal and staff pages, opened while online.
    page.goto(rsvp_url)
    expect(page.locator("main")).to_contain_text(upcoming.title)
    session = staff_client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto("/staff/")
    expect(page.locator("h1")).not_to_contain_text(OFFLINE_HEADING)
    assert page.url.endswith("/staff/")

    page.context.set_offline(True)

    page.goto(published.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Dnevni kanal: WhatsApp grupa.")
    page.reload()
    expect(page.locator("main")).to_contain_text("Dnevni kanal: WhatsApp grupa.")
    page.goto("/meetings/")
    expect(page.locator("main")).to_contain_text(upcoming.title)
    page.goto(upcoming.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(upcoming.title)
    for never_kept in ["/staff/", rsvp_url, "/organizations/"]:
        page.goto(never_kept)
        expect(page.locator("h1")).to_have_text(OFFLINE_HEADING)
        expect(page.locator("body")).not_to_contain_text(upcoming.title)


def _wait_for_caches(page, expected):
    # caches.keys() is asynchronous: wait_for_function would take its promise for a truthy value.
    for _attempt in range(150):
        names = sorted(page.evaluate("async () => await caches.keys()"))
        if names == sorted(expected):
            return
        page.wait_for_timeout(100)
    assert names == sorted(expected)


def test_a_new_release_replaces_the_worker_and_deletes_the_old_caches(
    page, meetings_world, monkeypatch
):
    from core import offline

    published, _upcoming, _rsvp_url = meetings_world
    page.goto(published.get_absolute_url())
    _controlled(page)
    old = offline.cache_version()
    _wait_for_caches(page, [f"pages-{old}", f"static-{old}"])

    monkeypatch.setattr(offline, "cache_version", lambda: "next-release")
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")

    _wait_for_caches(page, ["pages-next-release", "static-next-release"])
    page.reload()
    expect(page.locator("main")).to_contain_text("Dnevni kanal: WhatsApp grupa.")


def test_the_offline_page_is_accessible(page, axe):
    page.goto("/offline/")

    expect(page.locator("h1")).to_have_text(OFFLINE_HEADING)
    assert_accessible(axe, page)
