from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from organizations import services
from organizations.models import MemberInvitation, Membership, Organization
from tests import factories

pytestmark = pytest.mark.django_db


def manage_urls(organization, membership):
    slug = organization.slug
    admin_get = [
        reverse("organizations:manage_edit", kwargs={"slug": slug}),
        reverse("organizations:manage_members", kwargs={"slug": slug}),
    ]
    admin_post = [
        reverse("organizations:manage_edit", kwargs={"slug": slug}),
        reverse("organizations:manage_confirm", kwargs={"slug": slug}),
        reverse("organizations:manage_invite", kwargs={"slug": slug}),
        reverse("organizations:manage_member_role", kwargs={"slug": slug, "pk": membership.pk}),
        reverse("organizations:manage_member_remove", kwargs={"slug": slug, "pk": membership.pk}),
    ]
    return admin_get, admin_post


def test_anonymous_visitor_is_sent_to_log_in_from_every_manage_url(
    role_client, organization, org_member
):
    client = role_client("anonymous")
    membership = Membership.objects.get(user=org_member)
    admin_get, admin_post = manage_urls(organization, membership)
    home = reverse("organizations:manage", kwargs={"slug": organization.slug})
    for url in [home, *admin_get]:
        assert client.get(url)["Location"].startswith(reverse("account_login")), url
    for url in admin_post:
        assert client.post(url)["Location"].startswith(reverse("account_login")), url
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("role", ["user", "member", "other_admin", "staff"])
def test_only_the_organizations_admins_reach_its_admin_pages(
    role_client, organization, org_member, role
):
    client = role_client(role)
    membership = Membership.objects.get(user=org_member)
    admin_get, admin_post = manage_urls(organization, membership)
    for url in admin_get:
        assert client.get(url).status_code == 403, url
    for url in admin_post:
        response = client.post(url, {"email": "x@example.org", "role": "admin", "name": "X"})
        assert response.status_code == 403, url
    membership.refresh_from_db()
    assert membership.role == "member"
    assert not MemberInvitation.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("user", 403), ("other_admin", 403)])
def test_non_members_cannot_see_the_members_page(role_client, organization, role, status):
    client = role_client(role)

    response = client.get(reverse("organizations:manage", kwargs={"slug": organization.slug}))

    assert response.status_code == status


def test_members_see_members_only_channels_but_not_private_contacts(role_client, organization):
    factories.ChannelFactory(
        organization=organization, value="https://chat.example/members", visibility="members"
    )
    factories.ContactFactory(organization=organization, email="private@contact.example")
    client = role_client("member")

    body = client.get(
        reverse("organizations:manage", kwargs={"slug": organization.slug})
    ).content.decode()

    assert "https://chat.example/members" in body
    assert "private@contact.example" not in body
    assert reverse("organizations:manage_edit", kwargs={"slug": organization.slug}) not in body


def test_admins_see_private_contacts_and_the_confirm_button(role_client, organization):
    factories.ContactFactory(organization=organization, email="private@contact.example")
    client = role_client("admin")

    body = client.get(
        reverse("organizations:manage", kwargs={"slug": organization.slug})
    ).content.decode()

    assert "private@contact.example" in body
    assert reverse("organizations:manage_confirm", kwargs={"slug": organization.slug}) in body


def test_admin_confirms_the_profile_is_current(role_client, organization):
    organization.last_confirmed_at = timezone.now() - timedelta(days=500)
    organization.nudges_sent = 1
    organization.save()
    client = role_client("admin")

    client.post(reverse("organizations:manage_confirm", kwargs={"slug": organization.slug}))

    organization.refresh_from_db()
    assert organization.last_confirmed_at > timezone.now() - timedelta(minutes=1)
    assert organization.nudges_sent == 0


