"""Installable and readable offline: the manifest, the service worker's file, the offline page,
the CSP that allows them and the one server rule of what may be kept offline."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from core import offline
from meetings import invitations, rsvp_links, services
from meetings.models import Invitation
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def _published_meeting():
    meeting = factories.MeetingFactory(status="held", slug="objavljen")
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak."})
    services.publish_minutes(meeting=meeting, by=None)
    return meeting


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("bs", "Portal dijaspore", "Mjesto susreta"),
        ("en", "Diaspora Portal", "The meeting place"),
    ],
)
def test_manifest_is_valid_json_named_in_the_interface_language(
    client, language, name, description
):
    response = client.get(reverse("web_manifest", args=[language]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == name
    assert manifest["description"].startswith(description)
    assert manifest["lang"] == language
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#002395"
    assert manifest["background_color"] == "#ffffff"


def test_manifest_of_an_unknown_language_is_404(client):
    assert client.get("/manifest.xx.webmanifest").status_code == 404


def test_manifest_icons_exist_at_their_sizes_with_a_maskable_one(client):
    manifest = json.loads(client.get(reverse("web_manifest", args=["bs"])).content)

    sizes = set()
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix("/static/")
        path = finders.find(name)
        assert path, icon["src"]
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            assert image.format == "PNG"
        sizes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


@pytest.mark.parametrize(("language", "name"), [("bs", "Portal dijaspore"), ("en", "Diaspora")])
def test_every_page_links_the_manifest_in_its_language_and_the_worker_script(
    client, language, name
):
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()

    assert f'<link rel="manifest" href="/manifest.{language}.webmanifest">' in html
    assert '<meta name="theme-color" content="#002395">' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'data-worker="/sw.js"' in html
    # No inline script: every <script> has a src.
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


def test_csp_allows_the_worker_and_the_manifest_from_this_origin_only(client):
    csp = client.get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert "unsafe-inline" not in csp


def test_service_worker_is_served_from_the_root_as_javascript_never_stale(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    config = json.loads(source.split("\n", 1)[0].removeprefix("const CONFIG = ").rstrip(";"))
    assert config["version"] == offline.cache_version()
    assert config["offlineUrl"] == "/offline/"
    assert "skipWaiting" in source and "clients.claim" in source


def test_worker_version_changes_when_a_static_file_changes(settings, tmp_path):
    (tmp_path / "portal.css").write_text("body {}")
    settings.STATICFILES_DIRS = [tmp_path]
    offline.cache_version.cache_clear()
    try:
        before = offline.cache_version()
        (tmp_path / "portal.css").write_text("body { color: red }")
        offline.cache_version.cache_clear()
        assert offline.cache_version() != before
    finally:
        offline.cache_version.cache_clear()


@pytest.mark.parametrize(("language", "heading"), [("bs", "Niste povezani"), ("en", "offline")])
def test_offline_page_is_translated_and_may_be_kept(client, language, heading):
    client.cookies["django_language"] = language
    response = client.get(reverse("offline"))

    assert response.status_code == 200
    assert heading in response.content.decode()
    assert response[offline.OFFLINE_HEADER] == offline.ALLOW


def test_public_meeting_pages_may_be_kept_offline(client):
    meeting = _published_meeting()

    for url in [reverse("meetings:index"), meeting.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.get(offline.OFFLINE_HEADER) == offline.ALLOW, url
        assert "private" not in response.get("Cache-Control", "")


def test_filtered_meeting_lists_and_htmx_fragments_are_not_kept(client):
    assert offline.OFFLINE_HEADER not in client.get("/meetings/?q=x")
    assert offline.OFFLINE_HEADER not in client.get("/meetings/", headers={"HX-Request": "true"})


def test_signed_in_pages_are_private_and_never_kept_offline(client, user):
    meeting = _published_meeting()
    client.force_login(user)

    for url in ["/", reverse("meetings:index"), meeting.get_absolute_url()]:
        response = client.get(url)
        assert "private" in response["Cache-Control"], url
        assert offline.OFFLINE_HEADER not in response, url


def test_personal_links_are_never_stored(client):
    meeting = factories.MeetingFactory()
    organization = factories.OrganizationFactory()
    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    invitation = Invitation.objects.get(meeting=meeting)

    response = client.get(rsvp_links.rsvp_url(invitation))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert offline.OFFLINE_HEADER not in response


def test_onboarding_invitation_links_are_never_stored(client):
    response = client.get("/onboarding/invite/unknown/")

    assert "no-store" in response["Cache-Control"]
    assert offline.OFFLINE_HEADER not in response


def test_staff_pages_are_never_kept_offline(staff_client):
    response = staff_client.get(reverse("staff_dashboard"))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert offline.OFFLINE_HEADER not in response


def test_offline_page_may_be_kept_for_a_signed_in_visitor_too(client, user):
    # The worker installs only if it can keep the offline page, whoever installs it.
    client.force_login(user)

    response = client.get(reverse("offline"))

    assert response[offline.OFFLINE_HEADER] == offline.ALLOW
    assert "private" not in response.get("Cache-Control", "")
    assert user.email not in response.content.decode()
