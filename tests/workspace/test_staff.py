"""Staff moderate posts (logged, shown to the author), approve focal points, export the pipeline."""

import csv
import io

import pytest
from django.urls import reverse

from tests import factories
from workspace import personal_data, services
from workspace.models import FocalPoint, ModerationEntry, Post

pytestmark = pytest.mark.django_db


def test_staff_hide_a_post_with_a_reason_that_is_logged_and_shown_to_the_author(
    staff_client, staff_user_with_mfa, post, author_admin, client
):
    from mail.models import OutgoingEmail

    response = staff_client.post(
        reverse("staff_workspace:hide", kwargs={"pk": post.pk}), {"reason": "Nedostaje rok."}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    entry = ModerationEntry.objects.get(post=post)
    assert (entry.action, entry.by, entry.reason) == ("hide", staff_user_with_mfa, "Nedostaje rok.")
    [email] = OutgoingEmail.objects.filter(to=author_admin.email)
    assert "Nedostaje rok." in email.body_text
    staff_client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404
    client.force_login(author_admin)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'id="hidden-notice"' in page and "Nedostaje rok." in page


def test_hiding_without_a_reason_is_refused_next_to_the_field(staff_client, post):
    response = staff_client.post(reverse("staff_workspace:hide", kwargs={"pk": post.pk}), {})

    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_pinned_post_comes_first_and_the_pin_is_logged(staff_client, post_factory, client):
    older = post_factory(title="Starija", published_at="2026-01-01T10:00Z")
    post_factory(title="Novija")

    staff_client.post(reverse("staff_workspace:pin", kwargs={"pk": older.pk}))

    html = client.get("/workspace/").content.decode()
    assert html.index("Starija") < html.index("Novija")
    assert ModerationEntry.objects.filter(post=older, action="pin").exists()


@pytest.mark.parametrize("role", ["user", "admin"])
def test_moderation_is_for_staff_only(client, as_role, post, role):
    as_role(role)

    response = client.post(reverse("staff_workspace:hide", kwargs={"pk": post.pk}), {"reason": "x"})

    assert response.status_code == 403
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED


def test_staff_approve_a_focal_point_who_can_then_post_homeland_calls(
    staff_client, staff_user_with_mfa, user
):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.post(
        reverse("workspace:focal_point"), {"municipality": "Općina Jajce", "position": "Referent"}
    )
    point = FocalPoint.objects.get(user=user)
    assert point.status == "pending"
    assert client.get(reverse("workspace:new")).status_code == 403

    staff_client.post(reverse("staff_workspace:focal_point_approve", kwargs={"pk": point.pk}))

    point.refresh_from_db()
    assert point.status == "approved"
    page = client.get(reverse("workspace:new")).content.decode()
    assert 'value="homeland_call"' in page and 'value="project_idea"' not in page


def test_focal_point_application_needs_a_municipality(client, user):
    client.force_login(user)

    response = client.post(reverse("workspace:focal_point"), {"municipality": ""})

    assert response.status_code == 422
    assert 'id="id_municipality_error"' in response.content.decode()


def test_pipeline_export_lists_projects_with_partners_and_neutralizes_formulas(
    staff_client, post_factory, other_org
):
    post = post_factory(kind="project_idea", title='=HYPERLINK("http://zlo.example")')
    post.interests.create(organization=other_org, message="Da", status="accepted")
    post_factory(kind="news", title="Vijest")

    response = staff_client.get(reverse("staff_workspace:export"))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert len(rows) == 2  # header and the project; news is not in the pipeline
    assert rows[1][0].startswith("'=HYPERLINK")
    assert other_org.name in rows[1]
    # and the export is in the audit log, under the staff member's name
    from core.models import AuditEntry

    entry = AuditEntry.objects.get(action="csv_export")
    assert entry.actor is not None and entry.path.startswith("/staff/workspace/")


def test_pipeline_page_shows_stage_and_partners(staff_client, post_factory, other_org):
    post = post_factory(kind="project_idea", title="Ljetna škola", stage="in_progress")
    post.interests.create(organization=other_org, message="Da", status="accepted")

    page = staff_client.get(reverse("staff_workspace:pipeline")).content.decode()

    assert "Ljetna škola" in page and other_org.name in page


def test_personal_data_export_and_erasure_keep_the_organizations_post(
    post_factory, author_org, author_admin, other_admin, other_org
):
    post = post_factory(
        organization=author_org,
        author=author_admin,
        contact_email=author_admin.email,
        contact_name="Amela",
    )
    services.express_interest(post=post, organization=other_org, by=other_admin, message="Da")
    FocalPoint.objects.create(user=author_admin, municipality="Općina Zenica")

    exported = personal_data.export_user(author_admin)
    import json

    json.dumps(exported)
    assert exported["posts"][0]["title"] == post.title
    assert personal_data.export_user(other_admin)["interests"][0]["message"] == "Da"

    personal_data.erase_user(author_admin)
    personal_data.erase_user(other_admin)

    post.refresh_from_db()
    assert post.author is None and post.contact_email == "" and post.organization == author_org
    assert post.interests.get().sent_by is None
    assert not FocalPoint.objects.filter(user=author_admin).exists()
    assert factories.UserFactory  # the users themselves are the privacy app's to delete
