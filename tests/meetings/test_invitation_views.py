"""Invitation pages per role: staff, the RSVP link, members, another organization's admin,
the country liaison and visitors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import invitations, liaisons, rsvp_links
from meetings.models import Invitation
from onboarding.models import ChecklistItem
from organizations.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


def _invited(meeting=None, **organization):
    meeting = meeting or factories.MeetingFactory()
    org = factories.OrganizationFactory(**organization)
    invitations.invite(meeting, Organization.objects.filter(pk=org.pk), by=None)
    invitation = Invitation.objects.get(meeting=meeting, organization=org)
    token = rsvp_links.rsvp_url(invitation).rsplit("/rsvp/", 1)[1].strip("/")
    return meeting, org, invitation, token


# --- Staff ---------------------------------------------------------------------------------


def test_staff_invite_an_audience_by_country_and_see_the_counts(staff_client):
    meeting = factories.MeetingFactory()
    swedish = factories.OrganizationFactory(country="SE")
    factories.OrganizationFactory(country="DE")

    response = staff_client.post(
        reverse("staff_meetings:invite", args=[meeting.pk]),
        {"countries": ["SE"]},
    )

    assert response.status_code == 302
    assert list(meeting.invitations.values_list("organization", flat=True)) == [swedish.pk]
    counts = staff_client.get(reverse("staff_meetings:invitation_counts", args=[meeting.pk]))
    assert counts.status_code == 200
    assert 'data-hx-trigger="every 3s"' in counts.content.decode()
    assert 'data-count="invited">1' in counts.content.decode()


def test_the_invite_form_reports_an_empty_audience(staff_client):
    meeting = factories.MeetingFactory()

    response = staff_client.post(reverse("staff_meetings:invite", args=[meeting.pk]), {})

    assert response.status_code == 422
    assert "Odaberite koga pozivate" in response.content.decode()
    assert not meeting.invitations.exists()


def test_the_counts_part_runs_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    meeting = factories.MeetingFactory()
    factories.OrganizationFactory.create_batch(5)
    invitations.invite(meeting, Organization.objects.all(), by=None)
    url = reverse("staff_meetings:invitation_counts", args=[meeting.pk])
    staff_client.get(url)

    with django_assert_max_num_queries(12):
        staff_client.get(url)
    factories.OrganizationFactory.create_batch(20)
    invitations.invite(meeting, Organization.objects.all(), by=None)
    with django_assert_max_num_queries(12):
        assert 'data-count="invited">25' in staff_client.get(url).content.decode()


def test_attendance_is_prefilled_from_yes_answers(staff_client):
    meeting, organization, invitation, _token = _invited(name="Udruženje Ljiljan")
    invitations.record_answer(invitation, answer="yes", people=4, by=None)

    page = staff_client.get(reverse("staff_meetings:detail", args=[meeting.pk])).content.decode()

    assert f'name="organization" value="{organization.pk}"' in page
    assert 'name="people" min="1" max="500" value="4"' in page


# --- The RSVP link -------------------------------------------------------------------------


def test_the_rsvp_link_records_and_changes_the_answer_without_login(client):
    meeting, organization, invitation, token = _invited()
    url = reverse("meetings:rsvp", args=[token])

    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "yes", "people": "3", "comment": "Dolazimo"})
    assert response.status_code == 302
    client.post(url, {"answer": "maybe", "people": "2"})

    invitation.refresh_from_db()
    assert (invitation.answer, invitation.people) == ("maybe", 2)


def test_the_rsvp_link_rejects_bad_input_with_422_and_unknown_tokens_with_404(client):
    _meeting, _organization, invitation, token = _invited()
    url = reverse("meetings:rsvp", args=[token])

    response = client.post(url, {"answer": "sometimes", "people": "-4"})

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert Invitation.objects.get().answer == ""
    assert client.get(reverse("meetings:rsvp", args=["not-a-token"])).status_code == 404


def test_the_rsvp_page_is_read_only_once_the_meeting_started(client):
    meeting, _organization, invitation, token = _invited(
        factories.MeetingFactory(starts_at=timezone.now() + timedelta(minutes=1))
    )
    invitations.record_answer(invitation, answer="yes", people=1, by=None)
    meeting.starts_at = timezone.now() - timedelta(minutes=1)
    meeting.save()
    url = reverse("meetings:rsvp", args=[token])

    page = client.get(url)
    refused = client.post(url, {"answer": "no"})

    assert page.status_code == 200
    assert "<form" not in page.content.decode().split("<main", 1)[1].split("</main>")[0]
    assert refused.status_code == 409
    assert Invitation.objects.get().answer == "yes"


# --- Members on the meeting page -----------------------------------------------------------


def test_a_member_answers_for_the_organization_on_the_meeting_page(client):
    meeting, organization, invitation, _token = _invited()
    member = factories.MembershipFactory(organization=organization, role="member").user
    client.force_login(member)

    page = client.get(meeting.get_absolute_url())
    response = client.post(
        reverse("meetings:answer", args=[meeting.slug]),
        {"organization": organization.pk, "answer": "yes", "people": "2"},
    )

    assert 'id="answer-title"' in page.content.decode()
    assert response.status_code == 302
    assert Invitation.objects.get().answer == "yes"
    assert ChecklistItem.objects.filter(organization=organization, key="checkin").exists()
    bad = client.post(
        reverse("meetings:answer", args=[meeting.slug]),
        {"organization": organization.pk, "answer": "perhaps", "people": "0"},
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.content.decode()
    assert Invitation.objects.get().answer == "yes"


def test_an_admin_of_another_organization_cannot_answer_for_an_invited_one(client):
    meeting, organization, invitation, _token = _invited()
    outsider = factories.MembershipFactory(role="admin").user  # of an organization not invited
    client.force_login(outsider)

    page = client.get(meeting.get_absolute_url())
    response = client.post(
        reverse("meetings:answer", args=[meeting.slug]),
        {"organization": organization.pk, "answer": "no"},
    )

    assert 'id="answer-title"' not in page.content.decode()
    assert response.status_code == 403
    assert Invitation.objects.get().answer == ""


def test_visitors_see_no_private_answer_details_on_the_public_page(client):
    meeting, _organization, invitation, _token = _invited()
    invitations.record_answer(invitation, answer="yes", people=7, comment="PRIVATE-RSVP", by=None)

    page = client.get(meeting.get_absolute_url()).content.decode()
    login = client.post(reverse("meetings:answer", args=[meeting.slug]), {"answer": "no"})

    assert "PRIVATE-RSVP" not in page and invitation.email not in page
    assert login.status_code == 302 and "/login" in login["Location"]


# --- Country liaisons ----------------------------------------------------------------------


@pytest.fixture
def country_meeting():
    meeting = factories.MeetingFactory(scope="country", host_country="SE")
    swedish = factories.OrganizationFactory(country="SE", name="Bosniska föreningen Malmö")
    factories.OrganizationFactory(country="SE", name="BiH förening Göteborg")
    invitations.invite(meeting, Organization.objects.filter(pk=swedish.pk), by=None)
    invitation = Invitation.objects.get()
    invitations.record_answer(invitation, answer="yes", people=3, comment="Vidimo se", by=None)
    liaison = factories.UserFactory()
    liaisons.assign_liaison(meeting, liaison, by=None)
    return meeting, liaison


def test_a_liaison_sees_the_country_answers_and_invites_more_of_that_country(
    client, country_meeting
):
    meeting, liaison = country_meeting
    german = factories.OrganizationFactory(country="DE")
    goteborg = Organization.objects.get(name="BiH förening Göteborg")
    client.force_login(liaison)
    url = reverse("meetings:liaison", args=[meeting.slug])

    page = client.get(url).content.decode()
    foreign = client.post(url, {"organizations": [german.pk]})
    own = client.post(url, {"organizations": [goteborg.pk]})

    assert "Vidimo se" in page
    assert "@" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # no private addresses
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    assert foreign.status_code == 422
    assert own.status_code == 302
    assert set(meeting.invitations.values_list("organization__country", flat=True)) == {"SE"}
    assert meeting.invitations.filter(organization=goteborg).exists()


def test_only_the_liaison_reaches_the_liaison_page_and_not_the_staff_pages(client, country_meeting):
    meeting, liaison = country_meeting
    url = reverse("meetings:liaison", args=[meeting.slug])
    other_meeting = factories.MeetingFactory(scope="country", host_country="SE")

    assert client.get(url).status_code == 302  # visitors log in first
    client.force_login(factories.MembershipFactory().user)
    assert client.get(url).status_code == 403
    client.force_login(liaison)
    assert client.get(reverse("meetings:liaison", args=[other_meeting.slug])).status_code == 403
    assert client.get(reverse("staff_meetings:detail", args=[meeting.pk])).status_code == 403


def test_staff_assign_a_liaison_only_on_a_country_meeting(staff_client):
    everyone = factories.MeetingFactory()
    country = factories.MeetingFactory(scope="country", host_country="CH")
    volunteer = factories.UserFactory()

    staff_client.post(
        reverse("staff_meetings:liaison_add", args=[everyone.pk]), {"email": volunteer.email}
    )
    staff_client.post(
        reverse("staff_meetings:liaison_add", args=[country.pk]), {"email": volunteer.email}
    )
    bad = staff_client.post(
        reverse("staff_meetings:liaison_add", args=[country.pk]), {"email": "nobody@x.example"}
    )

    assert not everyone.liaisons.exists()
    assert list(country.liaisons.values_list("user", flat=True)) == [volunteer.pk]
    assert bad.status_code == 422
