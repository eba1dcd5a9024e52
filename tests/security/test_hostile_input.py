"""Hostile input on every public form and query parameter: never a 500, nothing shown unescaped,
no private field in any public page, feed or API answer.

The forms are read from the rendered pages (every field a browser would send), so fields added
later are filled with the payloads too.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from organizations.models import Organization
from tests import factories
from tests.support.urls import routes

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = {
    "script": f'"><img src=x onerror=alert(1)>{SCRIPT}',
    "sql": "' OR '1'='1'; DROP TABLE organizations_organization; --",
    "null byte": "Džemat\x00Tuzla",
    "very long": "Ž" * 100_000,
    "right-to-left and combining": "\u202egnp.exe\u202c Z\u0301\u0308\u0327emat \u200f",
    "invalid date": "2026-02-31T25:61",
    "csv formula": '=HYPERLINK("http://evil.example","klik")',
}
QUERY_PARAMETERS = ["q", "country", "area", "city", "page", "year", "series", "kind", "format"]
# Public pages that read query parameters (the list pages of the resolver's public routes).
PARAMETER_PAGES = [
    "/",
    "/organizations/",
    "/meetings/",
    "/meetings/calendar.ics",
    "/onboarding/help/",
    "/api/v1/organizations/",
    "/api/v1/meetings/",
]
PRIVATE = {
    "contact e-mail": "tajna.osoba@private.example",
    "contact phone": "+49 30 7654321",
    "staff notes": "Interna bilješka: provjeriti dokumente",
    "members-only channel": "https://chat.whatsapp.com/samo-clanovi",
}

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """Collect each <form>'s method, action and fields with their default values."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action")}
            self._form["fields"] = {}
            self._form["text"], self._form["files"] = [], []
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"][a["name"]] = a.get("value", "on")
            elif kind == "file":
                self._form["files"].append(a["name"])
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"][a["name"]] = a.get("value", "")
                if kind in ("text", "search", "email", "url", "tel", "date", "datetime-local"):
                    self._form["text"].append(a["name"])
        elif tag == "textarea":
            self._form["fields"][a["name"]] = ""
            self._form["text"].append(a["name"])
        elif tag == "select":
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select and ("selected" in a):
            self._form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def world():
    organization = factories.OrganizationFactory(
        slug="udruzenje-test", staff_notes=PRIVATE["staff notes"]
    )
    factories.ContactFactory(
        organization=organization, email=PRIVATE["contact e-mail"], phone=PRIVATE["contact phone"]
    )
    factories.ChannelFactory(
        organization=organization, value=PRIVATE["members-only channel"], visibility="members"
    )
    admin = factories.MembershipFactory(organization=organization, role="admin").user
    factories.MeetingFactory(slug="sastanak-test")
    return organization, admin


def _public_answers(client, organization) -> dict[str, str]:
    """Every public page, feed and API answer about the organization, by path."""
    paths = [
        "/",
        "/organizations/",
        f"/organizations/{organization.slug}/",
        "/organizations/?q=tajna",
        "/organizations/?q=private.example",
        "/meetings/",
        "/meetings/calendar.ics",
        "/api/v1/organizations/",
        f"/api/v1/organizations/{organization.slug}/",
        "/api/v1/organizations/?q=tajna",
        "/api/v1/meetings/",
    ]
    return {path: client.get(path) for path in paths}


def _html(response) -> str:
    """The body if a browser would render it as HTML (JSON and calendars are data, sent with
    nosniff)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    return response.content.decode(errors="replace")


def test_the_sweep_reads_query_parameters_of_every_public_list_page():
    names = {r.name for r in routes()}
    assert {"organizations:directory", "meetings:index", "meetings:feed"} <= names


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_query_parameters_never_answer_500_or_echo_unescaped(client, world, payload):
    for path in PARAMETER_PAGES:
        for parameter in QUERY_PARAMETERS:
            response = client.get(path, {parameter: payload})

            assert response.status_code < 500, (path, parameter)
            assert SCRIPT not in _html(response), (path, parameter)


def _sweep_forms(client, pages, payload) -> list[str]:
    """Submit every form on ``pages`` with ``payload`` in each text field; return the paths."""
    submitted = []
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for form in _forms(response.content.decode()):
            if form["method"] != "post" or not form["text"]:
                continue
            data = dict(form["fields"])
            data.update({name: payload for name in form["text"]})
            action = form["action"] or page
            answer = client.post(action, data)
            assert answer.status_code < 500, (action, answer.status_code)
            assert SCRIPT not in _html(answer), action
            submitted.append(action)
    return submitted


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_hostile_input_in_every_form_is_refused_or_stored_and_shown_escaped(world, payload):
    organization, admin = world
    visitor, user, admin_client = Client(), Client(), Client()
    user.force_login(factories.UserFactory())
    admin_client.force_login(admin)

    submitted = _sweep_forms(visitor, ["/accounts/signup/", "/accounts/password/reset/"], payload)
    submitted += _sweep_forms(user, ["/onboarding/basics/"], payload)
    submitted += _sweep_forms(
        admin_client,
        [
            f"/organizations/{organization.slug}/manage/edit/",
            f"/organizations/{organization.slug}/manage/members/",
            "/onboarding/invitations/",
        ],
        payload,
    )

    assert len(submitted) >= 5, submitted
    for path, response in _public_answers(Client(), organization).items():
        assert SCRIPT not in _html(response), path
        assert "\x00" not in response.content.decode(), path


def test_no_private_field_reaches_any_public_page_feed_or_api_answer(world):
    organization, _admin = world
    member = factories.MembershipFactory(organization=organization, role="member").user
    visitors = {"anonymous": Client(), "member of another": Client()}
    visitors["member of another"].force_login(factories.MembershipFactory().user)

    for who, client in visitors.items():
        for path, response in _public_answers(client, organization).items():
            body = response.content.decode()
            for field, value in PRIVATE.items():
                assert value not in body, f"{field} on {path} for {who}"
    assert member.pk  # the organization's own people are tested in tests/organizations


def _image(name: str, content: bytes, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "upload",
    [
        _image("logo.png", b"<html><script>alert(1)</script></html>"),
        _image("logo.png", b"GIF89a" + b"\x00" * 64),
        _image("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        _image("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (12 * 1024 * 1024)),
    ],
    ids=["html named png", "truncated gif", "svg with script", "12 MB"],
)
def test_fake_and_huge_logos_are_refused_with_a_message(client, world, upload):
    organization, admin = world
    client.force_login(admin)
    page = client.get(f"/organizations/{organization.slug}/manage/edit/")
    [form] = [f for f in _forms(page.content.decode()) if f["files"]]
    data = dict(form["fields"], **{form["files"][0]: upload})

    response = client.post(form["action"] or page.wsgi_request.path, data)

    assert response.status_code == 422
    organization.refresh_from_db()
    assert not organization.logo
    assert Organization.objects.get(pk=organization.pk).logo.name == ""
