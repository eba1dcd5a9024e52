from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import ActionItem, Meeting
from tests import factories

SARAJEVO = ZoneInfo("Europe/Sarajevo")


def _held_meeting_with_minutes(*, publish=True):
    series = factories.SeriesFactory()
    meeting = factories.MeetingFactory(
        series=series,
        number=services.next_number(series),
        starts_at=datetime(2020, 8, 5, 18, 0, tzinfo=SARAJEVO),
        ends_at=datetime(2020, 8, 5, 19, 30, tzinfo=SARAJEVO),
        status="held",
        staff_notes="SECRET-STAFF-NOTE",
    )
    organization = factories.OrganizationFactory(name="Udruženje Ljiljan Minhen")
    services.add_agenda_item(meeting=meeting, by=None, title="Digitalni Radni Prostor")
    services.record_attendance(
        meeting=meeting, by=None, organization=organization, people=3, note="SECRET-ATTENDANCE"
    )
    services.save_minutes(
        meeting=meeting,
        by=None,
        summaries={"bs": "Dogovoren je dnevni kanal <script>alert(1)</script>", "en": "Agreed."},
    )
    services.add_decision(meeting=meeting, by=None, text="Nastaviti sa sastancima.")
    item = services.add_action_item(
        meeting=meeting, by=None, text="Pripremiti Onboarding", responsible=organization
    )
    if publish:
        services.publish_minutes(meeting=meeting, by=None)
    return meeting, organization, item


# --- Services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_changing_the_time_raises_the_sequence_but_a_description_change_does_not():
    meeting = factories.MeetingFactory()

    meeting = services.update_meeting(meeting=meeting, by=None, description="Novi opis")
    assert meeting.sequence == 0
    meeting = services.update_meeting(
        meeting=meeting,
        by=None,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )
    assert meeting.sequence == 1
    meeting = services.cancel_meeting(meeting=meeting, by=None)
    assert meeting.sequence == 2


@pytest.mark.django_db
def test_only_allowed_status_transitions_happen():
    meeting = factories.MeetingFactory(status="draft")

    with pytest.raises(ValidationError):
        services.mark_meeting_held(meeting=meeting, by=None)
    services.cancel_meeting(meeting=meeting, by=None)
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting=meeting, by=None)
    meeting = services.schedule_meeting(meeting=meeting, by=None)
    assert meeting.status == "scheduled"


@pytest.mark.django_db
def test_a_meeting_cannot_be_marked_held_before_it_starts():
    meeting = factories.MeetingFactory(status="scheduled")

    with pytest.raises(ValidationError):
        services.mark_meeting_held(meeting=meeting, by=None)
    held = services.mark_meeting_held(meeting=meeting, by=None, now=meeting.starts_at)
    assert held.status == "held"


@pytest.mark.django_db
def test_an_invalid_time_zone_is_refused():
    with pytest.raises(ValidationError):
        services.create_meeting(
            by=None,
            title="X",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            time_zone="Mars/Olympus",
        )


@pytest.mark.django_db
def test_agenda_overrun_is_the_time_past_the_end():
    meeting = factories.MeetingFactory()  # 90 minutes
    services.add_agenda_item(meeting=meeting, by=None, title="A", duration_minutes=60)
    assert services.agenda_overrun(meeting) is None

    services.add_agenda_item(meeting=meeting, by=None, title="B", duration_minutes=45)

    assert services.agenda_overrun(meeting) == timedelta(minutes=15)


@pytest.mark.django_db
def test_reordering_puts_the_agenda_in_the_given_order():
    meeting = factories.MeetingFactory()
    a = services.add_agenda_item(meeting=meeting, by=None, title="A")
    b = services.add_agenda_item(meeting=meeting, by=None, title="B")

    services.move_agenda_item(item=b, by=None, offset=-1)

    assert [i.title for i in meeting.agenda_items.all()] == ["B", "A"]
    with pytest.raises(ValidationError):
        services.reorder_agenda_items(meeting=meeting, by=None, order=[a.pk])


