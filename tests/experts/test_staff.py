"""Staff search the roster, read an entry (logged), invite an expert to a meeting once, and
keep the fields of expertise."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from experts.models import Expertise, MeetingInvitation
from mail.models import OutgoingEmail
from tests import factories

from .conftest import EXPERT_EMAIL, make_expert

pytestmark = pytest.mark.django_db

LIST = reverse("staff_experts:list")


def _names(response) -> str:
    return response.content.decode()


def test_staff_search_by_field_of_expertise(staff_client, expert, staff_only_expert):
    page = _names(staff_client.get(LIST, {"expertise": "engineering"}))

    assert staff_only_expert.name in page
    assert expert.name not in page


def test_staff_search_by_country(staff_client, expert, staff_only_expert):
    page = _names(staff_client.get(LIST, {"country": "AT"}))

    assert expert.name in page
    assert staff_only_expert.name not in page


def test_staff_search_by_language_and_availability(staff_client, expert, staff_only_expert):
    by_language = _names(staff_client.get(LIST, {"language": "sv"}))
    by_availability = _names(staff_client.get(LIST, {"availability": "mentoring"}))

    assert staff_only_expert.name in by_language and expert.name not in by_language
    assert expert.name in by_availability and staff_only_expert.name not in by_availability


def test_staff_free_text_search_ignores_diacritics(staff_client, expert, staff_only_expert):
    page = _names(staff_client.get(LIST, {"q": "hodzic kardio"}))

    assert expert.name in page
    assert staff_only_expert.name not in page


def test_an_expert_who_changes_their_name_is_found_by_the_new_one(staff_client, expert):
    person = Client()
    person.force_login(expert.user)
    saved = person.post(reverse("account_overview"), {"full_name": "Lejla Begić", "language": "bs"})
    assert saved.status_code == 302

    assert "Lejla Begić" in _names(staff_client.get(LIST, {"q": "begic"}))
    assert "Lejla Begić" not in _names(staff_client.get(LIST, {"q": "hodzic"}))


def test_a_bad_filter_answers_422_with_a_message(staff_client, expert):
    response = staff_client.get(LIST, {"country": "XX"})

    assert response.status_code == 422
    assert "Odaberite vrijednost s liste." in response.content.decode()


def test_staff_reads_of_the_roster_are_in_the_audit_log(staff_client, staff_user_with_mfa, expert):
    staff_client.get(LIST, {"country": "AT"})
    staff_client.get(reverse("staff_experts:detail", args=[expert.pk]))

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.action, e.object_id) for e in entries] == [
        (AuditEntry.Action.VIEW_CONTACTS, ""),
        (AuditEntry.Action.VIEW_CONTACTS, str(expert.pk)),
    ]
    assert entries[0].path.endswith("?country=AT")
    assert all(e.actor == staff_user_with_mfa for e in entries)
    assert expert.name not in entries[1].object_label


def test_staff_pages_never_show_the_experts_address(staff_client, expert):
    for path in (LIST, reverse("staff_experts:detail", args=[expert.pk])):
        assert EXPERT_EMAIL not in staff_client.get(path).content.decode()


def test_the_staff_list_runs_the_same_number_of_queries_for_2_and_12_experts(
    staff_client, fields, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(2):
        make_expert(fields=fields, full_name=f"Stručnjak {number}")
    staff_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(LIST)
    for number in range(10):
        make_expert(fields=fields, full_name=f"Stručnjakinja {number}")
    with django_assert_num_queries(len(few)):
        staff_client.get(LIST)


def test_inviting_an_expert_twice_to_a_meeting_sends_one_email(staff_client, expert):
    meeting = factories.MeetingFactory(title="Online check-in Beč")
    url = reverse("staff_experts:invite", args=[expert.pk])

    first = staff_client.post(url, {"meeting": meeting.pk})
    second = staff_client.post(url, {"meeting": meeting.pk})

    assert first.status_code == second.status_code == 302
    assert MeetingInvitation.objects.filter(expert=expert, meeting=meeting).count() == 1
    email = OutgoingEmail.objects.get(to=EXPERT_EMAIL)
    assert email.template == "experts/emails/invitation"
    assert f"/meetings/{meeting.slug}/" in email.body_text
    assert f"/meetings/{meeting.slug}/calendar.ics" in email.body_text


def test_experts_are_invited_only_to_scheduled_meetings_ahead(staff_client, expert):
    past = factories.MeetingFactory(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
        status="held",
    )

    response = staff_client.post(
        reverse("staff_experts:invite", args=[expert.pk]), {"meeting": past.pk}
    )

    assert response.status_code == 422
    assert not MeetingInvitation.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_staff_add_a_field_of_expertise_named_in_every_language(staff_client):
    response = staff_client.post(
        reverse("staff_experts:field_new"),
        {"slug": "medicine", "position": 1, "name_bs": "Medicina", "name_en": "Medicine"},
    )

    assert response.status_code == 302
    assert Expertise.objects.get().names == {"bs": "Medicina", "en": "Medicine"}
