"""Public fragments of pages built afresh: kept in the shared cache, the same for everyone,
renewed by any change, never mixed between people with different rights."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.page_cache import forget_pages
from meetings import services
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda data: "/",
    "directory": lambda data: "/organizations/",
    "profile": lambda data: data["organization"].get_absolute_url(),
    "meetings": lambda data: "/meetings/",
    "meeting page": lambda data: data["held"].get_absolute_url(),
    "API list": lambda data: "/api/v1/organizations/",
}
# Queries of a page built afresh with its public fragments cached, the same for a member, an
# organization admin and staff: the session with its record and its user, the user's ministry
# staff flag and second factor (1: accounts.session_store), then the page's own. The
# directory's counts come from the facet cache, its cards and filter fields from fragments;
# the meetings archive's years, its form (with the series to choose from) and the number of
# summaries found come from fragments (three queries fewer). The profile reads the
# organization, the viewer's role and the members-only channels (its areas, action items,
# public contacts and the BiH institutions come from fragments: four queries fewer); the
# meeting page reads the meeting and whether the member is a standing liaison of the series
# (its agenda, action items, summaries and decisions come from fragments: four fewer).
EXPECTED = {
    "home": 1,
    "directory": 1,
    "profile": 4,
    "meetings": 1,
    "meeting page": 3,
    "API list": 1,
}
# Parts of a page that are not public are built afresh for each viewer who may see them.
EXTRA = {
    # (whether a staff viewer has a second factor set up comes with the user's row:
    # accounts.backends)
    # the contacts an admin sees, the ones that are not public too (one query)
    ("admin", "profile"): 1,
}


@pytest.fixture(autouse=True)
def fragment_cache(settings, django_capture_on_commit_callbacks):
    settings.FRAGMENT_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()


def _held_meeting(title="Check-In Minhen", summary="Dogovoren je dnevni kanal."):
    series = factories.SeriesFactory()
    meeting = factories.MeetingFactory(
        series=series,
        title=title,
        number=services.next_number(series),
        starts_at=datetime(2020, 8, 5, 16, 0, tzinfo=UTC),
        ends_at=datetime(2020, 8, 5, 17, 30, tzinfo=UTC),
        status="held",
    )
    services.save_minutes(meeting=meeting, by=None, summaries={"bs": summary, "en": summary})
    services.publish_minutes(meeting=meeting, by=None)
    return meeting


def _more_data(n):
    area = factories.AreaFactory()
    for i in range(n):
        factories.OrganizationFactory(name=f"Klub Drina {n}-{i}").areas.add(area)
        factories.MeetingFactory(title=f"Radionica {n}-{i}")
        _held_meeting(title=f"Sastanak {n}-{i}", summary=f"Sažetak {n}-{i}.")


@pytest.fixture
def data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organization = factories.OrganizationFactory(name="Udruženje Sevdah")
        factories.MeetingFactory(title="Sljedeći Check-In")
        held = _held_meeting()
        _more_data(2)
    return {"organization": organization, "held": held}


def _signed_in(role, data, staff_client):
    if role == "staff":
        return staff_client
    membership = factories.MembershipFactory(organization=data["organization"], role=role)
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["member", "admin", "staff"])
def test_signed_in_pages_run_a_fixed_number_of_queries_with_fragments_cached(
    role, page, data, staff_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = _signed_in(role, data, staff_client)
    url = PAGES[page](data)
    expected = EXPECTED[page] + EXTRA.get((role, page), 0)
    client.get(url)
    with CaptureQueriesContext(_connection()) as few:
        assert client.get(url).status_code == 200
    assert len(few) == expected, "\n".join(q["sql"][:150] for q in few.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        _more_data(8)
    client.get(url)  # the first visitor after the change builds the fragments again

    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _connection():
    from django.db import connection

    return connection


@pytest.mark.parametrize("url", ["/", "/organizations/", "/meetings/", "/api/v1/organizations/"])
def test_an_edit_shows_at_once_in_a_cached_fragment(
    url, data, client, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.get(url)
    client.get(url)
    organization, held = data["organization"], data["held"]

    with django_capture_on_commit_callbacks(execute=True):
        organization.name = "Udruženje Ilidža"
        organization.save()
        held.title = "Check-In Beč"
        held.save()

    content = client.get(url).content.decode()
    if url in ("/organizations/", "/api/v1/organizations/"):
        assert "Udruženje Ilidža" in content
        assert "Udruženje Sevdah" not in content
    else:
        assert "Check-In Beč" in content
        assert "Check-In Minhen" not in content


def test_a_meeting_leaves_the_cached_upcoming_list_once_it_has_ended(
    data, client, user, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(user)
    ending = factories.MeetingFactory(
        title="Kratki Check-In",
        starts_at=timezone.now() - timezone.timedelta(minutes=30),
        ends_at=timezone.now() + timezone.timedelta(minutes=2),
    )
    assert "Kratki Check-In" in client.get("/meetings/").content.decode()

    later = ending.ends_at + timezone.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Kratki Check-In" not in client.get("/meetings/").content.decode()


@pytest.mark.parametrize("url", ["/", "/organizations/", "/meetings/"])
def test_people_with_different_rights_never_see_each_others_page_parts(
    url, data, staff_client, django_capture_on_commit_callbacks
):
    staff_area = reverse("staff_dashboard")
    member = _signed_in("member", data, staff_client)
    anonymous = Client()

    # staff fill the fragments first, then a member and a visitor get the page
    assert f'href="{staff_area}"' in staff_client.get(url).content.decode()
    for other in (member, anonymous):
        content = other.get(url).content.decode()
        assert f'href="{staff_area}"' not in content

    # and the other way round: staff keep their own links on a page a member filled
    with django_capture_on_commit_callbacks(execute=True):
        forget_pages()
    member.get(url)
    assert f'href="{staff_area}"' in staff_client.get(url).content.decode()


def test_a_cached_fragment_is_kept_per_language(data, client, user):
    factories.MeetingFactory(title="Radionica o projektima", kind="workshop")
    client.force_login(user)
    assert "Radionica</p>" in client.get("/meetings/").content.decode().replace("\n", "")

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/meetings/").content.decode()

    assert "Workshop" in content
    assert "Radionica</p>" not in content.replace("\n", "")


def _profile_with_private_parts():
    organization = factories.OrganizationFactory(name="Džemat Đakovo")
    factories.ContactFactory(organization=organization, name="Private Person", is_public=False)
    factories.ContactFactory(organization=organization, name="Public Person", is_public=True)
    factories.ChannelFactory(organization=organization, value="https://public.example/group")
    factories.ChannelFactory(
        organization=organization, value="https://members.example/group", visibility="members"
    )
    return organization


def _viewers(organization, staff_client):
    viewers = {}
    for role in ("admin", "member"):
        membership = factories.MembershipFactory(organization=organization, role=role)
        viewers[role] = Client()
        viewers[role].force_login(membership.user)
    viewers["outsider"] = Client()
    viewers["outsider"].force_login(factories.UserFactory())
    viewers["anonymous"] = Client()
    viewers["staff"] = staff_client
    return viewers


# What each viewer of a profile sees of its members-only channel and its contact that is not
# public (staff sessions see members-only channels, not the contacts kept for the admins).
PROFILE_SIGHT = {
    "admin": (True, True),
    "member": (True, False),
    "staff": (True, False),
    "outsider": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("first", list(PROFILE_SIGHT))
def test_a_profile_s_members_only_and_private_parts_never_reach_a_shared_fragment(
    first, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organization = _profile_with_private_parts()
        viewers = _viewers(organization, staff_client)
    url = organization.get_absolute_url()
    viewers[first].get(url)  # fills the public fragments

    for role, (members_channel, private_contact) in PROFILE_SIGHT.items():
        content = viewers[role].get(url).content.decode()
        assert "https://public.example/group" in content
        assert "Public Person" in content
        assert ("https://members.example/group" in content) is members_channel, role
        assert ("Private Person" in content) is private_contact, role


def test_a_profile_that_is_not_public_is_never_kept(client, monkeypatch):
    from core.templatetags import fragments

    kept = []
    original = fragments.cached

    def recording(name, values, build, **kwargs):
        kept.append(name)
        return original(name, values, build, **kwargs)

    monkeypatch.setattr(fragments, "cached", recording)
    pending = factories.OrganizationFactory(status="pending", approved_at=None)
    membership = factories.MembershipFactory(organization=pending, role="member")
    client.force_login(membership.user)

    assert client.get(pending.get_absolute_url()).status_code == 200
    assert not [name for name in kept if name.startswith("profile-")]

    approved = factories.OrganizationFactory()
    client.get(approved.get_absolute_url())
    assert {"profile", "profile-main", "profile-contacts-institutions"} <= set(kept)


def test_an_edit_shows_at_once_on_a_cached_profile_and_meeting_page(
    data, client, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    organization, held = data["organization"], data["held"]
    for url in (organization.get_absolute_url(), held.get_absolute_url()):
        client.get(url)
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        organization.description = "Novi opis udruženja."
        organization.save()
        factories.ChannelFactory(organization=organization, value="https://added.example/group")
        held.agenda_items.create(title="Nova tačka dnevnog reda", position=9)

    profile = client.get(organization.get_absolute_url()).content.decode()
    assert "Novi opis udruženja." in profile
    assert "https://added.example/group" in profile
    assert "Nova tačka dnevnog reda" in client.get(held.get_absolute_url()).content.decode()


def test_the_directory_s_cached_filters_count_a_new_organization_at_once_and_keep_errors(
    data, client, django_capture_on_commit_callbacks
):
    client.get("/organizations/")
    assert 'value="NZ"' not in client.get("/organizations/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        factories.OrganizationFactory(name="Klub Aotearoa", country="NZ")

    assert 'value="NZ"' in client.get("/organizations/").content.decode()
    invalid = client.get("/organizations/?country=XX")
    assert invalid.status_code == 422
    assert 'aria-invalid="true"' in invalid.content.decode()
    assert 'aria-invalid="true"' not in client.get("/organizations/").content.decode()


def test_the_archive_s_cached_count_follows_a_published_summary_at_once(
    data, client, django_capture_on_commit_callbacks
):
    before = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 summaries" in before

    with django_capture_on_commit_callbacks(execute=True):
        _held_meeting(title="Check-In Oslo")

    after = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "4 summaries" in after
    assert "Check-In Oslo" in after


def _count_cache_reads(monkeypatch) -> list[str]:
    """The shared cache's reads from now on, in order ("get" or "get_many")."""
    from django.core.cache import cache

    reads = []
    for method in ("get", "get_many"):
        original = getattr(cache, method)
        monkeypatch.setattr(
            cache,
            method,
            lambda *args, _m=method, _o=original, **kw: reads.append(_m) or _o(*args, **kw),
        )
    return reads


