"""Once a registration is submitted, its draft keeps no personal data the organization holds."""

import json

import pytest

from onboarding.models import Registration

from .conftest import step_url

pytestmark = pytest.mark.django_db


def test_a_submitted_registration_keeps_no_typed_contacts(client, registrant, complete_steps):
    complete_steps()

    client.post(step_url("review"), {"go": "next"})

    registration = Registration.objects.get(user=registrant)
    assert registration.submitted_at is not None
    stored = json.dumps(registration.data, ensure_ascii=False)
    for typed in ["Amra Hodžić", "amra@ubm.example", "info@ubm.example", "chat.whatsapp.com"]:
        assert typed not in stored
    # what only the registration says (the wishes staff read) stays
    assert registration.data["areas"]["wishes"] == ["events"]


def test_staff_still_see_the_wishes_of_a_submitted_registration(client, registrant, complete_steps):
    from onboarding.templatetags.onboarding_staff import registration_note

    complete_steps()
    client.post(step_url("review"), {"go": "next"})
    organization = Registration.objects.get(user=registrant).organization

    assert len(registration_note(organization)["wishes"]) == 1
