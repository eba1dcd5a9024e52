"""Every public, member, admin and staff page in Chromium: in Bosnian and in English it fits a
390 px phone without sideways scrolling and axe-core finds nothing serious there; axe-core finds
nothing serious at 1280 px either (in Bosnian: the markup does not change with the language).

The pages come from the URL resolver and the authorization matrix's table: every route a
visitor, a signed-in user, a member or admin of an organization or ministry staff (with the
second factor) may open with GET and that answers with an HTML page for the sample objects
below. New pages are swept without being listed.

On a phone (a mobile context) the layout viewport grows to fit wide content, so the page's
content width is compared with the device's width, not with ``window.innerWidth``.
"""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from experts.models import Expert
from tests import factories
from tests.security.test_authorization_matrix import EXPECTED, EXPECTED_NAMESPACES
from tests.support.urls import routes
from workspace import services as workspace_services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Which role opens the pages of each profile of the matrix.
ROLE_FOR_PROFILE = {
    "public": "anonymous",
    "public_object": "anonymous",
    "signed_in": "user",
    "member": "member",
    "admin": "admin",
    "any_admin": "admin",
    "admin_or_staff": "admin",
    "any_admin_or_staff": "admin",
    "any_member_or_staff": "admin",
    "staff": "staff",
}
IMPACTS = {"serious", "critical"}
LONG_URL = "https://example.org/" + "a-very-long-path-segment-without-breaks" * 3
LONG_WORD = "Dokumentacijskoinformacijskokoordinacijski" * 2


def _profile(name: str) -> str | None:
    if name in EXPECTED:
        return EXPECTED[name]
    return EXPECTED_NAMESPACES.get(name.split(":", 1)[0]) if ":" in name else None


@pytest.fixture
def sample_world():
    # Long words and addresses, which widen a phone's page unless they wrap.
    organization = factories.OrganizationFactory(
        slug="udruzenje-ljiljan", name=f"Udruženje {LONG_WORD}", description=f"Vidi {LONG_URL}"
    )
    factories.ContactFactory(organization=organization, is_public=True, name=LONG_WORD)
    factories.ChannelFactory(organization=organization, value=LONG_URL)
    admin = factories.MembershipFactory(organization=organization, role="admin")
    member = factories.MembershipFactory(organization=organization, role="member")
    pending = factories.OrganizationFactory(slug="na-cekanju", status="pending", approved_at=None)
    meeting = factories.MeetingFactory(
        slug="sastanak-ljiljan", title=f"Check-In {LONG_WORD}", description=LONG_URL
    )
    post = workspace_services.create_post(
        by=admin.user,
        organization=organization,
        areas=[],
        data={
            "kind": "project_idea",
            "title": f"Ljetna škola {LONG_WORD}",
            "body": f"Tekst {LONG_URL}",
            "country": "BA",
        },
    )
    expert = Expert.objects.create(
        user=factories.UserFactory(),
        headline="Kardiologinja",
        country="AT",
        languages=["bs"],
        availability=["mentoring"],
        visibility=Expert.Visibility.MEMBERS,
        consent_at=timezone.now(),
        consent_version=settings.EXPERTS_CONSENT_VERSION,
        consent_language="bs",
    )
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    clients = {role: Client() for role in ("anonymous", "user", "member", "admin", "staff")}
    clients["user"].force_login(factories.UserFactory())
    clients["member"].force_login(member.user)
    clients["admin"].force_login(admin.user)
    factories.log_in_with_totp(clients["staff"], staff, secret)
    samples = {
        "organizations": {"slug": organization.slug, "pk": str(admin.pk)},
        "onboarding": {"slug": organization.slug, "step": "basics"},
        "meetings": {"slug": meeting.slug},
        "workspace": {"slug": organization.slug, "pk": str(post.pk)},
        "privacy": {"slug": organization.slug},
        "staff_organizations": {"pk": str(pending.pk)},
        "staff_meetings": {"pk": str(meeting.pk)},
        "experts": {"pk": str(expert.pk)},
        "staff_experts": {"pk": str(expert.pk)},
    }
    return clients, samples


