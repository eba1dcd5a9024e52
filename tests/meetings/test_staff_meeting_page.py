"""The staff meeting page and its agenda editor: a fixed number of queries whatever the size."""

import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tokens import token_hash
from meetings import services
from meetings.models import AgendaItem, Attendance, Invitation
from tests import factories

pytestmark = pytest.mark.django_db

# The user, its staff flag and whether a second factor is set up come with the session
# (accounts.session_store).
AGENDA_EDIT_QUERIES = 11
AGENDA_ERROR_QUERIES = 4


def _meeting_with(count: int):
    """A scheduled meeting with ``count`` agenda items (each with a presenter), attendance rows
    and answered invitations, half of them a yes not yet recorded as attendance."""
    meeting = factories.MeetingFactory()
    organizations = factories.OrganizationFactory.create_batch(count)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            title=f"Tačka {n}",
            presenter=organization,
            duration_minutes=5,
            is_standing=n % 2 == 0,
        )
        for n, organization in enumerate(organizations)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, organization=organization, people=2)
        for organization in organizations
    )
    guests = factories.OrganizationFactory.create_batch(count)
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            organization=organization,
            email=f"org{n}@m{meeting.pk}.example.org",
            answer=["yes", "no", "maybe"][n % 3],
            people=1,
            token_hash=token_hash(secrets.token_urlsafe(32)),
        )
        for n, organization in enumerate([*organizations, *guests])
    )
    services.add_decision(meeting=meeting, by=None, text="Dogovoreno je.")
    return meeting


def test_staff_meeting_page_runs_the_same_queries_at_5_and_50_rows(
    staff_client, django_assert_num_queries
):
    small, large = _meeting_with(5), _meeting_with(50)
    staff_client.get(reverse("staff_meetings:detail", args=[small.pk]))  # warm the session

    with CaptureQueriesContext(connection) as first:
        response = staff_client.get(reverse("staff_meetings:detail", args=[small.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="agenda-editor__item"') == 5
    with django_assert_num_queries(len(first.captured_queries)):
        response = staff_client.get(reverse("staff_meetings:detail", args=[large.pk]))
    assert response.content.decode().count('class="agenda-editor__item"') == 50


@pytest.mark.parametrize("size", [5, 50])
def test_an_htmx_agenda_edit_gets_the_agenda_fragment_alone_in_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries, size
):
    meeting = _meeting_with(size)
    first, second = meeting.agenda_items.order_by("position")[:2]
    staff_client.get(reverse("staff_meetings:detail", args=[meeting.pk]))  # warm the session
    move = reverse("staff_meetings:agenda_move", args=[meeting.pk, second.pk])

    # the staff session and role checks (the staff flag comes with the user since
    # accounts.backends: one query fewer), the item with its meeting, moving it (8), the agenda
    # with its presenters and the presenter choices (2)
    with django_assert_num_queries(AGENDA_EDIT_QUERIES):
        response = staff_client.post(move, {"direction": "up"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html and 'id="invitation-counts"' not in html
    assert html.count('class="agenda-editor__item"') == size
    assert html.index(second.title + "<") < html.index(first.title + "<")


def test_a_plain_agenda_edit_redirects_to_the_whole_page(staff_client):
    meeting = _meeting_with(5)
    item = meeting.agenda_items.order_by("position").last()

    response = staff_client.post(
        reverse("staff_meetings:agenda_remove", args=[meeting.pk, item.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("staff_meetings:detail", args=[meeting.pk])
    assert meeting.agenda_items.count() == 4


def test_an_invalid_htmx_agenda_item_gets_the_fragment_with_errors_and_a_422(
    staff_client, django_assert_num_queries
):
    meeting = _meeting_with(5)
    staff_client.get(reverse("staff_meetings:detail", args=[meeting.pk]))

    with django_assert_num_queries(AGENDA_ERROR_QUERIES):
        response = staff_client.post(
            reverse("staff_meetings:agenda_add", args=[meeting.pk]),
            {"title": "", "duration_minutes": "-3"},
            HTTP_HX_REQUEST="true",
        )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_title_error"' in html and "<html" not in html
