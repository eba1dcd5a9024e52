"""The checklist after approval and the onboarding guides."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onboarding import checklist, providers
from onboarding.demo import ensure_demo_guides
from onboarding.models import ChecklistItem, Guide
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client():
    client = Client()
    membership = factories.MembershipFactory(role="member")
    client.force_login(membership.user)
    client.organization = membership.organization
    return client


def test_members_see_the_checklist_with_the_community_page_and_the_workspace_guide(member_client):
    ensure_demo_guides()
    organization = member_client.organization
    response = member_client.get(f"/onboarding/checklist/{organization.slug}/")
    content = response.content.decode()
    assert response.status_code == 200
    # the item leads to the page of community channels the workspace registered
    assert 'href="/workspace/channels/"' in content
    guide = Guide.objects.get(topic="workspace", language="bs")
    assert guide.get_absolute_url() in content


def test_without_a_registered_community_page_the_item_leads_nowhere(member_client, monkeypatch):
    monkeypatch.setattr(providers, "_community_pages", [])
    organization = member_client.organization
    content = member_client.get(f"/onboarding/checklist/{organization.slug}/").content.decode()
    assert 'href="/workspace/channels/"' not in content


def test_a_member_ticks_an_item_and_staff_see_the_progress(member_client, staff_client):
    organization = member_client.organization
    response = member_client.post(f"/onboarding/checklist/{organization.slug}/community/")
    assert response.status_code == 302
    assert ChecklistItem.objects.filter(organization=organization, key="community").exists()

    response = staff_client.get(f"/staff/organizations/{organization.pk}/")
    assert "završeno 1 od 4" in response.content.decode()


def test_the_checkin_item_is_not_ticked_by_members(member_client):
    organization = member_client.organization
    response = member_client.post(f"/onboarding/checklist/{organization.slug}/checkin/")
    assert response.status_code == 404
    assert not ChecklistItem.objects.exists()


def test_mark_done_lets_another_app_tick_an_item_once(member_client):
    organization = member_client.organization
    first = checklist.mark_done(organization=organization, key="checkin")
    again = checklist.mark_done(organization=organization, key="checkin")
    assert first.pk == again.pk
    assert checklist.progress(organization) == (1, 4)


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_others_do_not_see_an_organizations_checklist(client, role):
    organization = factories.OrganizationFactory()
    if role == "outsider":
        client.force_login(factories.UserFactory())
    response = client.get(f"/onboarding/checklist/{organization.slug}/")
    assert response.status_code in (302, 403)
    response = client.post(f"/onboarding/checklist/{organization.slug}/guide/")
    assert not ChecklistItem.objects.exists()


def test_the_checklist_panel_is_on_the_organizations_page(member_client):
    organization = member_client.organization
    response = member_client.get(f"/organizations/{organization.slug}/manage/")
    assert f"/onboarding/checklist/{organization.slug}/" in response.content.decode()
    assert "/onboarding/invitations/" not in response.content.decode()


def test_admins_find_the_invitations_page_on_the_organizations_page():
    client = Client()
    membership = factories.MembershipFactory(role="admin")
    client.force_login(membership.user)
    response = client.get(f"/organizations/{membership.organization.slug}/manage/")
    assert "/onboarding/invitations/" in response.content.decode()


def test_help_page_lists_published_guides_in_the_visitors_language(client):
    ensure_demo_guides()
    Guide.objects.create(title="Skica", body="x", language="bs", is_published=False)
    response = client.get("/onboarding/help/")
    content = response.content.decode()
    assert "Vodič kroz Portal dijaspore" in content
    assert "Zajednica na WhatsAppu" in content
    assert "Skica" not in content
    assert 'lang="en"' in content  # the English guides, marked as such


def test_an_unpublished_guide_is_hidden_from_visitors(client):
    guide = Guide.objects.create(title="Skica", body="x", language="bs", is_published=False)
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_guide_markdown_is_sanitized(client):
    guide = Guide.objects.create(
        title="Vodič",
        body="**Važno** <script>alert(1)</script> [link](javascript:alert(1))",
        is_published=True,
    )
    content = client.get(guide.get_absolute_url()).content.decode()
    assert "<strong>Važno</strong>" in content
    assert "<script>alert(1)" not in content
    assert 'href="javascript' not in content


def test_staff_add_a_guide_with_a_pdf(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("upute.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    response = staff_client.post(
        "/staff/onboarding/guides/new/",
        {
            "title": "Upute",
            "topic": "other",
            "language": "bs",
            "body": "Tekst",
            "position": "3",
            "is_published": "on",
            "attachment": pdf,
        },
    )
    assert response.status_code == 302
    guide = Guide.objects.get()
    assert guide.attachment.name.endswith(".pdf")
    assert "upute" not in guide.attachment.name


@pytest.mark.parametrize(
    ("name", "content"),
    [("virus.pdf", b"MZ\x90\x00 not a pdf"), ("page.html", b"<html>"), ("fake.png", b"%PDF-1")],
)
def test_staff_cannot_attach_a_file_of_another_type(
    staff_client, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    response = staff_client.post(
        "/staff/onboarding/guides/new/",
        {
            "title": "Upute",
            "topic": "other",
            "language": "bs",
            "body": "Tekst",
            "position": "0",
            "attachment": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 422
    assert 'id="id_attachment_error"' in response.content.decode()
    assert not Guide.objects.exists()


def test_staff_cannot_attach_a_file_over_the_limit(staff_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ONBOARDING_GUIDE_MAX_BYTES = 10
    response = staff_client.post(
        "/staff/onboarding/guides/new/",
        {
            "title": "Upute",
            "topic": "other",
            "language": "bs",
            "body": "Tekst",
            "position": "0",
            "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"x" * 20),
        },
    )
    assert response.status_code == 422


def test_guides_pages_are_for_staff_only(client):
    client.force_login(factories.UserFactory())
    assert client.get("/staff/onboarding/guides/").status_code == 403
    assert Client().get("/staff/onboarding/guides/new/").status_code == 302


def test_demo_guides_are_idempotent():
    ensure_demo_guides()
    ensure_demo_guides()
    assert Guide.objects.filter(is_published=True).count() == 4
    assert set(Guide.objects.values_list("language", flat=True)) == {"bs", "en"}
