import io

import pytest
from django.urls import reverse
from PIL import Image

from mail.models import OutgoingEmail
from organizations.models import Area, Organization
from tests import factories

pytestmark = pytest.mark.django_db

NON_STAFF = ["user", "member", "other_admin", "admin"]


def staff_urls(organization):
    pk = organization.pk
    area = factories.AreaFactory()
    get = [
        reverse("staff_organizations:list"),
        reverse("staff_organizations:export"),
        reverse("staff_organizations:queue"),
        reverse("staff_organizations:areas"),
        reverse("staff_organizations:area_new"),
        reverse("staff_organizations:area_edit", kwargs={"pk": area.pk}),
        reverse("staff_organizations:detail", kwargs={"pk": pk}),
        reverse("staff_organizations:edit", kwargs={"pk": pk}),
        reverse("staff_organizations:history", kwargs={"pk": pk}),
    ]
    post = [
        reverse(f"staff_organizations:{name}", kwargs={"pk": pk})
        for name in ["approve", "reject", "archive", "restore", "verify", "confirm", "edit"]
    ] + [reverse("staff_organizations:area_new")]
    return get, post


def test_anonymous_visitor_is_sent_to_log_in_from_every_staff_url(role_client, organization):
    client = role_client("anonymous")
    get, post = staff_urls(organization)
    for url in get:
        assert client.get(url).status_code == 302, url
    for url in post:
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    organization.refresh_from_db()
    assert organization.status == "pending"


@pytest.mark.parametrize("role", NON_STAFF)
def test_organization_users_are_refused_every_staff_url(role_client, organization, role):
    client = role_client(role)
    get, post = staff_urls(organization)
    for url in get:
        assert client.get(url).status_code == 403, url
    for url in post:
        assert client.post(url, {"reject-reason": "x"}).status_code == 403, url
    organization.refresh_from_db()
    assert organization.status == "pending"
    assert organization.verified_at is None


def test_staff_without_two_factor_is_sent_to_set_it_up(client, staff_user, organization):
    client.force_login(staff_user)
    get, post = staff_urls(organization)
    for url in get + post:
        response = client.get(url) if url in get else client.post(url)
        assert response["Location"] == reverse("mfa_activate_totp"), url


def test_staff_with_two_factor_reaches_every_staff_page(role_client, organization):
    client = role_client("staff")
    get, _post = staff_urls(organization)
    for url in get:
        assert client.get(url).status_code == 200, url


# --- Review: approve, reject, archive, restore, verify, confirm -------------------------------


def test_staff_approve_a_pending_organization_and_its_admins_are_emailed(
    role_client, organization, org_admin, django_capture_on_commit_callbacks
):
    client = role_client("staff")

    response = client.post(reverse("staff_organizations:approve", kwargs={"pk": organization.pk}))

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == "approved"
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [org_admin.email]


def test_rejection_without_a_reason_shows_a_field_error_and_changes_nothing(
    role_client, organization
):
    client = role_client("staff")
    url = reverse("staff_organizations:reject", kwargs={"pk": organization.pk})

    response = client.post(url, {"reject-reason": "   "})

    assert response.status_code == 422
    assert 'id="id_reject-reason_error"' in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == "pending"
    assert not OutgoingEmail.objects.exists()


def test_rejection_reason_is_emailed_to_the_admins(role_client, organization, org_admin):
    client = role_client("staff")
    url = reverse("staff_organizations:reject", kwargs={"pk": organization.pk})

    client.post(url, {"reject-reason": "Nedostaje adresa udruženja."})

    organization.refresh_from_db()
    assert organization.status == "rejected"
    email = OutgoingEmail.objects.get()
    assert email.to == org_admin.email
    assert "Nedostaje adresa udruženja." in email.body_text


def test_overlong_rejection_reason_is_a_field_error(role_client, organization):
    client = role_client("staff")
    url = reverse("staff_organizations:reject", kwargs={"pk": organization.pk})

    response = client.post(url, {"reject-reason": "x" * 2001})

    assert response.status_code == 422
    organization.refresh_from_db()
    assert organization.status == "pending"


def test_approving_twice_is_refused_with_a_message_not_an_error(role_client, organization):
    client = role_client("staff")
    url = reverse("staff_organizations:approve", kwargs={"pk": organization.pk})
    client.post(url)

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain
    assert OutgoingEmail.objects.count() <= 1


