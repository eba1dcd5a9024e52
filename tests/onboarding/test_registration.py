"""The guided registration: steps saved in the database, resumed anywhere, never skipped."""

import pytest
from django.test import Client

from onboarding import services
from onboarding.models import Registration
from onboarding.services import CONSENT_VERSION
from organizations.models import Membership, Organization
from tests import factories
from tests.onboarding.conftest import BASICS, CONSENT, CONTACTS, step_url

pytestmark = pytest.mark.django_db


def test_visitor_sees_the_account_step_with_sign_up_link(client):
    response = client.get("/onboarding/")
    assert response.status_code == 200
    assert b"/accounts/signup/?next=/onboarding/" in response.content
    assert b'aria-current="step"' in response.content


def test_visitor_is_sent_to_log_in_for_a_step(client):
    response = client.get(step_url("basics"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signed_in_user_skips_the_account_step_and_starts_a_draft(client, registrant):
    response = client.get("/onboarding/")
    assert response["Location"] == step_url("basics")
    assert Registration.objects.get(user=registrant).step == "basics"


def test_each_step_is_saved_in_the_database_and_resumed_on_another_device(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})

    other_device = Client()
    other_device.force_login(registrant)
    response = other_device.get("/onboarding/")
    assert response["Location"] == step_url("contacts")
    response = other_device.get(step_url("basics"))
    assert "Udruženje Bosanaca Malmö" in response.content.decode()


def test_invalid_step_shows_errors_next_to_the_field_with_422_and_keeps_the_step(
    client, registrant
):
    response = client.post(step_url("basics"), {**BASICS, "name": "", "go": "next"})
    assert response.status_code == 422
    assert 'id="id_name_error"' in response.content.decode()
    assert Registration.objects.get(user=registrant).step == "basics"


def test_later_step_cannot_be_opened_or_posted_before_the_earlier_ones(client, registrant):
    response = client.get(step_url("consent"))
    assert response["Location"] == step_url("basics")

    response = client.post(step_url("review"), {"go": "next"})
    assert response["Location"] == step_url("basics")
    response = client.post(step_url("consent"), {**CONSENT, "go": "next"})
    assert response["Location"] == step_url("basics")
    registration = Registration.objects.get(user=registrant)
    assert registration.step == "basics"
    assert registration.consent_at is None
    assert not Organization.objects.exists()


def test_back_keeps_what_was_typed_even_when_it_is_not_complete(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})
    client.post(step_url("contacts"), {**CONTACTS, "contacts-0-email": "not-an-address"})
    response = client.post(
        step_url("contacts"), {**CONTACTS, "contacts-0-name": "Edin", "go": "back"}
    )
    assert response["Location"] == step_url("basics")

    response = client.get(step_url("contacts"))
    assert 'value="Edin"' in response.content.decode()
    response = client.get(step_url("basics"))
    assert 'value="Malmö"' in response.content.decode()


