"""The copy includes the notes and messages a person wrote; erasure blanks them by author."""

import pytest

from privacy import services
from tests import factories
from workspace.models import Interest, Post, StageChange

pytestmark = pytest.mark.django_db

MESSAGE = "Rado bismo sudjelovali, javite se Amri na +49 151 1234567."
NOTE = "Partner nađen preko Amre iz Berlina."


@pytest.fixture
def writer(db):
    """A person who sent interest in a post and noted a change of its stage."""
    person = factories.UserFactory(email="amra@example.org", full_name="Amra Kovačević")
    organization = factories.OrganizationFactory()
    factories.MembershipFactory(user=person, organization=organization, role="admin")
    post = Post.objects.create(
        kind=Post.Kind.PROJECT_IDEA,
        organization=organization,
        author=person,
        title="Ljetna škola",
        body="Ideja.",
        country="BA",
    )
    other_org = factories.OrganizationFactory()
    other_post = Post.objects.create(
        kind=Post.Kind.CALL_FOR_PARTNERS, organization=other_org, title="Poziv", body="Tražimo."
    )
    interest = Interest.objects.create(
        post=other_post, organization=organization, message=MESSAGE, sent_by=person
    )
    stage = StageChange.objects.create(post=post, stage="in_progress", note=NOTE, changed_by=person)
    others = StageChange.objects.create(
        post=post, stage="done", note="Bilješka nekog drugog.", changed_by=None
    )
    return {"person": person, "interest": interest, "stage": stage, "others": others}


def test_the_copy_includes_interest_messages_and_stage_notes(writer):
    copy = services.build_user_export(writer["person"])

    workspace = copy["sections"]["workspace"]
    assert [i["message"] for i in workspace["interests"]] == [MESSAGE]
    assert [s["note"] for s in workspace["stage_notes"]] == [NOTE]


def test_erasure_blanks_the_persons_interest_messages_and_stage_notes(writer):
    person = writer["person"]

    services.erase_user(request=None, user=person, by=person)

    writer["interest"].refresh_from_db()
    writer["stage"].refresh_from_db()
    writer["others"].refresh_from_db()
    assert writer["interest"].message == ""
    assert writer["stage"].note == ""
    assert writer["others"].note == "Bilješka nekog drugog."