def test_archive_and_restore_bring_an_approved_organization_back(role_client):
    organization = factories.OrganizationFactory(status="approved")
    client = role_client("staff")

    client.post(
        reverse("staff_organizations:archive", kwargs={"pk": organization.pk}),
        {"archive-reason": "Udruženje se ugasilo."},
    )
    organization.refresh_from_db()
    assert organization.status == "archived"
    assert organization.status_reason == "Udruženje se ugasilo."

    client.post(reverse("staff_organizations:restore", kwargs={"pk": organization.pk}))
    organization.refresh_from_db()
    assert organization.status == "approved"


def test_staff_mark_documents_checked_with_date_and_who(
    role_client, organization, staff_user_with_mfa
):
    client = role_client("staff")

    client.post(reverse("staff_organizations:verify", kwargs={"pk": organization.pk}))

    organization.refresh_from_db()
    assert organization.verified_at is not None
    assert organization.verified_by == staff_user_with_mfa
    page = client.get(reverse("staff_organizations:detail", kwargs={"pk": organization.pk}))
    assert staff_user_with_mfa.get_full_name() in page.content.decode()


def test_staff_confirm_the_profile_is_current_and_a_dormant_one_wakes_up(role_client):
    organization = factories.OrganizationFactory(
        last_confirmed_at="2020-01-01T00:00Z", dormant_since="2021-01-01T00:00Z", nudges_sent=2
    )
    client = role_client("staff")

    client.post(reverse("staff_organizations:confirm", kwargs={"pk": organization.pk}))

    organization.refresh_from_db()
    assert organization.dormant_since is None
    assert organization.nudges_sent == 0
    assert organization.last_confirmed_at.year >= 2026


def test_review_page_warns_of_a_similar_name_in_the_same_country(role_client):
    existing = factories.OrganizationFactory(name="Udruženje Bosanaca Minhen", country="DE")
    pending = factories.OrganizationFactory(
        name="Udruzenje bosanaca Minhen e.V.", country="DE", status="pending", approved_at=None
    )
    client = role_client("staff")

    for name in ["detail", "edit"]:
        page = client.get(reverse(f"staff_organizations:{name}", kwargs={"pk": pending.pk}))
        assert reverse("staff_organizations:detail", kwargs={"pk": existing.pk}) in (
            page.content.decode()
        )


# --- Edit -----------------------------------------------------------------------------------


def edit_data(organization, **overrides):
    data = {
        "name": organization.name,
        "slug": organization.slug,
        "kind": organization.kind,
        "country": organization.country.code,
        "city": organization.city,
        "founding_year": "",
        "website": "",
        "public_email": "",
        "public_phone": "",
        "description": "",
        "size": "",
        "preferred_language": "bs",
        "staff_notes": "",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_staff_edit_every_field_with_channels_contacts_and_notes(role_client, organization):
    area = factories.AreaFactory()
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})

    response = client.post(
        url,
        edit_data(
            organization,
            name="Džemat Đakovo",
            city="Živinice",
            areas=[area.pk],
            languages=["bs", "de"],
            staff_notes="Provjeriti registraciju.",
            public_phone="+49 30 1234567",
            **{
                "channels-TOTAL_FORMS": "1",
                "channels-0-kind": "viber",
                "channels-0-value": "https://invite.viber.com/?g=abc",
                "channels-0-visibility": "members",
                "contacts-TOTAL_FORMS": "1",
                "contacts-0-name": "Amra Hodžić",
                "contacts-0-email": "amra@example.org",
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    organization.refresh_from_db()
    assert organization.name == "Džemat Đakovo"
    assert organization.staff_notes == "Provjeriti registraciju."
    assert organization.languages == ["bs", "de"]
    assert list(organization.areas.all()) == [area]
    assert organization.channels.get().visibility == "members"
    assert organization.contacts.get().name == "Amra Hodžić"
    assert organization.status == "pending"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "x" * 201),
        ("website", "not a url"),
        ("public_phone", "12345"),
        ("country", "XX"),
        ("founding_year", "abc"),
        ("description", "x" * 10001),
    ],
)
def test_bad_input_on_the_staff_edit_page_is_a_field_error(role_client, organization, field, value):
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})

    response = client.post(url, edit_data(organization, **{field: value}))

    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()


def test_duplicate_slug_is_a_field_error(role_client, organization):
    other = factories.OrganizationFactory()
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})

    response = client.post(url, edit_data(organization, slug=other.slug))

    assert response.status_code == 422
    assert 'id="id_slug_error"' in response.content.decode()


