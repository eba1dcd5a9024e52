"""The public profile: who may see it, what each role sees, Markdown, fixed queries."""

import pytest
from django.utils import timezone, translation

from core.markdown import markdown_to_text, render_markdown
from tests import factories
from tests.organizations.conftest import ROLES

pytestmark = pytest.mark.django_db

SECRETS = ["Private Person", "private@hidden.example", "+49 30 9999999", "STAFF-ONLY", "REASON"]


def profile_with_everything():
    organization = factories.OrganizationFactory(
        name="Džemat Đakovo",
        staff_notes="STAFF-ONLY note about them",
        status_reason="REASON for an earlier decision",
        description="## Ko smo\n\nOkupljamo **porodice** iz BiH.",
    )
    factories.ContactFactory(
        organization=organization,
        name="Private Person",
        email="private@hidden.example",
        phone="+49 30 9999999",
    )
    factories.ContactFactory(
        organization=organization,
        name="Public Person",
        email="public@contact.example",
        is_public=True,
    )
    factories.ChannelFactory(organization=organization, value="https://public.example/group")
    factories.ChannelFactory(
        organization=organization, value="https://members.example/group", visibility="members"
    )
    return organization


@pytest.mark.parametrize("role", ROLES)
def test_approved_profile_is_public_for_every_role(client, login_as, role):
    organization = profile_with_everything()
    login_as(role, organization)

    response = client.get(organization.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Džemat Đakovo" in html
    assert "Public Person" in html
    assert "public@contact.example" in html
    assert "https://public.example/group" in html


@pytest.mark.parametrize("role", ["anonymous", "user", "member", "other_admin", "staff"])
def test_private_contacts_and_staff_notes_are_never_in_the_html_but_for_admins(
    client, login_as, role
):
    organization = profile_with_everything()
    login_as(role, organization)

    html = client.get(organization.get_absolute_url()).content.decode()

    for secret in SECRETS:
        assert secret not in html


def test_admins_see_their_private_contacts_marked_as_not_public(client, login_as):
    organization = profile_with_everything()
    login_as("admin", organization)

    html = client.get(organization.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Private Person" in html
    assert "private@hidden.example" in html
    assert "Not public: only your admins and the ministry see this" in html
    assert "STAFF-ONLY" not in html


@pytest.mark.parametrize(
    ("role", "sees_members_channel"),
    [
        ("anonymous", False),
        ("user", False),
        ("other_admin", False),
        ("staff", False),
        ("member", True),
        ("admin", True),
    ],
)
def test_members_only_channels_show_only_to_the_organizations_people(
    client, login_as, role, sees_members_channel
):
    organization = profile_with_everything()
    login_as(role, organization)

    html = client.get(organization.get_absolute_url()).content.decode()

    assert ("https://members.example/group" in html) is sees_members_channel


def test_members_only_channels_stay_hidden_from_people_of_other_approved_organizations(client):
    organization = profile_with_everything()
    elsewhere = factories.MembershipFactory(organization__status="approved").user
    client.force_login(elsewhere)

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "https://members.example/group" not in html


def test_members_only_channels_show_to_a_staff_session(staff_client):
    organization = profile_with_everything()

    html = staff_client.get(organization.get_absolute_url()).content.decode()

    assert "https://members.example/group" in html


def test_members_only_channel_label_names_who_sees_it():
    from organizations.models import CommunicationChannel

    with translation.override("en"):
        label = str(CommunicationChannel.Visibility.MEMBERS.label)
    assert "this organization" in label
    assert "staff" in label


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 404),
        ("user", 404),
        ("other_admin", 404),
        ("staff", 404),
        ("member", 200),
        ("admin", 200),
    ],
)
def test_unlisted_profile_is_a_404_except_for_its_own_people(
    client, login_as, status, role, expected
):
    organization = factories.OrganizationFactory(status=status)
    login_as(role, organization)

    response = client.get(organization.get_absolute_url())

    assert response.status_code == expected


