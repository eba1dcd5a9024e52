import pytest
from django.test import Client
from django.urls import reverse

from core import audit
from core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(db):
    organization = factories.OrganizationFactory(name="Udruženje Sevdah Beč")
    factories.ContactFactory(organization=organization, name="Selma Hadžić")
    return organization


STAFF_ACCESSES = [
    ("/staff/organizations/{pk}/", "view_contacts"),
    ("/staff/organizations/{pk}/edit/", "view_contacts"),
    ("/staff/organizations/{pk}/history/", "view_contacts"),
    ("/staff/organizations/export.csv?country=DE", "csv_export"),
    ("/staff/onboarding/", "view_contacts"),
    ("/staff/outbox/failed/", "view_contacts"),
]


def test_each_staff_access_to_private_data_is_logged(
    staff_client, staff_user_with_mfa, organization
):
    # One staff login for every page: logging in with a TOTP code is the slow part.
    for url, action in STAFF_ACCESSES:
        AuditEntry.objects.all().delete()
        path = url.format(pk=organization.pk)

        assert staff_client.get(path).status_code == 200, path

        entry = AuditEntry.objects.get()
        assert (entry.actor, entry.action, entry.path) == (staff_user_with_mfa, action, path)
        if "{pk}" in url:
            assert (entry.object_type, entry.object_id) == (
                "organizations.organization",
                str(organization.pk),
            )


def test_audit_log_page_filters_and_runs_a_fixed_number_of_queries(
    staff_client, staff_user_with_mfa, organization, django_assert_max_num_queries
):
    other = factories.StaffUserFactory(email="drugi@example.org")
    for _ in range(3):
        audit.record(None, audit.Action.CSV_EXPORT, actor=other)
        audit.record(None, audit.Action.VIEW_CONTACTS, organization, actor=staff_user_with_mfa)
    staff_client.get(reverse("staff_privacy:audit"))  # warm the session's caches

    with django_assert_max_num_queries(12) as few:
        page = staff_client.get(reverse("staff_privacy:audit"), {"action": "csv_export"})
    for _ in range(20):
        audit.record(None, audit.Action.CSV_EXPORT, actor=other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("staff_privacy:audit"), {"action": "csv_export"})

    html = page.content.decode()
    assert html.count("drugi@example.org") == 3
    assert "Udruženje Sevdah Beč" not in html
    response = staff_client.get(reverse("staff_privacy:audit"), {"actor": "drugi@"})
    assert response.content.decode().count("drugi@example.org") >= 3
    assert (
        staff_client.get(reverse("staff_privacy:audit"), {"since": "not-a-date"}).status_code == 422
    )


def test_audit_log_is_for_staff_only(user):
    client = Client()
    client.force_login(user)

    assert client.get(reverse("staff_privacy:audit")).status_code == 403


def test_audit_never_copies_a_persons_details(staff_user_with_mfa):
    person = factories.UserFactory(email="osoba@example.org", full_name="Emina Zukić")

    entry = audit.record(None, audit.Action.DATA_EXPORT, person, actor=staff_user_with_mfa)

    assert entry.object_label == f"#{person.pk}"


def test_signup_records_the_privacy_notice_version_in_force(client, mailbox):
    from privacy.models import ConsentRecord
    from privacy.notice import CURRENT_VERSION

    page = client.get(reverse("account_signup")).content.decode()
    assert reverse("privacy:notice") in page

    client.post(
        reverse("account_signup"),
        {
            "email": "nova@example.org",
            "password1": factories.PASSWORD,
            "password2": factories.PASSWORD,
        },
    )

    record = ConsentRecord.objects.get(user__email="nova@example.org")
    assert (record.context, record.notice_version, record.language) == (
        "signup",
        CURRENT_VERSION,
        "bs",
    )
    assert client.get(reverse("privacy:notice_version", args=[CURRENT_VERSION])).status_code == 200
    assert client.get(reverse("privacy:notice_version", args=["1999-01-01"])).status_code == 404
