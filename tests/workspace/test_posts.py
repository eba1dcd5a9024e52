"""Writing, editing and seeing a post, per role; files; Markdown; contact details."""

import pytest
from django.urls import reverse

from tests import factories
from workspace import services
from workspace.models import Attachment, Post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(**extra):
    data = {
        "kind": "call_for_partners",
        "title": "Poslovni forum dijaspore",
        "body": "Tražimo partnere.",
        "country": "BA",
        "city": "Mostar",
        "language": "bs",
        "visibility": "public",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("user", 403), ("member", 403), ("focal_point", 200), ("admin", 200)],
)
def test_only_admins_of_approved_organizations_focal_points_and_staff_may_post(
    client, as_role, author_org, role, status
):
    as_role(role)

    assert client.get(reverse("workspace:new")).status_code == status


def test_admin_of_a_pending_organization_may_not_post(client):
    admin = factories.MembershipFactory(role="admin", organization__status="pending").user
    client.force_login(admin)

    assert client.get(reverse("workspace:new")).status_code == 403


def test_organization_admin_publishes_a_post_for_the_organization(client, author_admin, author_org):
    client.force_login(author_admin)

    response = client.post(reverse("workspace:new"), _form())

    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.organization == author_org and post.author == author_admin
    assert post.stage == Post.Stage.OPEN
    assert list(post.stage_changes.values_list("stage", flat=True)) == ["open"]


def test_organization_admin_may_not_post_a_homeland_call(client, author_admin):
    client.force_login(author_admin)

    response = client.post(reverse("workspace:new"), _form(kind="homeland_call"))

    assert response.status_code == 422
    assert 'id="id_kind_error"' in response.content.decode()
    assert not Post.objects.exists()


def test_focal_point_posts_a_call_for_investors_in_the_name_of_the_municipality(client, focal_user):
    client.force_login(focal_user)

    response = client.post(
        reverse("workspace:new"), _form(kind="homeland_call", seeking="investors", organization="")
    )

    assert response.status_code == 302
    post = Post.objects.get()
    assert post.organization is None and post.municipality == "Općina Zenica"
    assert post.byline == "Općina Zenica"


def test_missing_title_is_reported_next_to_the_field(client, author_admin):
    client.force_login(author_admin)

    response = client.post(reverse("workspace:new"), _form(title=""))

    assert response.status_code == 422
    assert 'id="id_title_error"' in response.content.decode()


def test_posting_is_rate_limited(client, author_admin, settings):
    settings.WORKSPACE_POSTS_PER_HOUR = 2
    client.force_login(author_admin)
    for number in range(2):
        assert (
            client.post(reverse("workspace:new"), _form(title=f"Post {number}")).status_code == 302
        )

    response = client.post(reverse("workspace:new"), _form(title="Jedan previše"))

    assert response.status_code == 429
    assert "Try again later" in response.content.decode() or "kasnije" in response.content.decode()
    assert Post.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF, PNG or JPEG"),
        ("skripta.exe", PDF, "is not a PDF, PNG or JPEG"),
        ("veliki.pdf", PDF + b"0" * 2048, "is too large"),
    ],
    ids=["html-as-pdf", "wrong-extension", "too-large"],
)
def test_bad_attachment_is_rejected_with_a_message_next_to_the_field(
    client, author_admin, settings, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    settings.WORKSPACE_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(author_admin)
    upload = SimpleUploadedFile(name, content, "application/pdf")

    with translation.override("en"):
        response = client.post(
            reverse("workspace:new"), {**_form(), "attachments": upload}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_attachments_error"' in html
    assert message in html.replace("&quot;", '"')
    assert not Post.objects.exists()


def test_attachment_is_stored_privately_and_served_only_to_those_who_see_the_post(
    client, author_admin, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(author_admin)
    upload = SimpleUploadedFile("Plan projekta.pdf", PDF, "application/pdf")
    client.post(reverse("workspace:new"), {**_form(visibility="members"), "attachments": upload})
    attachment = Attachment.objects.get()
    url = attachment.get_absolute_url()

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]

    client.logout()
    assert client.get(url).status_code == 404  # a members-only post
    assert client.get(f"/media/private/{attachment.file.name}").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("user", 403),
        ("member", 403),
        ("other_admin", 403),
        ("focal_point", 403),
        ("admin", 200),
        ("staff", 200),
    ],
)
def test_only_the_author_organization_and_staff_edit_a_post(client, as_role, post, role, status):
    as_role(role)

    assert client.get(reverse("workspace:edit", kwargs={"pk": post.pk})).status_code == status


def test_other_organizations_admin_cannot_change_a_post_by_posting(client, other_admin, post):
    client.force_login(other_admin)

    response = client.post(reverse("workspace:edit", kwargs={"pk": post.pk}), _form(title="Moje"))

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title != "Moje"


def test_contact_details_are_shown_to_members_of_approved_organizations_only(
    client, user, other_admin, post
):
    url = post.get_absolute_url()

    public = client.get(url).content.decode()
    client.force_login(user)
    fresh_account = client.get(url).content.decode()
    client.force_login(other_admin)
    member = client.get(url).content.decode()

    assert post.contact_email not in public and post.contact_phone not in public
    assert post.contact_email not in fresh_account and post.contact_phone not in fresh_account
    assert post.contact_email in member


def test_members_only_post_sends_visitors_to_log_in(client, post_factory):
    post = post_factory(visibility=Post.Visibility.MEMBERS)

    response = client.get(post.get_absolute_url())

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_markdown_is_sanitized_on_the_page_and_in_the_api(client, post_factory):
    post = post_factory(
        body='<script>alert("x")</script> [klik](javascript:alert(1)) **jako**',
        eligibility="<img src=x onerror=alert(1)>",
        kind="grant_call",
    )

    page = client.get(post.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/posts/{post.pk}/").json()

    for html in (page, api["body_html"], api["eligibility_html"]):
        assert "<script>alert" not in html
        assert 'href="javascript:' not in html
        assert "<img" not in html
    assert "<strong>jako</strong>" in api["body_html"]


def test_api_lists_public_posts_without_contact_details(client, post_factory):
    public = post_factory(title="Javno")
    post_factory(title="Članovi", visibility=Post.Visibility.MEMBERS)
    post_factory(title="Sakriveno", status=Post.Status.HIDDEN)

    response = client.get("/api/v1/posts/")

    data = response.json()
    assert [row["title"] for row in data["results"]] == ["Javno"]
    text = response.content.decode()
    assert public.contact_email not in text and public.contact_phone not in text
    assert data["results"][0]["contact"] is None
    hidden = Post.objects.get(title="Sakriveno")
    assert client.get(f"/api/v1/posts/{hidden.pk}/").status_code == 404


def test_posts_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/v1/posts/" in schema


def test_service_keeps_stage_history_and_public_follow_up(post, author_admin):
    services.change_stage(post=post, by=author_admin, stage="in_progress", note="Počelo")
    services.change_stage(post=post, by=author_admin, stage="done", follow_up="Škola održana.")

    post.refresh_from_db()
    assert list(post.stage_changes.values_list("stage", flat=True)) == [
        "in_progress",
        "done",
    ]
    assert post.follow_up == "Škola održana."


def test_setting_the_same_stage_again_is_refused_next_to_the_field(client, author_admin, post):
    client.force_login(author_admin)

    response = client.post(reverse("workspace:stage", kwargs={"pk": post.pk}), {"stage": "open"})

    assert response.status_code == 422
    assert 'id="id_stage_error"' in response.content.decode()