def test_own_unlisted_profile_shows_a_status_banner_with_the_reason_for_admins(client, login_as):
    organization = factories.OrganizationFactory(
        status="rejected", status_reason="Missing registration papers"
    )
    login_as("admin", organization)

    html = client.get(organization.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "This profile is not public." in html
    assert "Rejected" in html
    assert "Missing registration papers" in html


def test_members_see_the_banner_without_the_reason(client, login_as):
    organization = factories.OrganizationFactory(
        status="rejected", status_reason="Missing registration papers"
    )
    login_as("member", organization)

    html = client.get(organization.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "This profile is not public." in html
    assert "Missing registration papers" not in html


def test_unknown_slug_is_a_404(client):
    assert client.get("/organizations/no-such-organization/").status_code == 404


def test_profile_shows_verified_badge_with_date_last_confirmed_and_dormant_mark(client):
    organization = factories.OrganizationFactory(
        verified_at=timezone.datetime(2026, 3, 5, 12, tzinfo=timezone.get_current_timezone()),
        last_confirmed_at=timezone.datetime(
            2025, 1, 20, 12, tzinfo=timezone.get_current_timezone()
        ),
        dormant_since=timezone.now(),
    )

    html = client.get(organization.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "badge--verified" in html
    assert "documents on 5 March 2026" in html
    assert "badge--dormant" in html
    assert "Last confirmed current: 20 January 2025" in html


def test_profile_dates_are_written_the_bosnian_way(client):
    organization = factories.OrganizationFactory(
        verified_at=timezone.datetime(2026, 8, 5, 12, tzinfo=timezone.get_current_timezone()),
    )

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "5. august 2026." in html


def test_profile_without_badges_has_neither(client):
    organization = factories.OrganizationFactory()

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "badge--verified" not in html
    assert "badge--dormant" not in html


def test_description_is_rendered_from_markdown(client):
    organization = profile_with_everything()

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "<h4>Ko smo</h4>" in html
    assert "<strong>porodice</strong>" in html


def test_script_in_name_and_description_is_shown_inert(client):
    organization = factories.OrganizationFactory(
        name="<script>alert('name')</script>",
        description=(
            "<script>alert('d')</script>\n\n[klik](javascript:alert(1))\n\n"
            '<a href="https://x.example" onclick="alert(2)">x</a>'
        ),
    )

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "<script>alert(" not in html
    assert 'href="javascript:' not in html
    assert '<a href="https://x.example" onclick' not in html
    assert "&lt;script&gt;alert(" in html


def test_areas_link_to_the_filtered_directory(client):
    area = factories.AreaFactory(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    organization = factories.OrganizationFactory(areas=[area])

    html = client.get(organization.get_absolute_url()).content.decode()

    assert 'href="/organizations/?area=kultura">Kultura</a>' in html


@pytest.mark.parametrize("count", [1, 30])
def test_profile_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    organization = factories.OrganizationFactory(
        areas=[factories.AreaFactory() for _ in range(count)]
    )
    for _ in range(count):
        factories.ChannelFactory(organization=organization)
        factories.ContactFactory(organization=organization, is_public=True)

    # the organization, its areas, channels and contacts, the action items it is responsible for,
    # the BiH institutions covering its country
    with django_assert_num_queries(6):
        response = client.get(organization.get_absolute_url())
    assert response.status_code == 200


def test_profile_for_a_member_adds_only_the_role_lookup(client, django_assert_num_queries):
    organization = factories.OrganizationFactory()
    member = factories.MembershipFactory(organization=organization, role="member").user
    client.force_login(member)
    client.get(organization.get_absolute_url())

    # the session with the user and its staff flag for the navigation (the session's last-seen
    # row was written by the request before, at most once a minute); then the organization,
    # the member's role, areas, channels, contacts, action items, institutions
    with django_assert_num_queries(8):
        client.get(organization.get_absolute_url())


# --- The Markdown module -----------------------------------------------------------------


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("**a** *b*\n\n- c\n\n[d](https://example.org)")

    assert "<strong>a</strong>" in html
    assert "<em>b</em>" in html
    assert "<li>c</li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">d</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src="x" onerror="alert(1)">',
        "<iframe src='https://evil.example'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_markdown_drops_active_content(text):
    html = render_markdown(text)

    for active in ["<script", "<img", "<iframe", 'href="javascript:', 'href="data:']:
        assert active not in html


def test_markdown_headings_move_below_the_page_heading():
    assert render_markdown("# Title").strip() == "<h3>Title</h3>"


def test_markdown_text_is_the_plain_words_for_excerpts():
    text = "# Ko smo\n\nOkupljamo **porodice**\niz [BiH](https://x.example).\n\n- <b>sport</b>"

    assert markdown_to_text(text) == "Ko smo Okupljamo porodice iz BiH. <b>sport</b>"
