import pytest
from django.urls import reverse

from tests import factories

BASICS = {
    "name": "Udruženje Bosanaca Malmö",
    "kind": "cultural",
    "country": "SE",
    "city": "Malmö",
    "founding_year": "1995",
    "website": "",
    "public_email": "info@ubm.example",
    "public_phone": "",
    "description": "Kulturno udruženje.",
    "size": "",
    "preferred_language": "bs",
}

CONTACTS = {
    "channels-TOTAL_FORMS": "1",
    "channels-INITIAL_FORMS": "0",
    "channels-0-kind": "whatsapp",
    "channels-0-value": "https://chat.whatsapp.com/ubm",
    "channels-0-visibility": "public",
    "contacts-TOTAL_FORMS": "1",
    "contacts-INITIAL_FORMS": "0",
    "contacts-0-name": "Amra Hodžić",
    "contacts-0-role": "Predsjednica",
    "contacts-0-email": "amra@ubm.example",
    "contacts-0-phone": "",
}

CONSENT = {"public_profile": "on", "data_processing": "on"}


def step_url(step):
    return reverse("onboarding:step", kwargs={"step": step})


@pytest.fixture
def registrant(client, db):
    user = factories.UserFactory(email="amra@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def complete_steps(client):
    """Post every step up to the review with valid data."""

    def run(areas=None, basics=None):
        area = areas or factories.AreaFactory(slug="kultura")
        for step, data in [
            ("basics", {**BASICS, **(basics or {})}),
            ("contacts", CONTACTS),
            ("areas", {"areas": [area.pk], "languages": ["bs", "sv"], "wishes": ["events"]}),
            ("consent", CONSENT),
        ]:
            response = client.post(step_url(step), {**data, "go": "next"})
            assert response.status_code == 302, (step, response.content.decode()[:3000])
        return area

    return run
