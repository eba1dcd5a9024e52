"""The posts API never shows more than the post's page shows the same visitor: every field the
API gives an anonymous visitor is on the page they see, and the contact details follow the
page's rule (access.post_contact) in both."""

from html import unescape

import pytest

from tests import factories
from tests.workspace.conftest import PostFactory
from workspace.models import Interest, Post

pytestmark = pytest.mark.django_db

# Codes, ids, flags, dates and links: the page shows them in another form (a label, a date).
STRUCTURAL = {
    "id",
    "kind",
    "country",
    "language",
    "seeking",
    "stage",
    "deadline",
    "is_pinned",
    "is_open",
    "closed_at",
    "published_at",
    "updated_at",
    "url",
    "body",  # the Markdown source: body_html is what the page shows
}
TEXT = {
    "title",
    "municipality",
    "byline",
    "body_html",
    "country_name",
    "city",
    "eligibility_html",
    "how_to_apply_html",
    "results_html",
    "follow_up",
}
NESTED = {"organization", "areas", "partners"}
CONTACT = {"contact"}


@pytest.fixture
def full_post(author_org):
    post = PostFactory(
        organization=author_org,
        kind=Post.Kind.CALL_FOR_PARTNERS,
        title="Ljetna škola u Sarajevu",
        body="Tražimo **partnere** za ljetnu školu.",
        eligibility="Udruženja iz *dijaspore*.",
        how_to_apply="Pišite nam kroz portal.",
        follow_up="Još nije završeno, ali bilješka postoji.",
        contact_name="Amela Hodžić",
        contact_email="amela@privatno.example",
        contact_phone="+387 61 123 456",
        city="Sarajevo",
        areas=[factories.AreaFactory(slug="obrazovanje")],
    )
    Interest.objects.create(
        post=post,
        organization=factories.OrganizationFactory(name="KUD Kapija Beč"),
        message="Da",
        status=Interest.Status.ACCEPTED,
    )
    return post


def _values(value):
    """The texts of a field's value that the page must show."""
    if isinstance(value, dict):
        return [v for k, v in value.items() if isinstance(v, str) and k != "slug"]
    if isinstance(value, list):
        return [text for item in value for text in _values(item)]
    return [value] if isinstance(value, str) and value else []


def test_the_api_shows_an_anonymous_visitor_nothing_the_post_page_does_not(client, full_post):
    api = client.get(f"/api/v1/posts/{full_post.pk}/").json()
    page = unescape(client.get(full_post.get_absolute_url()).content.decode())

    # every field is classified here, so a new one has to be thought about
    assert set(api) == STRUCTURAL | TEXT | NESTED | CONTACT
    for field in sorted(TEXT | NESTED):
        for text in _values(api[field]):
            assert unescape(text) in page, f"{field} shows {text!r}, the page does not"
    assert api["contact"] is None
    for private in ("amela@privatno.example", "+387 61 123 456", "Amela Hodžić"):
        assert private not in page
        assert private not in str(api)


def test_the_api_and_the_page_show_a_member_the_same_contact_details(client, full_post):
    client.force_login(factories.MembershipFactory().user)

    api = client.get(f"/api/v1/posts/{full_post.pk}/").json()
    page = unescape(client.get(full_post.get_absolute_url()).content.decode())

    assert api["contact"] == {
        "name": "Amela Hodžić",
        "email": "amela@privatno.example",
        "phone": "+387 61 123 456",
    }
    for text in api["contact"].values():
        assert text in page
