"""The roster's pages are valid HTML for the W3C Nu checker, in Bosnian and in English."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from workspace.models import Post

from .conftest import make_expert

pytestmark = pytest.mark.django_db


def _staff_client() -> Client:
    client = Client()
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    client.post("/accounts/login/", {"login": staff.email, "password": factories.PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": factories.totp_code(secret)})
    return client


def test_the_roster_pages_are_valid_html_in_both_languages(html_checker, fields, settings_):
    expert = make_expert(fields=fields, visibility="members", bio="Prvi red.\nDrugi red.")
    factories.MeetingFactory(title="Check-in")
    Post.objects.create(kind=Post.Kind.HOMELAND_CALL, title="Telemedicina", body="Poziv.")
    person = Client()
    person.force_login(expert.user)
    newcomer = Client()
    newcomer.force_login(factories.UserFactory())
    member = Client()
    member.force_login(
        factories.MembershipFactory(organization=factories.OrganizationFactory()).user
    )
    outsider = Client()
    outsider.force_login(factories.UserFactory())
    staff = _staff_client()
    contact = f"/experts/{expert.pk}/contact/"
    requests = [
        ("own listing, new", newcomer, "get", "/experts/me/", None, 200),
        ("own listing, with errors", newcomer, "post", "/experts/me/", {"headline": ""}, 422),
        ("own listing, listed", person, "get", "/experts/me/", None, 200),
        ("delete listing", person, "get", "/experts/me/delete/", None, 200),
        ("roster for a member", member, "get", "/experts/", None, 200),
        ("roster refused", outsider, "get", "/experts/", None, 403),
        ("contact form", member, "get", contact, None, 200),
        ("contact form with errors", member, "post", contact, {"message": ""}, 422),
        ("staff roster", staff, "get", "/staff/experts/?country=AT", None, 200),
        ("staff roster bad filter", staff, "get", "/staff/experts/?country=XX", None, 422),
        ("staff expert", staff, "get", f"/staff/experts/{expert.pk}/", None, 200),
        (
            "staff expert, bad homeland call",
            staff,
            "post",
            f"/staff/experts/{expert.pk}/invite/homeland-call/",
            {"homeland-call-choice": "0"},
            422,
        ),
        ("staff fields", staff, "get", "/staff/experts/fields/", None, 200),
        ("staff new field", staff, "get", "/staff/experts/fields/new/", None, 200),
    ]
    pages = {}
    for language in ("bs", "en"):
        for name, client, method, path, data, status in requests:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = getattr(client, method)(path, data or {})
            assert response.status_code == status, (name, language, response.status_code)
            html = response.content.decode()
            assert f'<html lang="{language}"' in html, (name, language)
            pages[f"{name} ({language})"] = html

    errors = html_checker(pages)

    assert errors == [], "The Nu HTML checker found errors:\n" + "\n".join(errors)


@pytest.fixture
def settings_(settings):
    settings.MFA_TOTP_TOLERANCE = 1
    return settings
