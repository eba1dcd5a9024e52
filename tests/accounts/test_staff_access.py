import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_organization_user_is_refused(client, user):
    client.force_login(user)

    response = client.get("/staff/")

    assert response.status_code == 403
    assert "Nemate pristup ovoj stranici" in response.content.decode()


@pytest.mark.django_db
def test_staff_without_two_factor_is_sent_to_set_it_up(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_staff_with_two_factor_reaches_the_dashboard(staff_client):
    response = staff_client.get("/staff/")

    assert response.status_code == 200
    assert "Dio za osoblje" in response.content.decode()


@pytest.mark.django_db
def test_staff_link_shows_only_to_staff(client, user, staff_user_with_mfa):
    client.force_login(user)
    assert 'href="/staff/"' not in client.get("/").content.decode()

    client.force_login(staff_user_with_mfa)
    assert 'href="/staff/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_staff_dashboard_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    staff_client.get("/staff/")

    # 1 for the page (the session with the user, its staff group flag and second factor), 1
    # for the failed e-mail count on the outbox tile, 2 for the registry's counts per status and
    # per country, 1 for the organizations left without an admin, 2 for the map of organizations
    # (counts per country and per city; a cached fragment outside the tests).
    with django_assert_num_queries(7):
        assert staff_client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_ministry_staff_group_exists_with_its_permissions():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Ministry staff")

    assert group.permissions.filter(codename="view_user").exists()


@pytest.mark.django_db
def test_staff_removed_from_the_group_lose_the_staff_area_on_their_next_request(
    staff_client, staff_user_with_mfa
):
    # The staff flag comes with the user's row on each request (accounts.backends), never
    # from an earlier request.
    assert staff_client.get("/staff/").status_code == 200
    staff_user_with_mfa.groups.clear()

    assert staff_client.get("/staff/").status_code == 403
    assert 'href="/staff/"' not in staff_client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "replaced",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_opened_with_a_replaced_backend_stays_signed_in(client, user, replaced):
    from django.contrib.auth import BACKEND_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[BACKEND_SESSION_KEY] = replaced
    session.save()

    assert "Odjava" in client.get("/").content.decode()
    assert client.session[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.get("/accounts/sessions/").status_code == 200
