"""Every staff view of private contact data is in the audit log: the page, its htmx fragment
and the page shown again with a form's errors."""

import pytest

from core.models import AuditEntry
from tests import factories
from workspace.models import FocalPoint, Interest, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    organization = factories.OrganizationFactory(name="Udruženje Sevdah Beč")
    factories.ContactFactory(organization=organization, email="selma@privatno.example")
    meeting = factories.MeetingFactory()
    applicant = factories.UserFactory(email="opcina@privatno.example")
    point = FocalPoint.objects.create(user=applicant, municipality="Općina Zenica")
    post = Post.objects.create(
        kind=Post.Kind.CALL_FOR_PARTNERS,
        organization=factories.OrganizationFactory(),
        title="Ljetna škola",
        body="Tražimo partnere.",
        country="BA",
    )
    sender = factories.UserFactory(email="posiljalac@privatno.example")
    Interest.objects.create(post=post, organization=organization, message="Rado", sent_by=sender)
    return {"organization": organization, "meeting": meeting, "point": point, "post": post}


def _requests(world):
    o, m, p, post = world["organization"], world["meeting"], world["point"], world["post"]
    htmx = {"HX-Request": "true"}
    return [
        # (method, path, data, headers, an address the response shows)
        ("get", f"/staff/organizations/{o.pk}/edit/", None, htmx, "selma@privatno.example"),
        ("get", f"/staff/meetings/{m.pk}/", None, {}, None),
        ("post", f"/staff/meetings/{m.pk}/liaisons/", {"email": "x"}, {}, None),
        ("post", "/staff/onboarding/", {"email": "not-an-address"}, {}, None),
        (
            "post",
            f"/staff/workspace/focal-points/{p.pk}/reject/",
            {},
            {},
            "opcina@privatno.example",
        ),
        ("get", f"/workspace/posts/{post.pk}/", None, {}, "posiljalac@privatno.example"),
    ]


def test_every_staff_rendering_of_private_contact_data_is_logged(
    staff_client, staff_user_with_mfa, world
):
    missing = []
    for method, path, data, headers, shown in _requests(world):
        AuditEntry.objects.all().delete()
        response = getattr(staff_client, method)(path, data or {}, headers=headers)
        assert response.status_code in (200, 422), (path, response.status_code)
        if shown:
            assert shown in response.content.decode(), path
        entries = AuditEntry.objects.filter(
            actor=staff_user_with_mfa, action=AuditEntry.Action.VIEW_CONTACTS
        )
        if not entries.exists():
            missing.append(f"{method.upper()} {path}")
    assert missing == []
