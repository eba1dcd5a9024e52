"""E-mails and calendar files in each recipient's language and script."""

import pytest
from django.utils import translation

from mail.models import OutgoingEmail
from mail.services import queue_email
from meetings import ics
from tests import factories

pytestmark = pytest.mark.django_db


def _translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["bs", "hr", "sr-latn", "sr", "en"])
def test_an_e_mail_is_written_in_its_recipients_language(language):
    organization = factories.OrganizationFactory(name="Udruženje Ljiljan")

    queue_email(
        to="admin@example.org",
        template="organizations/emails/approved",
        context={"organization": organization, "site_url": "http://testserver"},
        language=language,
    )

    email = OutgoingEmail.objects.get()
    assert email.language == language
    assert _translated(language, "Your public profile:") in email.body_text


def test_the_serbian_cyrillic_e_mail_is_in_cyrillic_and_keeps_names_and_links():
    organization = factories.OrganizationFactory(name="Udruženje Ljiljan")

    queue_email(
        to="admin@example.org",
        template="organizations/emails/approved",
        context={"organization": organization, "site_url": "http://testserver"},
        language="sr",
    )

    email = OutgoingEmail.objects.get()
    profile = _translated("sr", "Your public profile:")
    assert profile != _translated("sr-latn", "Your public profile:")
    assert any("\u0400" <= ch <= "\u04ff" for ch in profile)
    assert "Udruženje Ljiljan" in email.subject  # the organization's own name as written
    assert "http://testserver/" in email.body_text


@pytest.mark.parametrize("language", ["hr", "sr-latn", "sr"])
def test_a_calendar_file_describes_the_meeting_in_the_recipients_language(language):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    meeting = factories.MeetingFactory(
        starts_at=datetime(2020, 8, 5, 18, 0, tzinfo=ZoneInfo("Europe/Sarajevo")),
        ends_at=datetime(2020, 8, 5, 19, 30, tzinfo=ZoneInfo("Europe/Sarajevo")),
    )

    text = ics.meeting_calendar(meeting, language=language).decode().replace("\r\n ", "")

    assert "BEGIN:VCALENDAR" in text
    page = _translated(language, "Meeting page: %(url)s").split("%")[0]
    assert page != "Meeting page: "
    assert page in text.replace("\\", "")