@pytest.mark.django_db
def test_next_meeting_carries_standing_unreached_items_and_open_actions():
    meeting, organization, action = _held_meeting_with_minutes()
    services.add_agenda_item(meeting=meeting, by=None, title="Uvod", is_standing=True)
    unreached = services.add_agenda_item(meeting=meeting, by=None, title="Nedovršeno")
    services.save_minutes(meeting=meeting, by=None, summaries={}, not_reached={unreached.pk})
    done = services.add_action_item(meeting=meeting, by=None, text="Gotovo")
    services.set_action_item_status(item=done, by=None, status="done")

    following = services.schedule_next_meeting(meeting=meeting, by=None)

    assert following.number == meeting.number + 1
    assert following.status == "draft"
    assert following.starts_at > timezone.now()
    titles = [item.title for item in following.agenda_items.all()]
    assert "Uvod" in titles
    assert "Nedovršeno" in titles
    assert "Digitalni Radni Prostor" not in titles
    assert any("Pripremiti Onboarding" in title for title in titles)
    assert not any("Gotovo" in title for title in titles)
    action.refresh_from_db()
    assert action.carried_into.meeting == following


@pytest.mark.django_db
def test_minutes_of_a_meeting_not_held_cannot_be_published():
    meeting = factories.MeetingFactory(status="scheduled")
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": "Tekst"})

    with pytest.raises(ValidationError):
        services.publish_minutes(meeting=meeting, by=None)


# --- Calendar -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_meeting_ics_parses_back_with_uid_sequence_utc_times_and_url(client):
    meeting = factories.MeetingFactory(
        starts_at=datetime(2030, 8, 5, 18, 0, tzinfo=SARAJEVO),
        ends_at=datetime(2030, 8, 5, 19, 30, tzinfo=SARAJEVO),
    )
    meeting = services.update_meeting(meeting=meeting, by=None, place="Sarajevo")

    response = client.get(reverse("meetings:ics", args=[meeting.slug]))

    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.ical_uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2030, 8, 5, 16, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2030, 8, 5, 17, 30, tzinfo=UTC)
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert meeting.video_url not in response.content.decode()  # invitees only
    assert str(event["STATUS"]) == "CONFIRMED"


@pytest.mark.django_db
def test_feed_shows_cancelled_meetings_as_cancelled_and_leaves_drafts_out(client):
    cancelled = factories.MeetingFactory()
    services.cancel_meeting(meeting=cancelled, by=None)
    draft = factories.MeetingFactory(status="draft")

    response = client.get(reverse("meetings:feed"))

    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert str(events[cancelled.ical_uid]["STATUS"]) == "CANCELLED"
    assert draft.ical_uid not in events


# --- Public pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_published_summary_shows_decisions_and_current_action_status_but_no_private_data(client):
    meeting, _organization, item = _held_meeting_with_minutes()
    services.set_action_item_status(item=item, by=None, status="done")

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "Dogovoren je dnevni kanal" in html
    assert "Nastaviti sa sastancima." in html
    assert "Pripremiti Onboarding" in html
    assert "Završeno" in html or "Done" in html
    assert "<script>alert(1)</script>" not in html
    assert "SECRET-STAFF-NOTE" not in html
    assert "SECRET-ATTENDANCE" not in html


@pytest.mark.django_db
def test_unpublished_minutes_and_drafts_stay_private(client):
    meeting, _organization, _item = _held_meeting_with_minutes(publish=False)
    draft = factories.MeetingFactory(status="draft")

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "Dogovoren je dnevni kanal" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:ics", args=[draft.slug])).status_code == 404


@pytest.mark.django_db
def test_meeting_page_shows_the_organizer_zone_and_utc_datetime(client):
    meeting = factories.MeetingFactory(
        starts_at=datetime(2030, 8, 5, 18, 0, tzinfo=SARAJEVO),
        ends_at=datetime(2030, 8, 5, 19, 30, tzinfo=SARAJEVO),
    )

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert 'datetime="2030-08-05T16:00:00Z"' in html
    assert "Europe/Sarajevo" in html
    assert "18:00" in html
    assert "calendar.google.com" in html
    assert "outlook.office.com" in html


@pytest.mark.django_db
def test_archive_finds_summaries_without_diacritics_and_filters_by_year(client):
    meeting, _organization, _item = _held_meeting_with_minutes()

    found = client.get(reverse("meetings:index"), {"q": "dogovoren dnevni"})
    missing = client.get(reverse("meetings:index"), {"q": "nepostojece"})
    bad_year = client.get(reverse("meetings:index"), {"year": "1999"})

    assert meeting.title in found.content.decode()
    assert (
        "Nijedan sažetak" in missing.content.decode()
        or meeting.title not in missing.content.decode()
    )
    assert bad_year.status_code == 422


