"""Staff powers on the noticeboard belong to a staff session that passed the second factor.

A staff account whose session logged in with the password alone (no authenticator yet, an
authenticator added but not used in this session, a superuser from ``createsuperuser``) gets what
any signed-in user gets: it edits, closes, reads hidden posts, answers interests and posts as the
ministry only after the second factor.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests import factories
from workspace import services
from workspace.channels.models import Channel
from workspace.models import Interest, Post

pytestmark = pytest.mark.django_db

PASSWORD_ONLY_STAFF = ["staff without authenticator", "staff password-only session", "superuser"]
JOIN_URL = "https://chat.whatsapp.com/TajnaGrupaSvedska"


def password_only_staff_client(kind: str) -> Client:
    """A client of a staff account whose session has not passed a second factor."""
    if kind == "superuser":
        # As from createsuperuser: no group, no address row, no authenticator.
        user = factories.UserFactory(is_superuser=True, is_staff=True)
        EmailAddress.objects.filter(user=user).delete()
    else:
        user = factories.StaffUserFactory()
        if kind == "staff password-only session":
            factories.activate_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(params=PASSWORD_ONLY_STAFF)
def password_only_client(request):
    return password_only_staff_client(request.param)


@pytest.fixture
def interest(post, other_org, other_admin):
    return Interest.objects.create(
        post=post, organization=other_org, sent_by=other_admin, message="Rado bismo pomogli."
    )


def _form(**extra):
    return {
        "kind": "call_for_partners",
        "title": "Poziv ministarstva",
        "body": "Tražimo partnere.",
        "country": "BA",
        "city": "Sarajevo",
        "language": "bs",
        "visibility": "public",
        "organization": "",
        **extra,
    }


# --- Editing and closing another organization's post ------------------------------------------


def test_password_only_staff_session_cannot_edit_another_organizations_post(
    password_only_client, post
):
    url = reverse("workspace:edit", kwargs={"pk": post.pk})

    assert password_only_client.get(url).status_code == 403
    response = password_only_client.post(url, _form(title="Promijenjeno"))

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title != "Promijenjeno"


def test_staff_session_with_second_factor_edits_another_organizations_post(staff_client, post):
    url = reverse("workspace:edit", kwargs={"pk": post.pk})

    response = staff_client.post(url, _form(title="Promijenjeno"))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Promijenjeno"


def test_password_only_staff_session_cannot_close_another_organizations_post(
    password_only_client, post
):
    response = password_only_client.post(reverse("workspace:close", kwargs={"pk": post.pk}))

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.closed_at is None


def test_staff_session_with_second_factor_closes_another_organizations_post(staff_client, post):
    staff_client.post(reverse("workspace:close", kwargs={"pk": post.pk}))

    post.refresh_from_db()
    assert post.closed_at is not None


def test_post_page_offers_no_manage_or_moderation_forms_to_a_password_only_staff_session(
    password_only_client, staff_client, post
):
    url = post.get_absolute_url()

    page = password_only_client.get(url).content.decode()
    staff_page = staff_client.get(url).content.decode()

    assert 'id="manage-title"' in staff_page and 'action="/staff/' in staff_page
    assert 'id="manage-title"' not in page and 'action="/staff/' not in page


# --- Hidden posts -----------------------------------------------------------------------------


@pytest.fixture
def hidden_post(post_factory, author_org):
    return post_factory(
        organization=author_org, title="Sakrivena objava", status="hidden", hidden_reason="Spam"
    )


def test_password_only_staff_session_cannot_read_a_hidden_post(password_only_client, hidden_post):
    response = password_only_client.get(hidden_post.get_absolute_url())
    board = password_only_client.get(reverse("workspace:board")).content.decode()

    assert response.status_code == 404
    assert "Sakrivena objava" not in board


def test_staff_session_with_second_factor_reads_a_hidden_post(staff_client, hidden_post):
    response = staff_client.get(hidden_post.get_absolute_url())
    board = staff_client.get(reverse("workspace:board")).content.decode()

    assert response.status_code == 200
    assert "Sakrivena objava" in board


# --- Partners and the interest list -----------------------------------------------------------


def test_password_only_staff_session_cannot_accept_a_partner(password_only_client, post, interest):
    url = reverse("workspace:interest_accept", kwargs={"pk": post.pk, "interest_pk": interest.pk})

    response = password_only_client.post(url)

    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.status == Interest.Status.PENDING


def test_staff_session_with_second_factor_accepts_a_partner(staff_client, post, interest):
    url = reverse("workspace:interest_accept", kwargs={"pk": post.pk, "interest_pk": interest.pk})

    staff_client.post(url)

    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED


def test_password_only_staff_session_does_not_see_the_interest_list_or_senders_addresses(
    password_only_client, staff_client, post, interest, other_admin
):
    page = password_only_client.get(post.get_absolute_url()).content.decode()
    staff_page = staff_client.get(post.get_absolute_url()).content.decode()

    assert 'id="interests"' in staff_page and other_admin.email in staff_page
    assert 'id="interests"' not in page
    assert other_admin.email not in page
    assert "Rado bismo pomogli." not in page


# --- Posting as the ministry ------------------------------------------------------------------


def test_password_only_staff_session_cannot_post_as_the_ministry(password_only_client):
    response = password_only_client.post(reverse("workspace:new"), _form())

    assert response.status_code == 403
    assert not Post.objects.exists()


def test_password_only_staff_admin_of_an_organization_is_not_offered_the_ministry(
    author_org, client
):
    staff = factories.StaffUserFactory()
    factories.MembershipFactory(organization=author_org, user=staff, role="admin")
    factories.MembershipFactory(
        organization=factories.OrganizationFactory(), user=staff, role="admin"
    )
    client.force_login(staff)

    form = client.get(reverse("workspace:new")).content.decode()
    response = client.post(reverse("workspace:new"), _form())

    assert 'value=""' not in form.split('name="organization"', 1)[1].split("</select>", 1)[0]
    assert response.status_code == 422
    assert not Post.objects.exists()


def test_service_refuses_a_post_without_organization_unless_the_view_says_ministry(staff_user):
    data = {"kind": "call_for_partners", "title": "Poziv", "body": "Tekst", "country": "BA"}

    with pytest.raises(ValidationError) as refused:
        services.create_post(by=staff_user, organization=None, data=data)

    assert "organization" in refused.value.message_dict
    assert not Post.objects.exists()
    post = services.create_post(by=staff_user, organization=None, data=data, as_ministry=True)
    assert post.organization is None and post.municipality == ""


def test_staff_session_with_second_factor_posts_as_the_ministry(staff_client):
    response = staff_client.post(reverse("workspace:new"), _form())

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.organization is None and post.municipality == ""


# --- Community channels -----------------------------------------------------------------------


@pytest.fixture
def channel():
    return Channel.objects.create(
        name="BiH dijaspora Švedska",
        kind="whatsapp",
        audience="country",
        country="SE",
        join_url=JOIN_URL,
    )


def test_password_only_staff_session_does_not_see_channel_join_links(password_only_client, channel):
    content = password_only_client.get(reverse("workspace:channels")).content.decode()

    assert "BiH dijaspora Švedska" in content
    assert JOIN_URL not in content


def test_staff_session_with_second_factor_sees_channel_join_links(staff_client, channel):
    content = staff_client.get(reverse("workspace:channels")).content.decode()

    assert f'href="{JOIN_URL}"' in content
