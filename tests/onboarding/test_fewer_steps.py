"""Nothing asked twice: the invitation proves the address, the account is the first contact,
optional steps can be skipped and the review edits a step in place."""

import re

import pytest
from allauth.account.models import EmailAddress

from mail.models import OutgoingEmail
from onboarding import invitations
from onboarding.models import Registration
from organizations.models import Organization
from tests import factories
from tests.onboarding.conftest import BASICS, CONTACTS, step_url

pytestmark = pytest.mark.django_db

INVITED = "info@zenit.example"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _follow_invitation(client) -> None:
    invitations.invite_organization(
        by=factories.StaffUserFactory(),
        email=INVITED,
        organization_name="KUD Zenit Göteborg",
        country="SE",
        message="",
    )
    email = OutgoingEmail.objects.get(to=INVITED)
    token = re.search(r"/onboarding/invite/([^/\s]+)/", email.body_text).group(1)
    assert client.get(f"/onboarding/invite/{token}/").status_code == 200


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/?next=/onboarding/",
        {"email": email, "password1": factories.PASSWORD, "password2": factories.PASSWORD},
    )


def test_signing_up_with_the_invited_address_needs_no_confirmation_link(client):
    _follow_invitation(client)

    response = _sign_up(client, INVITED)

    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    assert EmailAddress.objects.get(email=INVITED).verified
    assert OutgoingEmail.objects.filter(to=INVITED).count() == 1  # the invitation alone
    assert client.get("/onboarding/")["Location"] == step_url("basics")


def test_another_address_than_the_invited_one_is_still_confirmed_by_e_mail(client):
    _follow_invitation(client)

    response = _sign_up(client, "someone.else@example.org")

    assert "/accounts/confirm-email/" in response["Location"]
    [address] = EmailAddress.objects.filter(user__email="someone.else@example.org")
    assert address.email == "someone.else@example.org"
    assert not address.verified  # and the invited address is not added to the account


def test_a_sign_up_without_an_invitation_is_confirmed_by_e_mail(client):
    response = _sign_up(client, INVITED)

    assert "/accounts/confirm-email/" in response["Location"]
    assert not EmailAddress.objects.get(email=INVITED).verified


def test_the_account_is_the_first_contact_person(client):
    user = factories.UserFactory(email="amra@example.org", full_name="Amra Hodžić")
    client.force_login(user)
    client.post(step_url("basics"), {**BASICS, "go": "next"})

    content = client.get(step_url("contacts")).content.decode()

    assert 'name="contacts-0-email"' in content
    assert 'value="amra@example.org"' in content
    assert 'value="Amra Hodžić"' in content
    assert 'name="contacts-TOTAL_FORMS" value="1"' in content


def test_an_optional_step_is_skipped_without_judging_what_was_typed(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})
    bad_contact = {**CONTACTS, "contacts-0-email": "not-an-address"}

    response = client.post(step_url("contacts"), {**bad_contact, "go": "skip"})
    assert response["Location"] == step_url("areas")
    response = client.post(step_url("areas"), {"areas": ["999999"], "go": "skip"})
    assert response["Location"] == step_url("consent")

    registration = Registration.objects.get(user=registrant)
    assert registration.step == "consent"
    client.post(step_url("consent"), {"public_profile": "on", "data_processing": "on"})
    assert client.post(step_url("review"), {"go": "next"})["Location"] == "/onboarding/submitted/"
    organization = Organization.objects.get()
    assert not organization.contacts.exists()
    assert not organization.areas.exists()


def test_skipping_keeps_a_complete_step_saved_before(client, registrant):
    client.post(step_url("basics"), {**BASICS, "go": "next"})
    client.post(step_url("contacts"), {**CONTACTS, "go": "next"})

    client.post(step_url("contacts"), {**CONTACTS, "contacts-0-name": "", "go": "skip"})

    stored = Registration.objects.get(user=registrant).data["contacts"]
    assert stored["contacts-0-name"] == ["Amra Hodžić"]


def test_a_required_step_cannot_be_skipped(client, registrant):
    response = client.post(step_url("basics"), {**BASICS, "city": "", "go": "skip"})

    assert response.status_code == 422
    assert Registration.objects.get(user=registrant).step == "basics"
    assert 'value="skip"' not in client.get(step_url("basics")).content.decode()


def test_only_optional_steps_offer_skip(client, registrant, complete_steps):
    complete_steps()
    offered = {
        step: 'value="skip"' in client.get(step_url(step)).content.decode()
        for step in ("basics", "contacts", "areas", "consent", "review")
    }

    assert offered == {
        "basics": False,
        "contacts": True,
        "areas": True,
        "consent": False,
        "review": False,
    }


def test_review_edits_a_step_in_place_with_htmx(client, registrant, complete_steps):
    complete_steps()
    review = client.get(step_url("review")).content.decode()
    assert 'data-hx-get="/onboarding/basics/?return=review"' in review

    form = client.get(step_url("basics") + "?return=review", **HTMX)
    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    assert 'id="review-section-basics"' in form.content.decode()
    assert 'data-hx-post="/onboarding/basics/?return=review"' in form.content.decode()

    saved = client.post(
        step_url("basics") + "?return=review", {**BASICS, "city": "Lund", "go": "next"}, **HTMX
    )
    assert saved.status_code == 200
    section = saved.content.decode()
    assert 'id="review-section-basics"' in section
    assert "Lund" in section
    assert "<form" not in section
    assert Registration.objects.get(user=registrant).step == "review"


def test_an_invalid_edit_in_place_answers_422_with_the_form(client, registrant, complete_steps):
    complete_steps()

    response = client.post(
        step_url("basics") + "?return=review", {**BASICS, "city": "", "go": "next"}, **HTMX
    )

    assert response.status_code == 422
    assert 'id="id_city_error"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_without_javascript_an_edit_from_the_review_returns_to_the_review(
    client, registrant, complete_steps
):
    complete_steps()
    page = client.get(step_url("areas") + "?return=review").content.decode()
    assert 'action="/onboarding/areas/?return=review"' in page

    response = client.post(step_url("areas") + "?return=review", {"go": "next"})

    assert response["Location"] == step_url("review")


def test_return_to_review_means_nothing_before_the_review_is_reached(client, registrant):
    response = client.post(step_url("basics") + "?return=review", {**BASICS, "go": "next"})

    assert response["Location"] == step_url("contacts")


def test_cancelling_an_edit_in_place_shows_the_answers_again(client, registrant, complete_steps):
    complete_steps()

    response = client.get(step_url("review") + "?section=basics", **HTMX)

    assert response.status_code == 200
    assert 'id="review-section-basics"' in response.content.decode()
    assert "Malmö" in response.content.decode()
    assert "<html" not in response.content.decode()