@pytest.mark.django_db
def test_archive_and_meeting_page_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    meeting, _organization, _item = _held_meeting_with_minutes()
    client.get(reverse("meetings:index"))
    with django_assert_num_queries(6) as first:
        client.get(reverse("meetings:index"))
    with django_assert_num_queries(5):
        client.get(meeting.get_absolute_url())
    for _ in range(3):
        _held_meeting_with_minutes()
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("meetings:index"))


@pytest.mark.django_db
def test_organization_profile_lists_its_action_items(client):
    _meeting, organization, _item = _held_meeting_with_minutes()

    html = client.get(organization.get_absolute_url()).content.decode()

    assert "Pripremiti Onboarding" in html


@pytest.mark.django_db
def test_api_lists_published_summaries_without_private_fields(client):
    meeting, _organization, _item = _held_meeting_with_minutes()
    unpublished, _o, _i = _held_meeting_with_minutes(publish=False)

    data = client.get("/api/v1/meetings/").json()

    slugs = [row["slug"] for row in data["results"]]
    assert meeting.slug in slugs
    assert unpublished.slug not in slugs
    text = str(data)
    assert "SECRET" not in text
    summaries = [s for row in data["results"] for s in row["minutes"]["summaries"]]
    assert summaries
    assert all("<script>" not in summary["html"] for summary in summaries)


@pytest.mark.django_db
def test_api_names_a_responsible_organization_only_while_it_is_listed(client):
    meeting, organization, _item = _held_meeting_with_minutes()

    def responsible():
        data = client.get(f"/api/v1/meetings/{meeting.slug}/").json()
        return [item["responsible"] for item in data["minutes"]["action_items"]]

    assert responsible() == [organization.slug]
    organization.status = "archived"
    organization.save(update_fields=["status"])
    # As on the page: the name stays in the record, no link to a profile nobody can open.
    assert responsible() == [None]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Udruženje Ljiljan Minhen" in page
    assert f'href="{organization.get_absolute_url()}"' not in page


# --- Staff pages ---------------------------------------------------------------------------


STAFF_URLS = [
    ("staff_meetings:list", False),
    ("staff_meetings:create", False),
    ("staff_meetings:actions", False),
    ("staff_meetings:detail", True),
    ("staff_meetings:edit", True),
    ("staff_meetings:minutes", True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "with_pk"), STAFF_URLS)
def test_staff_pages_refuse_visitors_users_and_org_admins(client, name, with_pk):
    meeting = factories.MeetingFactory()
    url = reverse(name, args=[meeting.pk] if with_pk else [])

    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    admin = factories.MembershipFactory(role="admin").user
    client.force_login(admin)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "with_pk"), STAFF_URLS)
