"""Meetings as a series: audiences that combine and are previewed, the audience a series
remembers for its next meeting, absences twice in a row, standing country liaisons."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from meetings import audiences, invitations, liaisons, series
from meetings.audiences import Audience
from meetings.models import Attendance, AudienceRule, Liaison, Meeting, SeriesLiaison
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


# --- Audiences that combine ----------------------------------------------------------------


def test_an_audience_of_two_countries_reaches_both_and_no_other():
    factories.OrganizationFactory(name="Berlin", country="DE")
    factories.OrganizationFactory(name="Beč", country="AT")
    factories.OrganizationFactory(name="Zürich", country="CH")
    factories.OrganizationFactory(name="Nacrt", country="DE", status="pending")

    found = audiences.organizations([Audience(countries=("AT", "DE"))])

    assert _names(found) == {"Berlin", "Beč"}


def test_kinds_and_countries_combine_as_both_and_picked_organizations_are_added():
    culture = factories.AreaFactory(slug="kultura")
    factories.OrganizationFactory(name="KUD Malmö", country="SE", kind="cultural")
    factories.OrganizationFactory(name="KUD Oslo", country="NO", kind="cultural", areas=[culture])
    factories.OrganizationFactory(name="Sport Oslo", country="NO", kind="sports")
    factories.OrganizationFactory(name="KUD Berlin", country="DE", kind="cultural")
    picked = factories.OrganizationFactory(name="Džemat Beč", country="AT", kind="religious")

    scandinavian_culture = Audience(countries=("DK", "NO", "SE"), kinds=("cultural",))
    with_area = Audience(countries=("NO", "SE"), area_ids=(culture.pk,))

    assert _names(audiences.organizations([scandinavian_culture])) == {"KUD Malmö", "KUD Oslo"}
    assert _names(audiences.organizations([with_area])) == {"KUD Oslo"}
    assert _names(
        audiences.organizations(
            [Audience(kinds=("cultural",), countries=("SE",), organization_ids=(picked.pk,))]
        )
    ) == {"KUD Malmö", "Džemat Beč"}
    assert not audiences.organizations([Audience()]).exists()


def _audience_of(size: int, country: str = "SE"):
    for organization in factories.OrganizationFactory.create_batch(size, country=country):
        factories.ContactFactory(organization=organization)
    return {"countries": [country]}


@pytest.mark.parametrize("size", [5, 50])
def test_the_preview_counts_organizations_and_addresses_in_fixed_queries_and_sends_nothing(
    staff_client, size
):
    meeting = factories.MeetingFactory()
    data = _audience_of(size)
    factories.OrganizationFactory(country="DE")
    url = reverse("staff_meetings:invite_preview", args=[meeting.pk])
    staff_client.post(url, data, **HTMX)  # warm the session

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(url, data, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'data-reach="organizations">{size}<' in body
    assert f'data-reach="addresses">{size * 2}<' in body  # public address + one contact
    assert not meeting.invitations.exists()
    assert len(queries.captured_queries) == PREVIEW_QUERIES


PREVIEW_QUERIES = 6  # the user comes with the session, its staff flag and second factor


def test_the_preview_without_javascript_shows_the_form_with_the_counts(staff_client):
    meeting = factories.MeetingFactory()
    url = reverse("staff_meetings:invite_preview", args=[meeting.pk])

    response = staff_client.post(url, _audience_of(3))
    empty = staff_client.post(url, {})

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="invite"' in body and 'data-reach="organizations">3<' in body
    assert 'data-hx-post="' + url in body
    assert empty.status_code == 422
    assert not meeting.invitations.exists()


def test_inviting_a_combined_audience_invites_it_and_remembers_it_for_the_series(staff_client):
    series_obj = factories.SeriesFactory()
    meeting = factories.MeetingFactory(series=series_obj, number=1)
    factories.OrganizationFactory(name="KUD Malmö", country="SE", kind="cultural")
    factories.OrganizationFactory(name="Sport Malmö", country="SE", kind="sports")

    response = staff_client.post(
        reverse("staff_meetings:invite", args=[meeting.pk]),
        {"countries": ["SE", "NO"], "kinds": ["cultural"]},
    )

    assert response.status_code == 302
    assert _names(Organization.objects.filter(meeting_invitations__meeting=meeting)) == {
        "KUD Malmö"
    }
    remembered = audiences.remembered(series_obj)
    assert remembered.meeting == meeting
    assert remembered.audiences == [Audience(countries=("NO", "SE"), kinds=("cultural",))]


# --- The next meeting with the series' audience -------------------------------------------


@pytest.fixture
def invited_series():
    """A series whose last meeting invited the organizations of Sweden a day ago; a Danish
    organization was approved since, a German one long before."""
    series_obj = factories.SeriesFactory()
    meeting = factories.MeetingFactory(series=series_obj, number=1)
    old = timezone.now() - timedelta(days=30)
    swedish = factories.OrganizationFactory(name="Malmö", country="SE", approved_at=old)
    factories.OrganizationFactory(name="Njemačko udruženje", country="DE", approved_at=old)
    audiences.invite_audiences(meeting, [Audience(countries=("SE",))], by=None)
    AudienceRule.objects.update(created_at=timezone.now() - timedelta(days=1))
    danish = factories.OrganizationFactory(name="København", country="DK")
    return meeting, swedish, danish


def test_schedule_the_next_one_proposes_the_same_audience_and_the_newly_approved(
    staff_client, invited_series
):
    meeting, _swedish, danish = invited_series

    response = staff_client.get(reverse("staff_meetings:next", args=[meeting.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Švedska" in body or "Sweden" in body
    assert f'value="{danish.pk}"' in body and "checked" in body
    assert "Njemačko udruženje" not in body.split('id="schedule-next-form"', 1)[1]


def test_one_confirmation_schedules_the_next_one_and_invites_its_audience_through_the_task(
    staff_client, invited_series, django_capture_on_commit_callbacks, monkeypatch
):
    meeting, swedish, danish = invited_series
    enqueued = []
    monkeypatch.setattr(invitations, "enqueue_sending", enqueued.append)
    start = timezone.localtime(timezone.now() + timedelta(days=40), meeting.zone)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("staff_meetings:next", args=[meeting.pk]),
            {
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "added": [danish.pk],
                "action": "schedule",
            },
        )

    next_meeting = Meeting.objects.get(series=meeting.series, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_meetings:detail", args=[next_meeting.pk])
    assert next_meeting.status == Meeting.Status.SCHEDULED
    assert set(next_meeting.invitations.values_list("organization", flat=True)) == {
        swedish.pk,
        danish.pk,
    }
    assert not next_meeting.invitations.exclude(mail_pending="request").exists()
    assert enqueued == [next_meeting.pk]  # the fan-out task, not the request
    assert not OutgoingEmail.objects.exists()
    # and the series now remembers the audience with the added organization
    assert audiences.remembered(meeting.series).meeting == next_meeting


def test_a_draft_next_meeting_invites_nobody(staff_client, invited_series):
    meeting, _swedish, _danish = invited_series
    start = timezone.localtime(timezone.now() + timedelta(days=40), meeting.zone)

    staff_client.post(
        reverse("staff_meetings:next", args=[meeting.pk]),
        {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "action": "draft"},
    )

    next_meeting = Meeting.objects.get(series=meeting.series, number=2)
    assert next_meeting.status == Meeting.Status.DRAFT
    assert not next_meeting.invitations.exists()


def test_a_past_start_is_refused_next_to_the_field(staff_client, invited_series):
    meeting, _swedish, _danish = invited_series

    response = staff_client.post(
        reverse("staff_meetings:next", args=[meeting.pk]),
        {"starts_at": "2020-01-01T18:00", "action": "schedule"},
    )

    assert response.status_code == 422
    assert Meeting.objects.filter(series=meeting.series).count() == 1


# --- Absent twice in a row ---------------------------------------------------------------


def _held(series_obj, number: int, organizations, attended=()) -> Meeting:
    meeting = factories.MeetingFactory(
        series=series_obj,
        number=number,
        status="held",
        starts_at=timezone.now() - timedelta(days=60 - number * 10),
    )
    for organization in organizations:
        meeting.invitations.create(
            organization=organization,
            email=f"{organization.slug}@m{number}.example",
            token_hash=f"{number}-{organization.pk}",
        )
    Attendance.objects.bulk_create(Attendance(meeting=meeting, organization=o) for o in attended)
    return meeting


def _series_with_absences(size: int):
    series_obj = factories.SeriesFactory(slug=f"serija-{size}", name=f"Serija {size}")
    absent = factories.OrganizationFactory.create_batch(size, city="Odsutno")
    came = factories.OrganizationFactory(name="Došli jednom")
    _held(series_obj, 1, [*absent, came])
    _held(series_obj, 2, [*absent, came], attended=[came])
    return factories.MeetingFactory(series=series_obj, number=3), absent, came


def test_the_staff_page_lists_who_was_invited_twice_and_came_to_neither(staff_client):
    upcoming, absent, came = _series_with_absences(2)

    body = staff_client.get(reverse("staff_meetings:detail", args=[upcoming.pk])).content
    section = body.decode().split('id="absent-twice"', 1)[1].split("</section>", 1)[0]

    assert all(organization.name in section for organization in absent)
    assert came.name not in section
    assert series.absent_twice(factories.MeetingFactory()) == []


def test_the_staff_meeting_page_of_a_series_runs_the_same_queries_at_5_and_50(
    staff_client, django_assert_num_queries
):
    small, _absent, _came = _series_with_absences(5)
    large, _absent, _came = _series_with_absences(50)
    for meeting in (small, large):
        audiences.invite_audiences(meeting, [Audience(everyone=True)], by=None)
    staff_client.get(reverse("staff_meetings:detail", args=[small.pk]))  # warm the session

    with CaptureQueriesContext(connection) as first:
        staff_client.get(reverse("staff_meetings:detail", args=[small.pk]))
    with django_assert_num_queries(len(first.captured_queries)):
        response = staff_client.get(reverse("staff_meetings:detail", args=[large.pk]))
    section = response.content.decode().split('id="absent-twice"', 1)[1].split("</section>")[0]
    assert section.count("(Odsutno, DE)") == 50


# --- Standing country liaisons ------------------------------------------------------------


def _admin_in(country: str):
    return factories.MembershipFactory(
        organization=factories.OrganizationFactory(country=country), role="admin"
    ).user


def test_staff_name_a_standing_liaison_only_from_the_admins_of_that_country(staff_client):
    series_obj = factories.SeriesFactory()
    swedish_admin = _admin_in("SE")
    url = reverse("staff_meetings:series_liaison_add", args=[series_obj.pk])

    refused = staff_client.post(url, {"country": "DE", "email": swedish_admin.email})
    named = staff_client.post(url, {"country": "SE", "email": swedish_admin.email})
    page = staff_client.get(reverse("staff_meetings:series", args=[series_obj.pk]))

    assert refused.status_code == 422
    assert named.status_code == 302
    assert list(SeriesLiaison.objects.values_list("country", "user")) == [("SE", swedish_admin.pk)]
    assert swedish_admin.email in page.content.decode()


def test_a_liaison_carried_over_answers_for_their_country_at_the_next_check_in(
    client, invited_series
):
    meeting, swedish, danish = invited_series
    liaison = _admin_in("SE")
    liaisons.name_standing_liaison(series=meeting.series, country="SE", user=liaison, by=None)
    next_meeting, _created = series.schedule_next_with_audience(
        meeting=meeting, by=None, starts_at=timezone.now() + timedelta(days=30), added=[danish]
    )
    invitation = next_meeting.invitations.filter(organization=swedish).first()
    invitations.record_answer(invitation, answer="yes", people=2, comment="Dolazimo", by=None)
    goteborg = factories.OrganizationFactory(name="Göteborg", country="SE")  # approved since
    client.force_login(liaison)
    url = reverse("meetings:liaison", args=[next_meeting.slug])

    page = client.get(url).content.decode()
    foreign = client.post(url, {"organizations": [danish.pk]})
    own = client.post(url, {"organizations": [goteborg.pk]})

    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Dolazimo" in main and "Malmö" in main
    assert "København" not in main  # another country's answers stay hidden
    assert "@" not in main
    assert foreign.status_code == 422
    assert own.status_code == 302
    assert next_meeting.invitations.filter(organization=goteborg).exists()


def test_a_removed_standing_liaison_no_longer_reaches_the_series_meetings(staff_client):
    series_obj = factories.SeriesFactory()
    meeting = factories.MeetingFactory(series=series_obj, number=1)
    liaison = _admin_in("SE")
    standing = liaisons.name_standing_liaison(
        series=series_obj, country="SE", user=liaison, by=None
    )
    client = Client()
    client.force_login(liaison)
    url = reverse("meetings:liaison", args=[meeting.slug])
    assert client.get(url).status_code == 200

    staff_client.post(
        reverse("staff_meetings:series_liaison_remove", args=[series_obj.pk, standing.pk])
    )

    assert client.get(url).status_code == 403


def test_the_data_migration_makes_meeting_liaisons_of_a_series_standing_ones():
    migration = importlib.import_module(
        "meetings.migrations.0008_standing_liaisons_from_meeting_liaisons"
    )
    series_obj = factories.SeriesFactory()
    in_series = factories.MeetingFactory(
        series=series_obj, number=1, scope="country", host_country="CH"
    )
    alone = factories.MeetingFactory(scope="country", host_country="AT")
    volunteer, other = factories.UserFactory(), factories.UserFactory()
    Liaison.objects.create(meeting=in_series, user=volunteer)
    Liaison.objects.create(meeting=alone, user=other)

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing doubles

    assert list(SeriesLiaison.objects.values_list("series", "country", "user")) == [
        (series_obj.pk, "CH", volunteer.pk)
    ]
    assert Liaison.objects.count() == 2  # nothing lost
    later = factories.MeetingFactory(
        series=series_obj, number=2, scope="country", host_country="CH"
    )
    assert liaisons.liaison_countries(volunteer, later) == ["CH"]
    assert liaisons.liaison_countries(other, alone) == ["AT"]


def test_a_standing_liaison_is_in_the_users_copy_and_goes_with_erasure():
    from meetings import personal_data

    series_obj = factories.SeriesFactory()
    liaison = _admin_in("SE")
    liaisons.name_standing_liaison(series=series_obj, country="SE", user=liaison, by=None)

    copy = personal_data.export_user(liaison)
    personal_data.erase_user(liaison)

    assert copy["standing_country_liaisons"][0]["country"] == "SE"
    assert not SeriesLiaison.objects.exists()
