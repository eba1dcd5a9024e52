"""Staff actions that destroy or take away another person's data ask for the password and the
second factor again, unless both were entered within the last few minutes."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from accounts.models import User
from privacy.models import DataExport
from tests import factories

pytestmark = pytest.mark.django_db


def _an_hour_later(client):
    """Age every authentication of the session: the login was an hour ago."""
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - 3600
    session.save()


def _recovery_code(user) -> str:
    return RecoveryCodes.activate(user).get_unused_codes()[0]


def test_erasing_someone_on_their_behalf_needs_both_factors_again(
    staff_client, staff_user_with_mfa, tmp_path, settings
):
    settings.PRIVACY_EXPORT_ROOT = tmp_path
    person = factories.UserFactory(email="osoba@example.org")
    code = _recovery_code(staff_user_with_mfa)
    _an_hour_later(staff_client)
    form = {"erase-email": person.email, "erase-confirm": "on"}

    response = staff_client.post(reverse("staff_privacy:overview"), form)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=person.pk).exists()

    # the password alone is not enough: the second factor is asked for next
    response = staff_client.post(
        response["Location"], {"password": factories.PASSWORD}, follow=False
    )
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert User.objects.filter(pk=person.pk).exists()

    # with both, the suspended request goes through
    staff_client.post(response["Location"], {"code": code})
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_copy_of_someones_data_asked_by_staff_needs_both_factors_again(
    staff_client, staff_user_with_mfa
):
    person = factories.UserFactory(email="osoba@example.org")
    _an_hour_later(staff_client)

    response = staff_client.post(reverse("staff_privacy:overview"), {"export-email": person.email})

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not DataExport.objects.exists()


def test_a_password_entered_again_alone_does_not_let_staff_erase_themselves(
    staff_client, staff_user_with_mfa
):
    _an_hour_later(staff_client)
    staff_client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})

    response = staff_client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert User.objects.filter(pk=staff_user_with_mfa.pk).exists()


@pytest.mark.parametrize(
    "url", ["/staff/organizations/export.csv", "/staff/workspace/pipeline.csv"]
)
def test_a_csv_export_with_contact_data_needs_both_factors_again(staff_client, url):
    assert staff_client.get(url).status_code == 200  # a fresh login counts

    _an_hour_later(staff_client)
    response = staff_client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
