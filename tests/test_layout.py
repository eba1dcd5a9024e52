"""The site header and footer are kept per process for each kind of visitor (site_header and
site_footer in diaspora_portal/templatetags/portal.py): nobody's page shows another's."""

import re

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

LOGOUT_FORM = 'action="/accounts/logout/"'


def _member_client(**kwargs):
    client = Client(**kwargs)
    client.force_login(factories.MembershipFactory(role="member").user)
    return client


def test_the_staff_link_never_reaches_a_member_after_staff_were_served(staff_client):
    assert 'href="/staff/"' in staff_client.get("/").content.decode()

    member_page = _member_client().get("/").content.decode()

    assert 'href="/staff/"' not in member_page
    assert 'href="/staff/"' in staff_client.get("/").content.decode()


def test_a_signed_in_header_never_reaches_an_anonymous_visitor(client):
    assert LOGOUT_FORM in _member_client().get("/").content.decode()

    page = client.get("/").content.decode()

    assert LOGOUT_FORM not in page
    assert "csrfmiddlewaretoken" not in page
    assert 'href="/accounts/login/"' in page


def test_each_signed_in_page_carries_its_own_working_csrf_token():
    people = [_member_client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for client in people:
        page = client.get("/").content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))

    assert "slot" not in tokens[0] and tokens[0] != tokens[1]
    for client, token in zip(people, tokens, strict=True):
        response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert LOGOUT_FORM not in client.get("/").content.decode()


def test_the_language_switch_returns_each_visitor_to_their_own_page_escaped(client):
    client.get("/organizations/?q=a")

    page = client.get('/organizations/?q="><b>').content.decode()

    assert 'name="next" value="/organizations/?q=%22%3E%3Cb%3E"' in page


def test_the_current_section_is_marked_on_each_page(client):
    meetings = client.get("/meetings/").content.decode()
    directory = client.get("/organizations/").content.decode()

    assert '<a href="/meetings/" aria-current="page">' in meetings
    assert '<a href="/organizations/" aria-current="page">' in directory
    assert '<a href="/meetings/" aria-current="page">' not in directory


def test_header_and_footer_follow_the_visitors_language(client):
    bosnian = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()

    assert "Odjava" not in bosnian and "Prijava" in bosnian and "Privacy notice" not in bosnian
    assert "Log in" in english and "Privacy notice" in english
