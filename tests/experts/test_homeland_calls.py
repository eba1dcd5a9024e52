"""Staff invite an expert on the roster to a homeland call from the expert's page: once, only to
public calls still open, the expert's address going to nobody but the expert, and the
invitation in the expert's copy of their data and gone with their erasure."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from privacy import services as privacy
from workspace.models import ExpertInvitation, Post

from .conftest import EXPERT_EMAIL

pytestmark = pytest.mark.django_db


def _call(**overrides) -> Post:
    data = {
        "kind": Post.Kind.HOMELAND_CALL,
        "organization": None,
        "municipality": "Općina Zavidovići",
        "title": "Telemedicina za ambulante u Zavidovićima",
        "body": "Tražimo ljekare iz dijaspore za savjete o telemedicini.",
        "country": "BA",
        "city": "Zavidovići",
        "contact_email": "opcina@zavidovici.example",
    } | overrides
    return Post.objects.create(**data)


def _invite(client, expert, post):
    url = reverse("staff_experts:invite_to", args=[expert.pk, "homeland-call"])
    return client.post(url, {"homeland-call-choice": post.pk})


def test_staff_invite_an_expert_to_a_homeland_call_once(staff_client, staff_user_with_mfa, expert):
    call = _call()

    first = _invite(staff_client, expert, call)
    second = _invite(staff_client, expert, call)

    assert first.status_code == second.status_code == 302
    assert ExpertInvitation.objects.filter(expert=expert, post=call).count() == 1
    email = OutgoingEmail.objects.get(to=EXPERT_EMAIL)
    assert email.template == "workspace/emails/expert_invitation"
    assert call.title in email.subject
    assert f"/workspace/posts/{call.pk}/" in email.body_text
    assert "Općina Zavidovići" in email.body_text
    # The expert's answer goes to the staff member who invited them.
    assert email.headers == {"Reply-To": staff_user_with_mfa.email}
    # The expert's page lists the call it was invited to.
    page = staff_client.get(reverse("staff_experts:detail", args=[expert.pk])).content.decode()
    assert f'href="/workspace/posts/{call.pk}/"' in page


@pytest.mark.parametrize(
    "overrides",
    [
        {"visibility": Post.Visibility.MEMBERS},
        {"status": Post.Status.HIDDEN},
        {"closed_at": timezone.now()},
        {"kind": Post.Kind.CALL_FOR_PARTNERS},
    ],
    ids=["members-only", "hidden", "closed", "not-a-homeland-call"],
)
def test_only_public_open_homeland_calls_can_be_chosen(staff_client, expert, overrides):
    call = _call(**overrides)

    response = _invite(staff_client, expert, call)

    assert response.status_code == 422
    assert "still open" in response.content.decode() or "otvoren" in response.content.decode()
    assert not ExpertInvitation.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_unknown_kind_of_invitation_is_not_found(staff_client, expert):
    url = reverse("staff_experts:invite_to", args=[expert.pk, "lottery"])

    assert staff_client.post(url, {"lottery-choice": 1}).status_code == 404


def test_the_experts_page_offers_the_open_calls(staff_client, expert):
    open_call = _call(title="Vodovod u Goraždu")
    _call(title="Zatvoreni poziv", closed_at=timezone.now())

    page = staff_client.get(reverse("staff_experts:detail", args=[expert.pk])).content.decode()

    assert f'<option value="{open_call.pk}">Vodovod u Goraždu</option>' in page
    assert "Zatvoreni poziv" not in page


def test_the_invitation_is_in_the_experts_copy_and_goes_with_erasure(staff_client, expert):
    call = _call()
    _invite(staff_client, expert, call)

    copy = privacy.build_user_export(expert.user)
    invitations = copy["sections"]["workspace"]["homeland_call_invitations_as_expert"]
    assert [row["post_id"] for row in invitations] == [call.pk]

    privacy.erase_user(request=None, user=expert.user, by=expert.user)

    assert not ExpertInvitation.objects.exists()
    assert Post.objects.filter(pk=call.pk).exists()


def test_erasing_the_inviting_staff_member_removes_their_address_from_the_email(
    staff_client, staff_user_with_mfa, expert
):
    _invite(staff_client, expert, _call())
    other = OutgoingEmail.objects.create(
        to="neko@example.org", subject="s", body_text="b", headers={"Reply-To": "x@example.org"}
    )

    privacy.erase_user(request=None, user=staff_user_with_mfa, by=staff_user_with_mfa)

    invitation_email = OutgoingEmail.objects.get(to=EXPERT_EMAIL)
    assert "Reply-To" not in invitation_email.headers
    assert staff_user_with_mfa.email not in str(invitation_email.headers)
    other.refresh_from_db()
    assert other.headers == {"Reply-To": "x@example.org"}
    assert ExpertInvitation.objects.get().invited_by is None
