"""axe-core in Chromium on every public, onboarding and staff page, in Bosnian and in English.

The pages come from the URL resolver and the authorization matrix's table: every route a
visitor, a signed-in user, an organization's admin or ministry staff may open with GET and that
answers with an HTML page for the sample objects below. New pages are swept without being listed.
"""

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
    "member": "admin",
    "admin": "admin",
    "any_admin": "admin",
    "admin_or_staff": "admin",
    "any_admin_or_staff": "admin",
    "any_member_or_staff": "admin",
    "staff": "staff",
}
IMPACTS = {"serious", "critical"}


def _profile(name: str) -> str | None:
    if name in EXPECTED:
        return EXPECTED[name]
    return EXPECTED_NAMESPACES.get(name.split(":", 1)[0]) if ":" in name else None


@pytest.fixture
def sample_world():
    organization = factories.OrganizationFactory(slug="udruzenje-ljiljan")
    factories.ContactFactory(organization=organization, is_public=True)
    factories.ChannelFactory(organization=organization)
    admin = factories.MembershipFactory(organization=organization, role="admin")
    pending = factories.OrganizationFactory(slug="na-cekanju", status="pending", approved_at=None)
    meeting = factories.MeetingFactory(slug="sastanak-ljiljan")
    post = workspace_services.create_post(
        by=admin.user,
        organization=organization,
        areas=[],
        data={"kind": "project_idea", "title": "Ljetna škola", "body": "Tekst", "country": "BA"},
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
    clients = {"anonymous": Client(), "user": Client(), "admin": Client(), "staff": Client()}
    clients["user"].force_login(factories.UserFactory())
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
    """(role, path) of every page of the portal that answers 200 with HTML to its role."""
    pages = []
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
            pages.append((role, path))
    return pages


def test_every_page_has_no_serious_or_critical_axe_violation_in_both_languages(
    browser, live_server, axe_source, sample_world
):
    clients, samples = sample_world
    pages = _html_pages(clients, samples)
    assert len(pages) >= 25, pages  # the derivation found the portal
    assert any(path.startswith("/staff/") for _role, path in pages)
    assert any(path.startswith("/onboarding/") for _role, path in pages)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = []
    for language in ("bs", "en"):
        for role, path in pages:
            context.clear_cookies()
            cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
            session = clients[role].cookies.get(settings.SESSION_COOKIE_NAME)
            if session is not None:
                cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session.value})
            context.add_cookies([dict(c, url=live_server.url) for c in cookies])
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            page.evaluate(axe_source)
            result = page.evaluate(
                """async () => await axe.run(document, {runOnly: {type: 'tag', values: [
                    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
            )
            found += [
                f"{language} {path} ({role}): {v['id']} [{v['impact']}] {v['help']} "
                f"at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"]
                if v["impact"] in IMPACTS
            ]
    context.close()

    assert not found, "\n".join(found)