def test_expected_fragments_are_read_in_one_round_trip_and_a_wrong_guess_is_harmless(
    rf, monkeypatch
):
    from django.core.cache import cache

    from core import fragments

    def page(request):
        fragments.expect(request, [("first", [1]), ("second", [2]), ("never-asked", [3])])
        return [
            fragments.public_fragment("first", [1], lambda: "one", request=request),
            fragments.public_fragment("second", [2], lambda: "two", request=request),
            fragments.public_fragment("third", [3], lambda: "three", request=request),
        ]

    assert page(rf.get("/")) == ["one", "two", "three"]  # built and kept

    reads = _count_cache_reads(monkeypatch)
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: pytest.fail("rebuilt"))

    assert page(rf.get("/")) == ["one", "two", "three"]
    # the generation with the first two in one MGET; the third, not expected, on its own
    assert reads == ["get_many", "get"]


@pytest.mark.parametrize("query", ["", "?q=sevdah", "?country=BA&city=Sarajevo", "?page=99"])
def test_the_directory_reads_the_shared_cache_in_two_round_trips(data, query, monkeypatch):
    # Its counts (the facet cache: per country, per city in a chosen country), then its filter
    # fields, cards and map with the generation (organizations.views: facets.expect and
    # fragments.expect).
    client = _signed_in("member", data, None)
    client.get("/organizations/" + query)  # builds and keeps the fragments
    reads = _count_cache_reads(monkeypatch)

    client.get("/organizations/" + query)

    assert reads == ["get_many", "get_many"]
