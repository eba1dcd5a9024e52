"""Community channels: who sees the join links, staff keep them, members tick "we joined"."""

import pytest
from django.test import Client

from onboarding.models import ChecklistItem
from tests import factories
from workspace.channels.models import Channel

pytestmark = pytest.mark.django_db

JOIN_URL = "https://chat.whatsapp.com/TajniPozivNjemacka"


@pytest.fixture
def channel():
    return Channel.objects.create(
        name="BiH dijaspora Njemačka",
        kind="whatsapp",
        audience="country",
        country="DE",
        description="Zajednica **udruženja** <script>alert(1)</script>",
        join_url=JOIN_URL,
    )


def _client_of(membership=None, user=None):
    client = Client()
    client.force_login(user or membership.user)
    return client


def _page(client):
    response = client.get("/workspace/channels/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_see_the_channel_and_how_to_join_but_not_the_link(client, channel):
    content = _page(client)
    assert "BiH dijaspora Njemačka" in content
    assert JOIN_URL not in content
    assert 'href="/onboarding/"' in content


@pytest.mark.parametrize("who", ["user without organization", "member of a pending organization"])
def test_others_than_members_of_approved_organizations_do_not_see_the_link(channel, who):
    if who == "user without organization":
        client = _client_of(user=factories.UserFactory())
    else:
        pending = factories.OrganizationFactory(status="pending", approved_at=None)
        client = _client_of(factories.MembershipFactory(organization=pending, role="admin"))
    content = _page(client)
    assert "BiH dijaspora Njemačka" in content
    assert JOIN_URL not in content


@pytest.mark.parametrize("role", ["member", "admin"])
def test_members_of_approved_organizations_see_the_join_link(channel, role):
    content = _page(_client_of(factories.MembershipFactory(role=role)))
    assert f'href="{JOIN_URL}"' in content


def test_staff_see_the_join_link(channel, staff_client):
    assert f'href="{JOIN_URL}"' in _page(staff_client)


def test_the_channel_description_is_sanitized_markdown(client, channel):
    content = _page(client)
    assert "<strong>udruženja</strong>" in content
    assert "<script>alert(1)" not in content


def test_channels_are_grouped_for_everyone_then_by_country_and_area(client, channel):
    area = factories.AreaFactory(slug="mladi", names={"bs": "Mladi", "en": "Youth"})
    Channel.objects.create(
        name="Lista", kind="mailing_list", audience="everyone", join_url="https://l.example/"
    )
    Channel.objects.create(
        name="Signal mladih", kind="signal", audience="area", area=area, join_url="https://s.ex/"
    )
    content = _page(client)
    assert content.index("Za sve") < content.index("Njemačka") < content.index(">Mladi<")
    assert content.index("Lista") < content.index("BiH dijaspora") < content.index("Signal")


def test_the_channels_page_runs_a_fixed_number_of_queries(channel, django_assert_num_queries):
    client = _client_of(factories.MembershipFactory(role="member"))
    _page(client)  # the first request of a session records it (allauth's user sessions)
    # the session with the user and its staff flag for the navigation; memberships in
    # approved organizations, checklist ticks, channels
    with django_assert_num_queries(4):
        _page(client)
    areas = [factories.AreaFactory() for _ in range(3)]
    for number in range(12):
        Channel.objects.create(
            name=f"Kanal {number}",
            kind="viber",
            audience="area",
            area=areas[number % 3],
            join_url=f"https://viber.example/{number}",
        )
    with django_assert_num_queries(4):
        content = _page(client)
    assert content.count("https://viber.example/") == 12


def test_a_member_marks_that_the_organization_joined(channel):
    membership = factories.MembershipFactory(role="member")
    client = _client_of(membership)
    organization = membership.organization

    response = client.post(f"/workspace/channels/joined/{organization.slug}/")

    assert response.status_code == 302
    assert ChecklistItem.objects.filter(organization=organization, key="community").exists()
    content = _page(client)
    assert f"/workspace/channels/joined/{organization.slug}/" not in content


def test_an_outsider_cannot_mark_another_organization_as_joined(channel):
    organization = factories.OrganizationFactory()
    client = _client_of(user=factories.UserFactory())
    response = client.post(f"/workspace/channels/joined/{organization.slug}/")
    assert response.status_code == 403
    assert not ChecklistItem.objects.exists()


def test_the_checklist_item_leads_to_the_channels_page():
    membership = factories.MembershipFactory(role="member")
    client = _client_of(membership)
    response = client.get(f"/onboarding/checklist/{membership.organization.slug}/")
    assert 'href="/workspace/channels/"' in response.content.decode()


# --- Staff keep the channels --------------------------------------------------------------


def test_staff_add_edit_and_remove_a_channel(staff_client):
    response = staff_client.post(
        "/staff/workspace/channels/new/",
        {
            "name": "Portal dijaspore",
            "kind": "mailing_list",
            "audience": "everyone",
            "country": "DE",  # ignored for everyone
            "join_url": "https://lists.example.org/portal",
            "position": "0",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.country == ""

    response = staff_client.post(
        f"/staff/workspace/channels/{channel.pk}/",
        {
            "name": "Portal dijaspore",
            "kind": "mailing_list",
            "audience": "country",
            "country": "AT",
            "join_url": "https://lists.example.org/austrija",
            "position": "1",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.country.code, channel.join_url) == ("AT", "https://lists.example.org/austrija")
    assert "Portal dijaspore" in staff_client.get("/staff/workspace/channels/").content.decode()

    response = staff_client.post(f"/staff/workspace/channels/{channel.pk}/delete/")
    assert response.status_code == 302
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"join_url": "not a link"}, "join_url"),
        ({"join_url": "ftp://files.example.org/grupa"}, "join_url"),
        ({"audience": "country", "country": ""}, "country"),
        ({"audience": "area"}, "area"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_channel_input_is_refused_next_to_the_field(staff_client, data, field):
    valid = {
        "name": "Kanal",
        "kind": "signal",
        "audience": "everyone",
        "join_url": "https://signal.group/#abc",
        "position": "0",
    }
    response = staff_client.post("/staff/workspace/channels/new/", {**valid, **data})
    assert response.status_code == 422
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert content.count(f'<a href="#id_{field}">') == 1  # one message, for that field
    assert not Channel.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "organization admin"])
def test_only_staff_reach_the_channel_staff_pages(client, channel, who):
    if who == "organization admin":
        client.force_login(factories.MembershipFactory(role="admin").user)
    for method, url in [
        ("get", "/staff/workspace/channels/"),
        ("get", "/staff/workspace/channels/new/"),
        ("post", f"/staff/workspace/channels/{channel.pk}/delete/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403), url
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
    assert Channel.objects.filter(pk=channel.pk).exists()


def test_the_staff_onboarding_page_points_to_the_channels_instead_of_one_link(staff_client):
    content = staff_client.get("/staff/onboarding/").content.decode()
    assert 'href="/workspace/channels/"' in content
    assert "/staff/onboarding/community-link/" not in content
