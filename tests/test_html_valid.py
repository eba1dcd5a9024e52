"""Every page is valid HTML for the W3C Nu HTML checker (vnu.jar), checked in one run.

To check a new page, add one line to PAGES.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories


@dataclass(frozen=True)
class Page:
    name: str
    url: str  # a path ("/") or a URL name ("account_overview")
    # None (anonymous), "user", "author" (admin of the workspace post's organization),
    # "registrant" (a registration at its review step) or "staff" (ministry staff, TOTP login)
    user: str | None = None
    post: dict = field(default_factory=dict)  # form data to POST instead of a GET
    status: int = 200


PAGES = [
    Page("home", "/"),
    Page("offline", "offline"),
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
    Page("directory with its map", "organizations:directory"),
    Page("staff insights", "staff_insights:overview", user="staff"),
    Page("staff insights, all time", "/staff/insights/?period=all", user="staff"),
    Page("staff insights, bad period", "/staff/insights/?period=x", user="staff", status=400),
    Page("annual report", f"/staff/insights/report/{timezone.localdate().year}/", user="staff"),
    Page("meetings", "/meetings/"),
    Page("meetings with a bad filter", "/meetings/?year=1800", status=422),
    Page("meeting with its summary", "/meetings/html-check/"),
    Page("upcoming meeting", "/meetings/html-check-next/"),
    Page("organization with action items", "/organizations/html-check-org/"),
    Page("staff meetings", "/staff/meetings/", user="staff"),
    Page("staff meeting", "/staff/meetings/{meeting}/", user="staff"),
    Page("staff meeting form", "/staff/meetings/{meeting}/edit/", user="staff"),
    Page("staff minutes", "/staff/meetings/{meeting}/minutes/", user="staff"),
    Page("staff upcoming meeting", "/staff/meetings/{next}/", user="staff"),
    Page("staff nudge", "/staff/meetings/{next}/nudge/", user="staff"),
    Page("staff open action items", "/staff/meetings/actions/", user="staff"),
    Page("staff upcoming meeting with invitations", "/staff/meetings/{upcoming}/", user="staff"),
    Page("staff series", "/staff/meetings/series/{series}/", user="staff"),
    Page("staff next meeting of a series", "/staff/meetings/{meeting}/next/", user="staff"),
    Page(
        "staff next meeting with errors",
        "/staff/meetings/{meeting}/next/",
        user="staff",
        post={"starts_at": "2020-01-01T18:00", "action": "schedule"},
        status=422,
    ),
    Page(
        "staff audience preview",
        "/staff/meetings/{upcoming}/invitations/preview/",
        user="staff",
        post={"countries": ["DE"], "kinds": ["association"]},
    ),
    Page(
        "staff audience preview empty",
        "/staff/meetings/{upcoming}/invitations/preview/",
        user="staff",
        post={"kinds": []},
        status=422,
    ),
    Page("staff archive import", "/staff/meetings/archive/import/", user="staff"),
    Page(
        "staff archive import report",
        "/staff/meetings/archive/import/",
        user="staff",
        post={
            "action": "check",
            "content": "meetings:\n- {key: a, title: A, date: '2021-01-01', zone: Europe/Sarajevo,"
            " summary: {bs: S}}\n- {key: b, title: B, date: x, zone: Y}\n",
        },
        status=422,
    ),
    Page(
        "staff archive import ready",
        "/staff/meetings/archive/import/",
        user="staff",
        post={
            "action": "check",
            "content": "meetings:\n- {key: a, title: A, date: '2021-01-01', zone: Europe/Sarajevo,"
            " summary: {bs: S}}\n",
        },
    ),
    Page("meeting RSVP", "/meetings/rsvp/{token}/"),
    Page("meeting RSVP with errors", "/meetings/rsvp/{token}/", post={"answer": "x"}, status=422),
    Page("meeting RSVP unknown", "/meetings/rsvp/unknown/", status=404),
    Page("meeting liaison refused", "/meetings/html-check-next/liaison/", user="user", status=403),
    Page("onboarding start", "onboarding:start"),
    Page("onboarding basics", "/onboarding/basics/", user="user"),
    Page(
        "onboarding basics with errors",
        "/onboarding/basics/",
        user="user",
        post={"name": "", "go": "next"},
        status=422,
    ),
    Page(
        "onboarding contacts with the account filled in", "/onboarding/contacts/", user="registrant"
    ),
    Page("onboarding areas with skip", "/onboarding/areas/", user="registrant"),
    Page("onboarding review with its sections", "/onboarding/review/", user="registrant"),
    Page(
        "onboarding step opened from the review",
        "/onboarding/basics/?return=review",
        user="registrant",
    ),
    Page("onboarding invitation link unknown", "/onboarding/invite/unknown/", status=404),
    Page("staff onboarding", "staff_onboarding:overview", user="staff"),
    Page("onboarding help", "onboarding:help"),
    Page("onboarding invitation page refused", "onboarding:invitations", user="user", status=403),
    Page("staff guides", "staff_onboarding:guides", user="staff"),
    Page("staff new guide", "staff_onboarding:guide_new", user="staff"),
    Page("workspace", "workspace:board"),
    Page("workspace with a bad filter", "/workspace/?country=XX", status=422),
    Page("workspace post", "/workspace/posts/{post}/"),
    Page("workspace post for its author", "/workspace/posts/{post}/", user="author"),
    Page("workspace post for staff", "/workspace/posts/{post}/", user="staff"),
    Page("workspace new post", "workspace:new", user="author"),
    Page(
        "workspace new post with errors",
        "workspace:new",
        user="author",
        post={"kind": "news", "title": ""},
        status=422,
    ),
    Page("workspace edit post", "/workspace/posts/{post}/edit/", user="author"),
    Page("workspace homeland partners", "workspace:focal_point", user="user"),
    Page("workspace staff pipeline", "staff_workspace:pipeline", user="staff"),
    Page("workspace staff focal points", "staff_workspace:focal_points", user="staff"),
    Page("workspace staff moderation log", "staff_workspace:moderation", user="staff"),
    Page("privacy notice", "privacy:notice"),
    Page("my data", "privacy:my_data", user="user"),
    Page("staff personal data", "staff_privacy:overview", user="staff"),
    Page(
        "staff erasure with errors",
        "staff_privacy:overview",
        user="staff",
        post={"erase-email": "nobody@example.org"},
        status=422,
    ),
    Page("staff audit log", "/staff/privacy/audit/?action=csv_export", user="staff"),
    Page(
        "staff onboarding invite with errors",
        "staff_onboarding:overview",
        user="staff",
        post={"email": "nope", "language": "bs"},
        status=422,
    ),
    Page("community channels", "workspace:channels"),
    Page("community channels for a member", "workspace:channels", user="author"),
    Page("digest settings of an admin", "workspace:digest_settings", user="author"),
    Page("staff community channels", "staff_workspace_channels:list", user="staff"),
    Page("institutions", "institutions:directory"),
    Page("institutions filtered", "/institutions/?country=DE&kind=embassy"),
    Page("institutions with a bad filter", "/institutions/?country=XX", status=422),
    Page("institution", "/institutions/ambasada-berlin/"),
    Page("staff institutions", "staff_institutions:list", user="staff"),
    Page("staff new institution", "staff_institutions:new", user="staff"),
    Page("staff institution", "/staff/institutions/{institution}/", user="staff"),
    Page(
        "staff new institution with errors",
        "staff_institutions:new",
        user="staff",
        post={"name": "", "kind": "x", "website": "javascript:x"},
        status=422,
    ),
    Page("staff institutions import", "staff_institutions:import", user="staff"),
    Page(
        "staff institutions import dry run",
        "staff_institutions:import",
        user="staff",
        post={"file": "CSV"},
    ),
    Page(
        "staff institutions import with a bad file",
        "staff_institutions:import",
        user="staff",
        post={"file": "NOT-UTF8"},
        status=400,
    ),
    Page(
        "staff new channel with errors",
        "staff_workspace_channels:new",
        user="staff",
        post={"name": "", "kind": "x", "audience": "country", "join_url": "javascript:x"},
        status=422,
    ),
]


def _meetings() -> dict:
    """A held meeting with published minutes and an upcoming one, for the meeting pages."""
    from meetings import services

    organization = factories.OrganizationFactory(slug="html-check-org")
    meeting = factories.MeetingFactory(
        slug="html-check",
        series=factories.SeriesFactory(),
        number=1,
        status="held",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    )
    services.add_agenda_item(meeting=meeting, by=None, title="Uvod", presenter=organization)
    services.record_attendance(meeting=meeting, by=None, organization=organization, people=2)
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Sažetak **sastanka**."})
    services.add_decision(meeting=meeting, by=None, text="Dogovoreno je.")
    services.add_action_item(meeting=meeting, by=None, text="Zadatak", responsible=organization)
    services.publish_minutes(meeting=meeting, by=None)
    from meetings.models import AudienceRule

    AudienceRule.objects.create(meeting=meeting, countries=["DE"], kinds=["association"])
    upcoming = factories.MeetingFactory(slug="html-check-next", scope="country", host_country="DE")
    from meetings import invitations, liaisons, rsvp_links
    from organizations.models import Organization

    invitations.invite(upcoming, Organization.objects.filter(pk=organization.pk), by=None)
    invitation = upcoming.invitations.get()
    invitations.record_answer(invitation, answer="yes", people=2, comment="Dolazimo", by=None)
    liaisons.assign_liaison(upcoming, factories.UserFactory(), by=None)
    token = rsvp_links.rsvp_url(invitation).rstrip("/").rsplit("/", 1)[1]
    from workspace.channels.demo import ensure_demo_channels

    ensure_demo_channels()
    from institutions.demo import ensure_demo_institutions

    institutions = ensure_demo_institutions()
    return {
        "institution": institutions[0].pk,
        "meeting": meeting.pk,
        "series": meeting.series_id,
        "upcoming": upcoming.pk,
        "next": upcoming.pk,
        "token": token,
        **_workspace(organization),
    }


def _workspace(organization) -> dict:
    """A call for partners with an interested and an accepted organization, and a focal point."""
    from workspace import services
    from workspace.models import FocalPoint

    global AUTHOR
    AUTHOR = factories.MembershipFactory(organization=organization, role="admin").user
    partner = factories.OrganizationFactory()
    waiting = factories.OrganizationFactory()
    partner_admin = factories.MembershipFactory(organization=partner, role="admin").user
    post = services.create_post(
        by=AUTHOR,
        organization=organization,
        areas=[factories.AreaFactory(slug="html-check-area")],
        data={
            "kind": "call_for_partners",
            "title": "Poslovni forum",
            "body": "Tražimo **partnere**.",
            "country": "BA",
            "city": "Mostar",
            "contact_email": "forum@example.org",
        },
    )
    interest = services.express_interest(
        post=post, organization=partner, by=partner_admin, message="Da"
    )
    services.accept_interest(interest=interest, by=AUTHOR)
    services.express_interest(post=post, organization=waiting, by=partner_admin, message="I mi")
    services.pin_post(post=post, by=None)
    FocalPoint.objects.create(user=factories.UserFactory(), municipality="Općina Jajce")
    return {"post": post.pk}


AUTHOR = None
STAFF_CLIENTS: list[Client] = []


def _client_for(kind: str | None) -> Client:
    client = Client()
    if kind == "user":
        client.force_login(factories.UserFactory())
    elif kind == "author":
        client.force_login(AUTHOR)
    elif kind == "registrant":
        # A registration at its review step.
        from tests.onboarding.conftest import BASICS, CONSENT, CONTACTS

        client.force_login(factories.UserFactory())
        for step, data in [
            ("basics", BASICS),
            ("contacts", CONTACTS),
            ("areas", {}),
            ("consent", CONSENT),
        ]:
            client.post(reverse("onboarding:step", kwargs={"step": step}), {**data, "go": "next"})
    elif kind == "staff":
        # The real login with password and TOTP code, so the session holds both factors; one
        # session for every staff page (the login is rate-limited per address).
        if STAFF_CLIENTS:
            return STAFF_CLIENTS[0]
        STAFF_CLIENTS.append(client)
        staff = factories.StaffUserFactory()
        secret = factories.activate_totp(staff)
        client.post(
            reverse("account_login"), {"login": staff.email, "password": factories.PASSWORD}
        )
        client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(secret)})
    return client


IMPORT_FILES = {
    # one good row, one with a bad kind and address: the dry run's report with its problems
    "CSV": (
        b"key,name,kind,country,city,email\n"
        b"ambasada-oslo,Ambasada BiH u Oslu,embassy,NO,Oslo,oslo@example.ba\n"
        b"x,Ambasada X,palace,DE,Berlin,not-an-address\n"
    ),
    "NOT-UTF8": "name,kind,country,city\nŽepče,embassy,DE,Köln\n".encode("cp1250"),
}


def _files(post: dict) -> dict:
    """Form data with the named CSV uploads in place of their names."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        name: SimpleUploadedFile("i.csv", IMPORT_FILES[value], content_type="text/csv")
        if name == "file"
        else value
        for name, value in post.items()
    }


def render(page: Page, ids: dict) -> str:
    client = _client_for(page.user)
    url = page.url.format(**ids) if page.url.startswith("/") else reverse(page.url)
    response = client.post(url, _files(page.post)) if page.post else client.get(url)
    assert response.status_code == page.status, f"{page.name}: {response.status_code}"
    return response.content.decode()


@pytest.mark.django_db
def test_pages_are_valid_html(html_checker, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # a code made just before a 30 s boundary still counts
    STAFF_CLIENTS.clear()
    ids = _meetings()
    pages = {page.name: render(page, ids) for page in PAGES}
    # A known-invalid page in the same run proves the checker reports what it finds.
    canary = pages["home"].replace("<body", '<body hx-headers="{}"', 1)
    assert canary != pages["home"]

    errors = html_checker({**pages, "canary": canary})

    canary_errors = [error for error in errors if error.startswith("canary, ")]
    assert any("hx-headers" in error for error in canary_errors), errors
    page_errors = [error for error in errors if not error.startswith("canary, ")]
    assert page_errors == [], "The Nu HTML checker found errors:\n" + "\n".join(page_errors)