def profile_data(organization, **overrides):
    data = {
        "name": organization.name,
        "kind": organization.kind,
        "country": organization.country.code,
        "city": organization.city,
        "preferred_language": "bs",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_edits_the_profile_but_never_status_notes_or_slug(role_client, organization):
    client = role_client("admin")
    url = reverse("organizations:manage_edit", kwargs={"slug": organization.slug})

    response = client.post(
        url,
        profile_data(
            organization,
            city="Malmö",
            status="approved",
            staff_notes="hacked",
            slug="new-slug",
            **{
                "channels-TOTAL_FORMS": "1",
                "channels-0-kind": "signal",
                "channels-0-value": "@udruzenje",
                "channels-0-visibility": "public",
            },
        ),
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.city == "Malmö"
    assert organization.status == "pending"
    assert organization.staff_notes == ""
    assert organization.slug != "new-slug"
    assert organization.channels.get().value == "@udruzenje"
    assert organization.history.first().history_user.memberships.get().role == "admin"


def test_admin_edit_with_bad_phone_is_a_field_error(role_client, organization):
    client = role_client("admin")
    url = reverse("organizations:manage_edit", kwargs={"slug": organization.slug})
    data = profile_data(
        organization,
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "Amra",
            "contacts-0-phone": "not a phone",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 422
    assert 'id="id_contacts-0-phone_error"' in response.content.decode()


def test_admin_removes_a_channel(role_client, organization):
    channel = factories.ChannelFactory(organization=organization)
    client = role_client("admin")
    url = reverse("organizations:manage_edit", kwargs={"slug": organization.slug})
    data = profile_data(
        organization,
        **{
            "channels-TOTAL_FORMS": "1",
            "channels-INITIAL_FORMS": "1",
            "channels-0-id": str(channel.pk),
            "channels-0-kind": channel.kind,
            "channels-0-value": channel.value,
            "channels-0-visibility": channel.visibility,
            "channels-0-DELETE": "on",
        },
    )

    assert client.post(url, data).status_code == 302
    assert not organization.channels.exists()


def test_admin_cannot_edit_another_organizations_channel_through_the_formset(
    role_client, organization
):
    foreign = factories.ChannelFactory(value="https://foreign.example")
    client = role_client("admin")
    url = reverse("organizations:manage_edit", kwargs={"slug": organization.slug})
    data = profile_data(
        organization,
        **{
            "channels-TOTAL_FORMS": "1",
            "channels-INITIAL_FORMS": "1",
            "channels-0-id": str(foreign.pk),
            "channels-0-kind": "other",
            "channels-0-value": "https://taken-over.example",
            "channels-0-visibility": "public",
        },
    )

    client.post(url, data)

    foreign.refresh_from_db()
    assert foreign.value == "https://foreign.example"


# --- Members ----------------------------------------------------------------------------------


def test_admin_changes_a_members_role(role_client, organization, org_member):
    client = role_client("admin")
    membership = Membership.objects.get(user=org_member)

    client.post(
        reverse(
            "organizations:manage_member_role",
            kwargs={"slug": organization.slug, "pk": membership.pk},
        ),
        {"role": "admin"},
    )

    membership.refresh_from_db()
    assert membership.role == "admin"


def test_the_last_admin_can_be_neither_demoted_nor_removed(role_client, organization, org_admin):
    client = role_client("admin")
    membership = Membership.objects.get(user=org_admin)
    kwargs = {"slug": organization.slug, "pk": membership.pk}

    client.post(reverse("organizations:manage_member_role", kwargs=kwargs), {"role": "member"})
    response = client.post(reverse("organizations:manage_member_remove", kwargs=kwargs))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_removes_a_member(role_client, organization, org_member):
    client = role_client("admin")
    membership = Membership.objects.get(user=org_member)

    client.post(
        reverse(
            "organizations:manage_member_remove",
            kwargs={"slug": organization.slug, "pk": membership.pk},
        )
    )

    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_admin_cannot_touch_a_member_of_another_organization(role_client, organization):
    foreign = factories.MembershipFactory(role="member")
    client = role_client("admin")
    kwargs = {"slug": organization.slug, "pk": foreign.pk}

    assert (
        client.post(reverse("organizations:manage_member_remove", kwargs=kwargs)).status_code == 404
    )
    assert (
        client.post(
            reverse("organizations:manage_member_role", kwargs=kwargs), {"role": "admin"}
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.role == "member"


# --- Invitations ------------------------------------------------------------------------------


def invite(client, organization, email="kolega@example.org", role="member"):
    # Only approved organizations invite colleagues; this module's organization is pending.
    approve(organization)
    return client.post(
        reverse("organizations:manage_invite", kwargs={"slug": organization.slug}),
        {"email": email, "role": role},
    )


def approve(organization):
    Organization.objects.filter(pk=organization.pk).update(status="approved")
    organization.refresh_from_db()


def invitation_link(email):
    body = email.body_text
    start = body.index("http")
    return body[start:].split()[0].removeprefix("http://127.0.0.1:8000")


def test_invitation_email_carries_a_link_that_makes_the_invited_person_a_member(
    role_client, organization, client
):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get(to="kolega@example.org"))
    invited = factories.UserFactory(email="kolega@example.org")
    client.force_login(invited)

    assert client.get(link).status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert Membership.objects.get(user=invited, organization=organization).role == "member"
    assert client.post(link).status_code == 410  # single use


def test_invitation_link_sends_an_anonymous_visitor_to_log_in(role_client, organization, client):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get())
    client.logout()

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_invitation_for_another_address_is_refused(role_client, organization, client):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get())
    client.force_login(factories.UserFactory(email="someone.else@example.org"))

    response = client.post(link)

    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="someone.else@example.org").exists()


def test_unverified_address_cannot_accept(role_client, organization, client):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get())
    invited = factories.UserFactory(email="kolega@example.org")
    EmailAddress.objects.filter(user=invited).update(verified=False)
    client.force_login(invited)

    assert client.post(link).status_code == 403


