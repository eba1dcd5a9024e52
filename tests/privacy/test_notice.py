"""The privacy notice in force says what the portal keeps, for how long, in every language; the
earlier version stays readable at its own address for the consents given to it."""

import pytest
from django.conf import settings
from django.urls import reverse

from privacy.notice import CURRENT_VERSION, VERSIONS

pytestmark = pytest.mark.django_db

ROSTER = {
    "bs": "Lista stručnjaka",
    "en": "The expert roster",
    "hr": "Popis stručnjaka",
    "sr-latn": "Lista stručnjaka",
    "sr": "Листа стручњака",
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_notice_in_force_names_the_roster_and_how_long_messages_to_experts_stay(
    client, language, settings
):
    settings.EXPERTS_CONTACT_RETENTION_DAYS = 123
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("privacy:notice")).content.decode()

    assert ROSTER[language] in page
    assert "123" in page


def test_the_earlier_version_stays_readable_without_the_roster(client):
    earlier = sorted(VERSIONS)[0]
    assert earlier != CURRENT_VERSION

    response = client.get(reverse("privacy:notice_version", args=[earlier]))

    assert response.status_code == 200
    assert "Lista stručnjaka" not in response.content.decode()
