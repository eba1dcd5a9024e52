"""Every page is valid HTML for the W3C Nu HTML checker (vnu.jar), checked in one run.

To check a new page, add one line to PAGES.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories


@dataclass(frozen=True)
class Page:
    name: str
    url: str  # a path ("/") or a URL name ("account_overview")
    user: str | None = None  # None (anonymous), "user" or "staff" (ministry staff, TOTP login)
    post: dict = field(default_factory=dict)  # form data to POST instead of a GET
    status: int = 200


PAGES = [
    Page("home", "/"),
    Page("login", "account_login"),
    Page("signup", "account_signup"),
    Page(
        "login with errors",
        "account_login",
        post={"login": "x@example.org", "password": "no"},
        status=422,
    ),
    Page("account", "account_overview", user="user"),
    Page("staff dashboard", "staff_dashboard", user="staff"),
    Page("onboarding start", "onboarding:start"),
    Page("onboarding basics", "/onboarding/basics/", user="user"),
    Page(
        "onboarding basics with errors",
        "/onboarding/basics/",
        user="user",
        post={"name": "", "go": "next"},
        status=422,
    ),
    Page("onboarding invitation link unknown", "/onboarding/invite/unknown/", status=404),
    Page("staff onboarding", "staff_onboarding:overview", user="staff"),
    Page("onboarding help", "onboarding:help"),
    Page("onboarding invitation page refused", "onboarding:invitations", user="user", status=403),
    Page("staff guides", "staff_onboarding:guides", user="staff"),
    Page("staff new guide", "staff_onboarding:guide_new", user="staff"),
    Page(
        "staff onboarding invite with errors",
        "staff_onboarding:overview",
        user="staff",
        post={"email": "nope", "language": "bs"},
        status=422,
    ),
]


def _client_for(kind: str | None) -> Client:
    client = Client()
    if kind == "user":
        client.force_login(factories.UserFactory())
    elif kind == "staff":
        # The real login with password and TOTP code, so the session holds both factors.
        staff = factories.StaffUserFactory()
        secret = factories.activate_totp(staff)
        client.post(
            reverse("account_login"), {"login": staff.email, "password": factories.PASSWORD}
        )
        client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(secret)})
    return client


def render(page: Page) -> str:
    client = _client_for(page.user)
    url = page.url if page.url.startswith("/") else reverse(page.url)
    response = client.post(url, page.post) if page.post else client.get(url)
    assert response.status_code == page.status, f"{page.name}: {response.status_code}"
    return response.content.decode()


@pytest.mark.django_db
def test_pages_are_valid_html(html_checker, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code made just before a 30 s boundary still counts
    pages = {page.name: render(page) for page in PAGES}
    # A known-invalid page in the same run proves the checker reports what it finds.
    canary = pages["home"].replace("<body data-hx-headers=", "<body hx-headers=")
    assert canary != pages["home"]

    errors = html_checker({**pages, "canary": canary})

    canary_errors = [error for error in errors if error.startswith("canary, ")]
    assert any("hx-headers" in error for error in canary_errors), errors
    page_errors = [error for error in errors if not error.startswith("canary, ")]
    assert page_errors == [], "The Nu HTML checker found errors:\n" + "\n".join(page_errors)