def _html_pages(clients, samples) -> list[tuple[str, str]]:
    """(role, path) of every page of the portal that answers 200 with HTML to its role, one
    per template and role: pages drawn by the same template differ only in their data."""
    pages, seen = [], set()
    for route in routes():
        profile = _profile(route.name)
        if profile not in ROLE_FOR_PROFILE or route.path().startswith(("/admin/", "/api/")):
            continue
        namespace = route.name.split(":", 1)[0] if ":" in route.name else ""
        path = route.path(samples.get(namespace, {}))
        role = ROLE_FOR_PROFILE[profile]
        response = clients[role].get(path)
        whole_page = b"<html" in response.content  # not an htmx fragment
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and whole_page
        ):
            drawn_by = (role, response.templates[0].name if response.templates else path)
            if drawn_by not in seen:
                seen.add(drawn_by)
                pages.append((role, path))
    return pages


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag', values: [
    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations.map(
    v => ({id: v.id, impact: v.impact, help: v.help,
           targets: v.nodes.slice(0, 3).map(n => n.target)}))"""
# The content's width, and what sticks out past the screen (the innermost culprits).
TOO_WIDE = """(width) => {
    const wide = [...document.body.querySelectorAll('*')].filter(
        (el) => el.getBoundingClientRect().right > width + 0.5
            && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5));
    return {width: document.documentElement.scrollWidth,
            culprits: wide.slice(0, 3).map((el) => el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : ''))};
}"""


def _context(browser, base_url, size):
    if size == "phone":
        return browser.new_context(
            base_url=base_url,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
    return browser.new_context(base_url=base_url, viewport=DESKTOP)


def _sign_in(context, client, base_url, language):
    context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session is not None:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session.value})
    context.add_cookies([dict(c, url=base_url) for c in cookies])


# About 60 pages: on the phone in both languages (the width and axe), on the desktop in Bosnian
# (axe: the markup is the same in either language, and English's shorter words only make a
# page narrower). Two tests, so that pytest-xdist can give them to two processes.
SWEEPS = {"phone": ("bs", "en"), "desktop": ("bs",)}


@pytest.mark.timeout(600)
@pytest.mark.parametrize("size", list(SWEEPS))
def test_every_page_fits_a_phone_and_has_no_serious_axe_violation_at_390_and_1280_px(
    browser, live_server, axe_source, sample_world, size
):
    clients, samples = sample_world
    pages = _html_pages(clients, samples)
    assert len(pages) >= 25, pages  # the derivation found the portal
    assert {role for role, _path in pages} == {"anonymous", "user", "member", "admin", "staff"}
    assert any(path.startswith("/staff/") for _role, path in pages)
    assert any(path.startswith("/onboarding/") for _role, path in pages)

    started = time.monotonic()
    too_wide, found = [], []
    context = _context(browser, live_server.url, size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for language in SWEEPS[size]:
        for role, path in pages:
            _sign_in(context, clients[role], live_server.url, language)
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            where = f"{size} {language} {path} ({role})"
            if size == "phone":
                layout = page.evaluate(TOO_WIDE, PHONE["width"])
                if layout["width"] > PHONE["width"]:
                    too_wide.append(f"{where}: {layout['width']} px {layout['culprits']}")
            page.evaluate(axe_source)
            found += [
                f"{where}: {v['id']} [{v['impact']}] {v['help']} at {v['targets']}"
                for v in page.evaluate(AXE_RUN)
                if v["impact"] in IMPACTS
            ]
    context.close()
    print(f"swept {len(pages)} pages on the {size} in {time.monotonic() - started:.0f} s")  # noqa: T201

    assert not too_wide, "wider than a 390 px phone:\n" + "\n".join(too_wide)
    assert not found, "\n".join(found)


def test_the_width_check_finds_content_wider_than_the_phone(browser):
    """On a mobile context the layout viewport grows to fit: the content width still shows it."""
    context = _context(browser, "http://127.0.0.1", "phone")
    page = context.new_page()
    page.set_content(
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<p>Fits.</p><table><tr><td id="wide">' + "W" * 80 + "</td></tr></table>"
    )
    layout = page.evaluate(TOO_WIDE, PHONE["width"])
    inner_width = page.evaluate("window.innerWidth")
    context.close()

    assert layout["width"] > PHONE["width"]
    assert inner_width >= layout["width"]  # why innerWidth cannot tell
    assert layout["culprits"] == ["td#wide"]