def test_expired_invitation_is_refused(role_client, organization, client):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get())
    MemberInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(factories.UserFactory(email="kolega@example.org"))

    assert client.post(link).status_code == 410


def test_a_token_works_only_for_its_own_organization(role_client, organization, client):
    invite(role_client("admin"), organization)
    link = invitation_link(OutgoingEmail.objects.get())
    other = factories.OrganizationFactory()
    client.force_login(factories.UserFactory(email="kolega@example.org"))

    response = client.post(link.replace(organization.slug, other.slug))

    assert response.status_code == 404
    assert not Membership.objects.filter(organization=other, role="member").exists()


def test_only_a_hash_of_the_token_is_stored(role_client, organization):
    invite(role_client("admin"), organization)
    token = invitation_link(OutgoingEmail.objects.get()).rstrip("/").rsplit("/", 1)[-1]

    assert token not in MemberInvitation.objects.get().token_hash


def test_invitation_with_a_bad_address_is_a_field_error(role_client, organization):
    response = invite(role_client("admin"), organization, email="not-an-address")

    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    assert not MemberInvitation.objects.exists()


def test_invitation_never_demotes_an_admin(organization, org_admin):
    approve(organization)
    services.invite_member(
        organization=organization, email=org_admin.email, role="member", by=org_admin
    )
    token = invitation_link(OutgoingEmail.objects.get()).rstrip("/").rsplit("/", 1)[-1]

    services.accept_invitation(organization=organization, token=token, user=org_admin)

    assert Membership.objects.get(user=org_admin).role == "admin"
    assert MemberInvitation.objects.get().accepted_by == org_admin


def test_my_account_lists_the_users_organizations(role_client, organization):
    client = role_client("member")

    body = client.get(reverse("account_overview")).content.decode()

    assert reverse("organizations:manage", kwargs={"slug": organization.slug}) in body


def test_script_in_a_name_is_inert_on_manage_pages_and_in_the_invitation(role_client, organization):
    organization.name = "<script>alert(1)</script>"
    organization.save()
    client = role_client("admin")
    invite(client, organization)

    for url in [
        reverse("organizations:manage", kwargs={"slug": organization.slug}),
        reverse("organizations:manage_edit", kwargs={"slug": organization.slug}),
        reverse("organizations:manage_members", kwargs={"slug": organization.slug}),
        reverse("account_overview"),
    ]:
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body, url
    assert "<script>" not in OutgoingEmail.objects.get().body_html