def test_invalid_channel_link_is_a_field_error(role_client, organization):
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})
    data = edit_data(
        organization,
        **{
            "channels-TOTAL_FORMS": "1",
            "channels-0-kind": "other",
            "channels-0-value": "javascript://alert(1)",
            "channels-0-visibility": "public",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 422
    assert 'id="id_channels-0-value_error"' in response.content.decode()
    assert not organization.channels.exists()


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "#002395").save(out, format="JPEG")
    return out.getvalue()


def test_logo_upload_is_re_encoded_as_png(role_client, organization, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})
    logo = SimpleUploadedFile("logo.jpg", png_bytes(), content_type="image/jpeg")

    response = client.post(url, {**edit_data(organization), "logo": logo})

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.logo.name.endswith(".png")
    with Image.open(organization.logo.path) as image:
        assert image.format == "PNG"


def test_fake_image_upload_is_a_field_error(role_client, organization, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")

    response = client.post(url, {**edit_data(organization), "logo": fake})

    assert response.status_code == 422
    assert 'id="id_logo_error"' in response.content.decode()
    organization.refresh_from_db()
    assert not organization.logo


def test_too_large_logo_is_a_field_error(role_client, organization, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.ORGANIZATION_LOGO_MAX_BYTES = 100
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})
    logo = SimpleUploadedFile("logo.jpg", png_bytes(), content_type="image/jpeg")

    response = client.post(url, {**edit_data(organization), "logo": logo})

    assert response.status_code == 422
    assert 'id="id_logo_error"' in response.content.decode()


def test_adding_a_channel_row_keeps_the_typed_data_and_saves_nothing(role_client, organization):
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})

    response = client.post(url, {**edit_data(organization, city="Typed city"), "add": "channels"})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Typed city"' in body
    assert 'name="channels-0-value"' in body
    assert "field-error" not in body
    organization.refresh_from_db()
    assert organization.city == "Berlin"