def test_adding_a_row_keeps_typed_data_without_javascript(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})
    response = client.post(step_url("contacts"), {**CONTACTS, "add": "channels"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="https://chat.whatsapp.com/ubm"' in content
    assert 'name="channels-1-value"' in content
    assert "error-summary" not in content


def test_adding_a_row_with_htmx_answers_only_the_form(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})
    response = client.post(
        step_url("contacts"), {**CONTACTS, "add": "contacts"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert content.startswith('<form id="contacts-step"')
    assert 'name="contacts-1-name"' in content
    assert "HX-Request" in response["Vary"]


def test_similar_name_in_the_same_country_asks_for_the_different_organization_choice(
    client, registrant
):
    existing = factories.OrganizationFactory(name="Udruzenje Bosanaca Malmo", country="SE")
    response = client.post(step_url("basics"), {**BASICS, "go": "next"})
    assert response.status_code == 422
    assert existing.get_absolute_url() in response.content.decode()
    assert 'id="id_different_organization_error"' in response.content.decode()

    response = client.post(
        step_url("basics"), {**BASICS, "different_organization": "on", "go": "next"}
    )
    assert response["Location"] == step_url("contacts")
    registration = Registration.objects.get(user=registrant)
    assert registration.declared_different_from == [{"pk": existing.pk, "name": existing.name}]


def test_consent_is_mandatory(client, registrant, complete_steps):
    complete_steps()
    Registration.objects.filter(user=registrant).update(step="consent", consent_at=None)
    response = client.post(step_url("consent"), {"public_profile": "on", "go": "next"})
    assert response.status_code == 422
    assert 'id="id_data_processing_error"' in response.content.decode()
    assert Registration.objects.get(user=registrant).consent_at is None


def test_consent_records_time_text_version_and_language(client, registrant, complete_steps):
    complete_steps()
    registration = Registration.objects.get(user=registrant)
    assert registration.consent_at is not None
    assert registration.consent_version == CONSENT_VERSION
    assert registration.consent_language == "bs"


@pytest.mark.parametrize("language", ["bs", "en"])
def test_consent_step_shows_the_policy_in_the_interface_language(
    client, registrant, language, complete_steps
):
    complete_steps()
    client.cookies["django_language"] = language
    response = client.get(step_url("consent"))
    expected = "Obrada podataka" if language == "bs" else "Data processing"
    assert expected in response.content.decode()


def test_review_shows_every_answer(client, registrant, complete_steps):
    complete_steps()
    response = client.get(step_url("review"))
    content = response.content.decode()
    for text in ["Udruženje Bosanaca Malmö", "Amra Hodžić", "chat.whatsapp.com/ubm", "Oblast"]:
        assert text in content


def test_submit_creates_a_pending_organization_with_the_user_as_admin(
    client, registrant, complete_steps, django_capture_on_commit_callbacks
):
    staff = factories.StaffUserFactory(email="referent@mhrr.example")
    area = complete_steps()

    with django_capture_on_commit_callbacks():
        response = client.post(step_url("review"), {"go": "next"})

    assert response["Location"] == "/onboarding/submitted/"
    organization = Organization.objects.get(name="Udruženje Bosanaca Malmö")
    assert organization.status == "pending"
    assert list(organization.areas.all()) == [area]
    assert organization.languages == ["bs", "sv"]
    assert organization.channels.get().value == "https://chat.whatsapp.com/ubm"
    assert organization.contacts.get().name == "Amra Hodžić"
    assert Membership.objects.get(organization=organization).user == registrant
    assert Membership.objects.get(organization=organization).role == "admin"
    from mail.models import OutgoingEmail

    recipients = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert recipients == {registrant.email}
    # staff hear of it from the beat's notice of new registrations
    services.notify_staff_of_registrations()
    assert OutgoingEmail.objects.filter(to=staff.email).exists()


def test_submitting_twice_creates_one_organization(client, registrant, complete_steps):
    complete_steps()
    client.post(step_url("review"), {"go": "next"})
    client.post(step_url("review"), {"go": "next"})
    assert Organization.objects.count() == 1


def test_user_cannot_continue_another_users_draft(client, registrant, complete_steps):
    complete_steps()
    other = factories.UserFactory()
    other_client = Client()
    other_client.force_login(other)
    response = other_client.get(step_url("review"))
    assert response["Location"] == step_url("basics")
    response = other_client.get(step_url("basics"))
    assert "Udruženje Bosanaca Malmö" not in response.content.decode()


def test_submit_is_refused_when_a_stored_step_became_invalid(client, registrant, complete_steps):
    complete_steps()
    registration = Registration.objects.get(user=registrant)
    registration.data["basics"]["name"] = [""]
    registration.save()
    response = client.post(step_url("review"), {"go": "next"})
    assert response["Location"] == step_url("basics")
    assert not Organization.objects.exists()


def test_staff_review_page_shows_the_duplicate_choice(
    client, registrant, complete_steps, staff_user_with_mfa
):
    existing = factories.OrganizationFactory(name="Udruzenje Bosanaca Malmo", country="SE")
    complete_steps(basics={"different_organization": "on"})
    client.post(step_url("review"), {"go": "next"})
    organization = Organization.objects.get(status="pending")

    staff_client = Client()
    factories.log_in_with_totp(staff_client, staff_user_with_mfa, staff_user_with_mfa.totp_secret)
    response = staff_client.get(f"/staff/organizations/{organization.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert f"/staff/organizations/{existing.pk}/" in content
    assert "registration-note-title" in content


def test_only_the_steps_own_fields_are_stored(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next", "is_superuser": "1", "x" * 50: "y"})
    stored = Registration.objects.get(user=registrant).data["basics"]
    assert set(stored) <= set(BASICS) | {"different_organization"}
    assert stored["name"] == ["Udruženje Bosanaca Malmö"]
