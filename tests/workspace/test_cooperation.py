"""Organizations say "we want to take part"; the author's side accepts them as partners."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mail.models import OutgoingEmail
from tests import factories
from workspace import services
from workspace.models import Interest

pytestmark = pytest.mark.django_db


def _interest_url(post):
    return reverse("workspace:interest", kwargs={"pk": post.pk})


def test_other_organization_expresses_interest_and_the_author_admins_are_emailed(
    client, other_admin, other_org, author_admin, post, django_capture_on_commit_callbacks
):
    client.force_login(other_admin)

    with django_capture_on_commit_callbacks():
        response = client.post(_interest_url(post), {"message": "Dovodimo 15 djece."})

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.organization == other_org and interest.status == "pending"
    [email] = OutgoingEmail.objects.filter(to=author_admin.email)
    assert other_org.name in email.subject


def test_author_organization_sees_interested_organizations_others_do_not(
    client, other_admin, other_org, author_admin, user, post
):
    services.express_interest(post=post, organization=other_org, by=other_admin, message="Tajna")

    client.force_login(author_admin)
    author_page = client.get(post.get_absolute_url()).content.decode()
    client.force_login(user)
    user_page = client.get(post.get_absolute_url()).content.decode()

    assert 'id="interests"' in author_page and "Tajna" in author_page
    assert "Tajna" not in user_page


def test_author_accepts_a_partner_and_the_post_shows_it(
    client, other_admin, other_org, author_admin, post
):
    interest = services.express_interest(
        post=post, organization=other_org, by=other_admin, message="Da"
    )
    client.force_login(author_admin)

    response = client.post(
        reverse("workspace:interest_accept", kwargs={"pk": post.pk, "interest_pk": interest.pk})
    )

    assert response.status_code == 302
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    partners = page.split('id="partners"')[1].split("</ul>")[0]
    assert other_org.name in partners
    api = client.get(f"/api/v1/posts/{post.pk}/").json()
    assert [p["slug"] for p in api["partners"]] == [other_org.slug]
    assert api["stage"] == "partner_found"
    assert list(post.stage_changes.values_list("stage", flat=True)) == ["partner_found"]


@pytest.mark.parametrize("role", ["user", "member", "other_admin"])
def test_only_the_author_side_may_accept_partners(client, as_role, other_org, post, role):
    interest = Interest.objects.create(post=post, organization=other_org, message="Da")
    as_role(role)

    response = client.post(
        reverse("workspace:interest_accept", kwargs={"pk": post.pk, "interest_pk": interest.pk})
    )

    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.status == "pending"


@pytest.mark.parametrize("role", ["anonymous", "user", "member", "admin"])
def test_who_may_not_express_interest(client, as_role, post, role):
    as_role(role)

    response = client.post(_interest_url(post), {"message": "Mi bismo"})

    assert response.status_code in (302, 403) and not Interest.objects.exists()
    if role != "anonymous":
        assert response.status_code == 403


def test_interest_needs_a_message_next_to_the_field(client, other_admin, post):
    client.force_login(other_admin)

    response = client.post(_interest_url(post), {"message": ""})

    assert response.status_code == 422
    assert 'id="id_message_error"' in response.content.decode()


def test_interest_on_a_closed_post_or_twice_is_refused(other_admin, other_org, post, author_admin):
    services.express_interest(post=post, organization=other_org, by=other_admin, message="Da")
    with pytest.raises(ValidationError):
        services.express_interest(post=post, organization=other_org, by=other_admin, message="Da")

    services.close_post(post=post, by=author_admin)
    third = factories.OrganizationFactory()
    with pytest.raises(ValidationError):
        services.express_interest(post=post, organization=third, by=other_admin, message="Da")


def test_expressions_of_interest_are_rate_limited(client, other_admin, post_factory, settings):
    settings.WORKSPACE_INTERESTS_PER_HOUR = 1
    first, second = post_factory(), post_factory()
    client.force_login(other_admin)
    assert client.post(_interest_url(first), {"message": "Da"}).status_code == 302

    response = client.post(_interest_url(second), {"message": "Da"})

    assert response.status_code == 429
    assert Interest.objects.count() == 1


def test_news_takes_no_partners(client, other_admin, post_factory):
    news = post_factory(kind="news")
    client.force_login(other_admin)

    assert client.post(_interest_url(news), {"message": "Da"}).status_code == 403