def test_adding_a_row_with_htmx_returns_only_the_editor(role_client, organization):
    client = role_client("staff")
    url = reverse("staff_organizations:edit", kwargs={"pk": organization.pk})

    response = client.post(
        url, {**edit_data(organization), "add": "contacts"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<form id="profile-editor"')
    assert 'name="contacts-0-name"' in body
    assert "HX-Request" in response["Vary"]


# --- History ----------------------------------------------------------------------------------


def test_history_shows_who_changed_which_field_from_old_to_new(
    role_client, organization, staff_user_with_mfa
):
    client = role_client("staff")
    client.post(
        reverse("staff_organizations:edit", kwargs={"pk": organization.pk}),
        edit_data(organization, city="Živinice"),
    )

    page = client.get(reverse("staff_organizations:history", kwargs={"pk": organization.pk}))

    body = page.content.decode()
    assert "<del>Berlin</del> → <ins>Živinice</ins>" in body
    assert staff_user_with_mfa.get_full_name() in body


def test_history_page_runs_a_fixed_number_of_queries(
    role_client, organization, django_assert_num_queries
):
    client = role_client("staff")
    url = reverse("staff_organizations:history", kwargs={"pk": organization.pk})
    client.get(url)
    # 1 for the session with the user, its staff flag and second factor; organization, its
    # history, channels', contacts'; one insert into the audit log (core.audit).
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(5):
        factories.ChannelFactory(organization=organization, value=f"https://example.org/{n}")
        organization.city = f"Grad {n}"
        organization.save()
    with django_assert_num_queries(6):
        client.get(url)


# --- Areas ------------------------------------------------------------------------------------


def test_staff_add_an_area_with_a_name_per_language(role_client):
    client = role_client("staff")

    response = client.post(
        reverse("staff_organizations:area_new"),
        {"slug": "kultura", "position": "1", "name_bs": "Kultura", "name_en": "Culture"},
    )

    assert response.status_code == 302
    assert Area.objects.get(slug="kultura").names == {"bs": "Kultura", "en": "Culture"}


def test_area_without_a_bosnian_name_or_with_a_taken_slug_is_refused(role_client):
    factories.AreaFactory(slug="kultura")
    client = role_client("staff")

    response = client.post(
        reverse("staff_organizations:area_new"),
        {"slug": "kultura", "position": "1", "name_bs": "", "name_en": "Culture"},
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_name_bs_error"' in body
    assert 'id="id_slug_error"' in body


# --- List, filters, export, dashboard ---------------------------------------------------------


def test_staff_list_filters_by_status_freshness_and_verified(role_client):
    client = role_client("staff")
    fresh = factories.OrganizationFactory(name="Svježe udruženje")
    stale = factories.OrganizationFactory(
        name="Staro udruženje", last_confirmed_at="2020-01-01T00:00Z"
    )
    dormant = factories.OrganizationFactory(
        name="Uspavano udruženje",
        last_confirmed_at="2020-01-01T00:00Z",
        dormant_since="2021-06-01T00:00Z",
    )
    checked = factories.OrganizationFactory(
        name="Provjereno udruženje", verified_at=fresh.created_at
    )
    pending = factories.OrganizationFactory(name="Novo udruženje", status="pending")
    url = reverse("staff_organizations:list")

    def names(**params):
        page = client.get(url, params).context["page"]
        return {row["name"] for row in page.object_list}

    assert names(freshness="stale") == {stale.name}
    assert names(freshness="dormant") == {dormant.name}
    assert fresh.name in names(freshness="current")
    assert names(verified="yes") == {checked.name}
    assert pending.name in names(status="pending")
    assert fresh.name not in names(status="pending")


def test_malformed_list_parameters_get_their_errors_and_a_422_not_a_server_error(role_client):
    client = role_client("staff")

    response = client.get(
        reverse("staff_organizations:list"),
        {"page": "abc", "country": "XX", "status": "nope", "freshness": "x", "area": "none"},
    )

    assert response.status_code == 422
    assert response.content.decode().count('class="field field--error"') == 4


@pytest.mark.parametrize("count", [5, 500])
def test_staff_list_runs_a_fixed_number_of_queries(role_client, django_assert_num_queries, count):
    client = role_client("staff")
    factories.AreaFactory()
    orgs = [
        Organization(
            name=f"Udruženje {n}",
            slug=f"udruzenje-{n}",
            country="AT",
            city="Beč",
            status="approved",
        )
        for n in range(count)
    ]
    for organization in orgs:
        organization.refresh_search_fields()
    Organization.objects.bulk_create(orgs)
    url = reverse("staff_organizations:list")
    client.get(url)

    # 1 for the session with the user, its staff flag and second factor; count, page, areas
    # for the filter.
    with django_assert_num_queries(4):
        response = client.get(url, {"country": "AT", "page": "2" if count > 50 else "1"})
    assert response.status_code == 200


def test_csv_export_has_a_bom_bosnian_letters_and_the_filtered_rows(role_client):
    client = role_client("staff")
    factories.OrganizationFactory(name="Džemat Čaršija", country="AT")
    factories.OrganizationFactory(name="Udruženje u Njemačkoj", country="DE")

    response = client.get(reverse("staff_organizations:export"), {"country": "AT"})

    content = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert content.startswith("\ufeff")
    assert "Džemat Čaršija" in content
    assert "Njemačkoj" not in content


def test_csv_export_guards_formulas_and_keeps_script_as_text(role_client):
    client = role_client("staff")
    factories.OrganizationFactory(name='=HYPERLINK("http://evil")', city="@SUM(A1)")
    factories.OrganizationFactory(name="<script>alert(1)</script>", city="-2+3")

    content = client.get(reverse("staff_organizations:export")).content.decode("utf-8")

    assert "'=HYPERLINK" in content
    assert "'@SUM(A1)" in content
    assert "'-2+3" in content
    assert "<script>alert(1)</script>" in content  # text in a CSV cell, never HTML


def test_script_in_a_name_is_shown_inert_on_staff_pages(role_client):
    organization = factories.OrganizationFactory(
        name="<script>alert(1)</script>", status="pending", approved_at=None
    )
    client = role_client("staff")

    for url in [
        reverse("staff_organizations:list"),
        reverse("staff_organizations:queue"),
        reverse("staff_organizations:detail", kwargs={"pk": organization.pk}),
        reverse("staff_organizations:edit", kwargs={"pk": organization.pk}),
        reverse("staff_organizations:history", kwargs={"pk": organization.pk}),
    ]:
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_dashboard_counts_organizations_per_status_and_country(role_client):
    factories.OrganizationFactory(country="SE")
    factories.OrganizationFactory(country="SE")
    factories.OrganizationFactory(status="pending", country="SE")
    client = role_client("staff")

    response = client.get(reverse("staff_dashboard"))

    body = response.content.decode()
    assert "?status=approved&amp;country=SE" in body
    counts = {code: n for _name, code, n in response.context["countries"]}
    assert counts["SE"] == 2
