"""WCAG 2.2 on a 390 px phone: touch targets of at least 24 by 24 CSS px (2.5.8) and a focused
element never hidden behind something that stays on screen, such as a sticky header (2.4.11)."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.support.journey import PHONE, phone_context
from workspace import services as workspace_services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MINIMUM = 24

# Every visible control smaller than MINIMUM either way, except links inside a sentence (the
# WCAG inline exception: their size is set by the line of text around them), and a map's
# countries, each of which has an equivalent link of full size in the table beside the map (the
# WCAG equivalent exception).
SMALL_TARGETS = """(minimum) => {
    const controls = document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
    const inSentence = (el) => {
        if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
        const block = el.parentElement.closest(
            'p, li, dd, dt, td, th, blockquote, figcaption, label, span, small, div');
        return block && block.textContent.trim().length > el.textContent.trim().length;
    };
    const small = [];
    for (const el of controls) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        if (el.closest('.visually-hidden, .skip-link')) continue;
        if (inSentence(el)) continue;
        if (el.closest('svg') && [...document.querySelectorAll('a[href]')].some(
            (other) => !other.closest('svg')
                && other.getAttribute('href') === el.getAttribute('href'))) continue;
        if (box.width < minimum - 0.01 || box.height < minimum - 0.01) {
            const classes = typeof el.className === 'string' && el.className
                ? '.' + el.className.split(' ').join('.') : '';
            small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}`
                + ` "${(el.textContent || el.name || '').trim().slice(0, 30)}"`
                + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return small;
}"""

# Whether anything that stays put on screen (position sticky or fixed) covers the focused
# element: the element at each corner of its box must be the element itself or inside it.
FOCUS_COVERED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) return null;
    const inset = 2;
    const points = [[box.left + inset, box.top + inset], [box.right - inset, box.top + inset],
                    [box.left + box.width / 2, box.top + box.height / 2]];
    for (const [x, y] of points) {
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const top = document.elementFromPoint(x, y);
        if (!top || el.contains(top) || top.contains(el)) continue;
        for (let node = top; node; node = node.parentElement) {
            const position = getComputedStyle(node).position;
            if (position === 'sticky' || position === 'fixed') {
                return `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" `
                    + `under ${node.tagName.toLowerCase()}.${node.className}`;
            }
        }
    }
    return null;
}"""


@pytest.fixture
def main_pages():
    organization = factories.OrganizationFactory(slug="udruzenje-ljiljan")
    factories.ContactFactory(organization=organization, is_public=True)
    factories.ChannelFactory(organization=organization)
    admin = factories.MembershipFactory(organization=organization, role="admin")
    meeting = factories.MeetingFactory(slug="sastanak-ljiljan")
    post = workspace_services.create_post(
        by=admin.user,
        organization=organization,
        areas=[],
        data={"kind": "project_idea", "title": "Ljetna škola", "body": "Tekst", "country": "BA"},
    )
    public = [
        "/",
        "/organizations/",
        organization.get_absolute_url(),
        "/meetings/",
        meeting.get_absolute_url(),
        "/workspace/",
        post.get_absolute_url(),
        "/workspace/channels/",
        "/onboarding/",
        "/onboarding/help/",
        "/privacy/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    staff = factories.StaffUserFactory()
    staff_client = Client()
    factories.log_in_with_totp(staff_client, staff, factories.activate_totp(staff))
    admin_client = Client()
    admin_client.force_login(admin.user)
    signed_in = [
        (admin_client, f"/organizations/{organization.slug}/manage/"),
        (admin_client, "/accounts/"),
        (staff_client, "/staff/"),
        (staff_client, f"/staff/meetings/{meeting.pk}/"),
        (staff_client, "/staff/organizations/"),
    ]
    return [(None, path) for path in public] + signed_in


def _as(context, client, base_url):
    context.clear_cookies()
    if client is not None:
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )


def test_touch_targets_on_the_main_pages_are_at_least_24_px(browser, live_server, main_pages):
    context = phone_context(browser, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    small = []
    for client, path in main_pages:
        _as(context, client, live_server.url)
        assert page.goto(path).status == 200, path
        small += [f"{path}: {target}" for target in page.evaluate(SMALL_TARGETS, MINIMUM)]
    context.close()

    assert not small, "touch targets under 24x24 CSS px:\n" + "\n".join(small)


def test_the_check_finds_a_small_target(browser):
    """The measuring script itself: a 16 px button is reported, a link in a sentence is not."""
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        '<p>Read <a href="/x">the notice</a> first.</p>'
        '<button style="width:16px;height:16px;padding:0">x</button>'
    )
    small = page.evaluate(SMALL_TARGETS, MINIMUM)
    page.close()

    assert len(small) == 1 and small[0].startswith("button"), small


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_focus_is_never_hidden_behind_what_stays_on_screen(browser, live_server, size):
    # Given a long staff page with a table of many organizations.
    for number in range(60):
        factories.OrganizationFactory(name=f"Udruženje {number:02}")
    staff = factories.StaffUserFactory()
    client = Client()
    factories.log_in_with_totp(client, staff, factories.activate_totp(staff))
    if size == "phone":
        context = phone_context(browser, live_server.url)
    else:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 600}
        )
    _as(context, client, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    assert page.goto("/staff/organizations/").status == 200

    # When the keyboard moves through it, forwards and then backwards.
    hidden, scrolled = [], 0
    for steps, key in enumerate(["Tab"] * 90 + ["Shift+Tab"] * 90, start=1):
        page.keyboard.press(key)
        covered = page.evaluate(FOCUS_COVERED)
        if covered:
            hidden.append(f"{key} #{steps}: {covered}")
        scrolled = max(scrolled, page.evaluate("window.scrollY"))
    context.close()

    # Then the page scrolled, and no focused element was under something on screen.
    assert scrolled > 500
    assert not hidden, "\n".join(hidden)


def test_the_check_finds_focus_under_a_sticky_header(browser):
    """The focus script itself: links scrolled under a sticky header without scroll padding."""
    page = browser.new_page(viewport={"width": 390, "height": 400})
    page.set_content(
        '<header style="position:sticky;top:0;height:150px;background:#fff">Header</header>'
        + "".join(f'<p><a href="#{n}">Link {n}</a></p>' for n in range(60))
    )
    covered = []
    for key in ["Tab"] * 40 + ["Shift+Tab"] * 40:
        page.keyboard.press(key)
        covered.append(page.evaluate(FOCUS_COVERED))
    page.close()

    assert any(covered), "a link under the sticky header was not found"
