import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_answers_in_bosnian_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="bs">' in html
    assert "Sljedeći sastanci" in html
    assert 'href="#main"' in html


@pytest.mark.django_db
def test_language_switch_sets_english_and_html_lang(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Next meetings" in html


@pytest.mark.django_db
def test_switching_back_to_bosnian(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "bs", "next": "/"})

    assert '<html lang="bs">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert '<html lang="bs">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, user):
    # the next meetings, the latest summaries; the figures (3) and the map (2) of insights
    with django_assert_num_queries(7):
        client.get("/")
    client.force_login(user)
    client.get("/")
    # the session with the user and its ministry staff flag for the navigation (one query:
    # accounts.session_store), the meetings (the session's last-seen row was written by the
    # request before, at most once a minute), the map and the home page's figures (insights)
    with django_assert_num_queries(8):
        client.get("/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"), [("bs", "Stranica nije pronađena"), ("en", "Page not found")]
)
def test_missing_page_is_a_404_in_the_portal_look(client, language, text):
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
def test_server_error_page_in_the_portal_look(client):
    from diaspora_portal.views import server_error

    response = server_error(client.get("/").wsgi_request)

    assert response.status_code == 500
    assert "500" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_bad_request_page(rf):
    from diaspora_portal.views import bad_request

    response = bad_request(rf.get("/"))

    assert response.status_code == 400


@pytest.mark.django_db
def test_invalid_login_is_a_422_with_an_error_summary(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Postoji problem" in html


@pytest.mark.django_db
def test_account_overview_saves_the_preferred_language(client, user):
    client.force_login(user)

    response = client.post(reverse("account_overview"), {"full_name": "Emina H.", "language": "en"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert '<html lang="en">' in client.get(reverse("account_overview")).content.decode()


@pytest.mark.django_db
def test_account_overview_rejects_an_unknown_language_next_to_the_field(client, user):
    client.force_login(user)

    response = client.post(reverse("account_overview"), {"full_name": "", "language": "xx"})

    assert response.status_code == 422
    assert 'id="id_language_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.language == "bs"


@pytest.mark.django_db
def test_user_text_is_escaped(client, user):
    user.full_name = '<script>alert("x")</script>'
    user.save()
    client.force_login(user)

    html = client.get(reverse("account_overview")).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_form_without_csrf_token_gets_the_portal_403_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert "Obrazac nije moguće poslati" in response.content.decode()


def test_footer_links_the_api_documentation_and_the_open_data_page(client, db):
    html = client.get("/").content.decode()

    footer = html[html.index("<footer") :]
    assert 'href="/api/docs/"' in footer
    assert 'href="/open-data/"' in footer