def test_staff_reach_every_meetings_page(staff_client, name, with_pk):
    meeting, _organization, _item = _held_meeting_with_minutes()

    response = staff_client.get(reverse(name, args=[meeting.pk] if with_pk else []))

    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_create_a_meeting_in_the_organizers_zone(staff_client):
    response = staff_client.post(
        reverse("staff_meetings:create"),
        {
            "kind": "check_in",
            "title": "4. Diaspora Online Check-In",
            "time_zone": "America/Chicago",
            "starts_at": "2030-03-01T11:00",
            "ends_at": "2030-03-01T12:00",
            "scope": "everyone",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(title="4. Diaspora Online Check-In")
    assert meeting.starts_at == datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
    assert meeting.status == "draft"


@pytest.mark.django_db
def test_invalid_meeting_form_is_a_422_with_errors_next_to_fields(staff_client):
    response = staff_client.post(
        reverse("staff_meetings:create"),
        {
            "kind": "check_in",
            "title": "X",
            "time_zone": "Europe/Sarajevo",
            "starts_at": "2030-03-01T11:00",
            "ends_at": "2030-03-01T10:00",
            "scope": "country",
        },
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_ends_at_error"' in html
    assert 'id="id_host_country_error"' in html


@pytest.mark.django_db
def test_staff_add_agenda_items_with_htmx_and_without(staff_client):
    meeting = factories.MeetingFactory()
    url = reverse("staff_meetings:agenda_add", args=[meeting.pk])

    plain = staff_client.post(url, {"title": "Uvod"})
    partial = staff_client.post(
        url, {"title": "MURAL", "duration_minutes": "200"}, HTTP_HX_REQUEST="true"
    )

    assert plain.status_code == 302
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'id="agenda-overrun"' in partial.content.decode()
    assert [i.title for i in meeting.agenda_items.all()] == ["Uvod", "MURAL"]
    invalid = staff_client.post(url, {"title": ""}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 422


@pytest.mark.django_db
def test_staff_write_and_publish_minutes(staff_client, client):
    meeting = factories.MeetingFactory(status="held", starts_at=timezone.now() - timedelta(days=1))
    item = services.add_agenda_item(meeting=meeting, by=None, title="Kanali")

    staff_client.post(
        reverse("staff_meetings:minutes", args=[meeting.pk]),
        {
            "language": "bs",
            "summary_bs": "Sažetak sastanka",
            "summary_en": "",
            f"notes_{item.pk}": "Bilješka",
        },
    )
    staff_client.post(
        reverse("staff_meetings:decision_add", args=[meeting.pk]),
        {"decision-text": "Dogovoreno je"},
    )
    staff_client.post(
        reverse("staff_meetings:action_add", args=[meeting.pk]),
        {"action-text": "Otvoriti WhatsApp grupu"},
    )
    response = staff_client.post(reverse("staff_meetings:publish", args=[meeting.pk]))

    assert response.status_code == 302
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Sažetak sastanka" in html
    assert "Dogovoreno je" in html
    assert "Otvoriti WhatsApp grupu" in html
    assert "Bilješka" in html
    assert ActionItem.objects.get().responsible is None


@pytest.mark.django_db
def test_seed_demo_meetings_are_idempotent_and_hold_the_report():
    from meetings.demo import ensure_demo_meetings
    from organizations.demo import ensure_demo_organizations

    ensure_demo_organizations()
    ensure_demo_meetings()
    first, second, third = ensure_demo_meetings()

    assert Meeting.objects.count() == 3
    assert second.starts_at.date().isoformat() == "2020-08-05"
    assert second.minutes.is_published
    assert "WhatsApp" in second.minutes.summary_in("bs")
    assert second.attendances.count() == 4
    assert second.action_items.count() == 4
    assert third.status == "scheduled" and third.starts_at > timezone.now()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "user", "org_admin", "staff"])
def test_public_meeting_urls_answer_everyone_alike(client, role):
    meeting, _organization, _item = _held_meeting_with_minutes()
    if role == "user":
        client.force_login(factories.UserFactory())
    elif role == "org_admin":
        client.force_login(factories.MembershipFactory(role="admin").user)
    elif role == "staff":
        staff = factories.StaffUserFactory()
        factories.log_in_with_totp(client, staff, factories.activate_totp(staff))
    urls = [
        reverse("meetings:index"),
        reverse("meetings:feed"),
        meeting.get_absolute_url(),
        reverse("meetings:ics", args=[meeting.slug]),
        "/api/v1/meetings/",
        f"/api/v1/meetings/{meeting.slug}/",
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"SECRET-ATTENDANCE" not in response.content, url
        assert b"SECRET-STAFF-NOTE" not in response.content, url


@pytest.mark.django_db
def test_meetings_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert "/api/v1/meetings/" in schema["paths"]
    assert "/api/v1/meetings/{slug}/" in schema["paths"]


def _meeting_form(zone, starts_at, ends_at):
    return {
        "kind": "check_in",
        "title": "Check-In na dan pomjeranja sata",
        "time_zone": zone,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "scope": "everyone",
    }


@pytest.mark.django_db
def test_a_time_missing_in_sarajevo_but_not_in_the_organizers_zone_is_accepted(staff_client):
    # 02:30 on 28 March 2027 does not exist in Sarajevo (the clocks go from 02:00 to 03:00);
    # in New York, on summer time since 14 March, it is 06:30 UTC
    response = staff_client.post(
        reverse("staff_meetings:create"),
        _meeting_form("America/New_York", "2027-03-28T02:30", "2027-03-28T03:30"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2027, 3, 28, 6, 30, tzinfo=UTC)
    assert meeting.ends_at == datetime(2027, 3, 28, 7, 30, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "day"), [("America/New_York", "2027-03-14"), ("Europe/Sarajevo", "2027-03-28")]
)
def test_a_time_missing_in_the_organizers_zone_is_a_422_next_to_the_field(staff_client, zone, day):
    response = staff_client.post(
        reverse("staff_meetings:create"), _meeting_form(zone, f"{day}T02:30", f"{day}T04:00")
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_starts_at_error"' in html
    assert zone in html.split('id="id_starts_at_error"', 1)[1].split("</", 1)[0]
    assert not Meeting.objects.exists()
