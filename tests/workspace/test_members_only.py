""" "Members only" on the noticeboard means people of approved organizations and ministry staff,
not any account that signed up a minute ago: on the board, the post page, its files and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from workspace import services
from workspace.models import Post

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def members_post(author_org, author_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Plan projekta.pdf", PDF, "application/pdf")
    upload.checked_extension, upload.checked_content_type = ".pdf", "application/pdf"
    return services.create_post(
        by=author_admin,
        organization=author_org,
        data={
            "kind": Post.Kind.CALL_FOR_PARTNERS,
            "title": "Samo za članove mreže",
            "body": "Interni poziv.",
            "visibility": Post.Visibility.MEMBERS,
        },
        files=[upload],
    )


def _fresh_account():
    return factories.UserFactory()


def _member_of_a_pending_organization():
    organization = factories.OrganizationFactory(status="pending", approved_at=None)
    return factories.MembershipFactory(organization=organization, role="admin").user


def _member_of_an_approved_organization():
    return factories.MembershipFactory(organization=factories.OrganizationFactory()).user


@pytest.mark.parametrize("who", [_fresh_account, _member_of_a_pending_organization])
def test_members_only_post_is_hidden_from_accounts_without_an_approved_organization(
    client, members_post, who
):
    client.force_login(who())
    attachment = members_post.attachments.get()

    board = client.get("/workspace/").content.decode()
    page = client.get(members_post.get_absolute_url())
    file = client.get(attachment.get_absolute_url())
    api = client.get("/api/v1/posts/")

    assert "Samo za članove mreže" not in board
    assert page.status_code in (403, 404)
    assert "Interni poziv" not in page.content.decode()
    assert file.status_code == 404
    assert "Samo za članove mreže" not in api.content.decode()
    assert client.get(f"/api/v1/posts/{members_post.pk}/").status_code == 404


def test_members_only_post_is_shown_to_people_of_approved_organizations(client, members_post):
    client.force_login(_member_of_an_approved_organization())

    board = client.get("/workspace/").content.decode()
    page = client.get(members_post.get_absolute_url())
    file = client.get(members_post.attachments.get().get_absolute_url())

    assert "Samo za članove mreže" in board
    assert page.status_code == 200 and "Interni poziv" in page.content.decode()
    assert file.status_code == 200
