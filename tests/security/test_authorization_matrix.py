"""Who reaches what: every URL of the portal, found by walking the URL resolver, requested by six
roles with GET and POST, against one table of expectations keyed by URL name.

A URL missing from the table fails the sweep, so a new view is classified when it is added.
No request may answer 500.

Staff accounts whose session has not passed a second factor are swept too: outside the staff
area they must get exactly what an ordinary signed-in user in the same state gets.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import is_staff_path
from experts.models import Expert
from meetings import invitations
from meetings.models import SeriesLiaison
from onboarding.models import Guide
from organizations.models import Organization
from tests import factories
from tests.support.urls import routes
from workspace import services as workspace_services
from workspace.channels.models import Channel

# --- Outcome classes ------------------------------------------------------------------------

LOGIN_PREFIXES = (
    "/accounts/login/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/admin/login/",  # the admin's door, which leads to the portal's login
)


def _redirect(response) -> str:
    return response["Location"] if response.status_code in (301, 302, 303) else ""


def ok(response) -> bool:
    """The role got through: a page, a form error, a redirect onwards (not to a login)."""
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return False
    return not _redirect(response).startswith(LOGIN_PREFIXES)


def found(response) -> bool:
    """Through, or the sample object does not exist (the view itself looked and said 404)."""
    return ok(response) or response.status_code == 404


def login(response) -> bool:
    """Sent to log in (or to the second factor)."""
    return _redirect(response).startswith(LOGIN_PREFIXES)


def denied(response) -> bool:
    """Refused: forbidden, not found (the object is not the role's to see), or wrong method."""
    return response.status_code in (403, 404, 405) or login(response)


def anything(response) -> bool:
    """Depends on state the sweep does not set up (e.g. a flow's earlier step); never a 500."""
    return response.status_code < 500


ROLES = ("anonymous", "user", "member", "other_admin", "admin", "staff")

# role -> outcome, in ROLES' order
PROFILES = {
    # everyone alike: public pages, feeds, the API
    "public": (ok, ok, ok, ok, ok, ok),
    # public, with an object the sweep does not create (a 404 is the view's own answer)
    "public_object": (found,) * 6,
    # anyone signed in
    "signed_in": (login, ok, ok, ok, ok, ok),
    # signed in, with an object the sweep does not create
    "signed_in_object": (login, found, found, found, found, found),
    # members and admins of the organization
    "member": (login, denied, ok, denied, ok, denied),
    # admins of any approved organization (staff invite from their own pages)
    "any_admin": (login, denied, denied, ok, ok, denied),
    # admins of the organization only
    "admin": (login, denied, denied, denied, ok, denied),
    # admins, acting on an object of the organization the sweep does not create
    "admin_object": (login, denied, denied, denied, found, denied),
    # admins of the organization, and staff (a post's author side)
    "admin_or_staff": (login, denied, denied, denied, ok, ok),
    # the same, acting on an object the sweep does not create
    "admin_or_staff_object": (login, denied, denied, denied, found, found),
    # admins of any approved organization, and staff (posting on the noticeboard)
    "any_admin_or_staff": (login, denied, denied, ok, ok, ok),
    # members of any approved organization, and staff (the expert roster)
    "any_member_or_staff": (login, denied, ok, ok, ok, ok),
    # a meeting's country liaisons only: the sweep's roles hold none (tests/meetings has them)
    "liaison": (login, denied, denied, denied, denied, denied),
    # ministry staff whose session passed the second factor
    "staff": (login, denied, denied, denied, denied, found),
    # a flow's later step or a one-time link: state-dependent, never a 500
    "flow": (anything,) * 6,
    # the same, for signed-in people only
    "signed_in_flow": (login,) + (anything,) * 5,
}

EXPECTED = {
    # project
    "home": "public",
    "healthz": "public",
    "ping": "public",
    "web_manifest": "public_object",  # one per interface language, 404 for any other
    "service_worker": "public",
    "offline": "public",
    "set_language": "public",
    "media": "public_object",
    "staff_dashboard": "staff",
    # registry
    "organizations:directory": "public",
    "organizations:detail": "public",
    "organizations:manage": "member",
    "organizations:manage_edit": "admin",
    "organizations:manage_confirm": "admin",
    "organizations:manage_members": "admin",
    "organizations:manage_invite": "admin",
    "organizations:manage_member_role": "admin",
    "organizations:manage_member_remove": "admin",
    "organizations:manage_join": "signed_in_object",
    # meetings
    "meetings:index": "public",
    "meetings:feed": "public",
    "meetings:detail": "public",
    "meetings:ics": "public",
    "meetings:rsvp": "public_object",
    "meetings:answer": "member",
    "meetings:liaison": "liaison",
    # a series' audience, its next meeting, its standing liaisons, the check-in archive import
    "staff_meetings:invite_preview": "staff",
    "staff_meetings:next": "staff",
    "staff_meetings:series": "staff",
    "staff_meetings:series_liaison_add": "staff",
    "staff_meetings:series_liaison_remove": "staff",
    "staff_meetings:archive_import": "staff",
    # workspace
    "workspace:board": "public",
    "workspace:detail": "public",
    "workspace:channels": "public",
    "workspace:attachment": "public_object",
    "workspace:new": "any_admin_or_staff",
    "workspace:focal_point": "signed_in",
    "workspace:edit": "admin_or_staff",
    "workspace:stage": "admin_or_staff",
    "workspace:close": "admin_or_staff",
    "workspace:reopen": "admin_or_staff",
    "workspace:interest_accept": "admin_or_staff",
    "workspace:interest_decline": "admin_or_staff",
    "workspace:attachment_delete": "admin_or_staff_object",
    # saying "we want to take part" depends on who already did and whose post it is
    "workspace:interest": "signed_in_flow",
    "workspace:channel_joined": "member",
    "workspace:digest_settings": "signed_in",
    "workspace:digest_preference": "admin",
    # expert roster: one's own listing for anyone signed in (a verified address to save it);
    # the roster and its contact form for members of approved organizations and staff
    "experts:me": "signed_in",
    "experts:hide": "signed_in",
    "experts:delete": "signed_in",
    "experts:roster": "any_member_or_staff",
    "experts:contact": "any_member_or_staff",
    # BiH institutions abroad
    "institutions:directory": "public",
    "institutions:detail": "public",
    # privacy
    "privacy:notice": "public",
    "privacy:notice_version": "public_object",
    "privacy:my_data": "signed_in",
    "privacy:request_export": "signed_in",
    # erasure asks everyone for the password again first
    "privacy:erase": "signed_in_flow",
    "privacy:download": "signed_in_flow",
    "privacy:organization_export": "admin",
    # open data: the page, and the current snapshot's files (404 before the first snapshot)
    "opendata:index": "public",
    "opendata:download": "public_object",
    # onboarding
    "onboarding:start": "public",
    "onboarding:submitted": "signed_in",
    "onboarding:invitation": "flow",
    "onboarding:invitations": "any_admin",
    "onboarding:invitation_action": "signed_in_object",
    "onboarding:help": "public",
    "onboarding:guide": "public_object",
    "onboarding:checklist": "member",
    "onboarding:checklist_tick": "member",
    "onboarding:step": "signed_in",
    # API
    "api:organization-list": "public",
    "api:organization-detail": "public",
    "api:meeting-list": "public",
    "api:meeting-detail": "public",
    "api:post-list": "public",
    "api:post-detail": "public_object",
    "api:institution-list": "public",
    "api:institution-detail": "public",
    "api:api-root": "public",
    "api:schema": "public",
    "api:docs": "public",
    # accounts (allauth): doors for visitors, pages for the signed-in
    "account_overview": "signed_in",
    "account_continue": "flow",
    "account_verify_email_first": "flow",
    "account_login": "flow",
    "account_logout": "flow",
    "account_inactive": "flow",
    "account_signup": "flow",
    "account_reauthenticate": "signed_in",
    "account_email": "signed_in",
    "account_email_verification_sent": "flow",
    "account_change_password": "signed_in",
    "account_set_password": "signed_in",
    "account_reset_password": "flow",
    "account_confirm_login_code": "flow",
    "account_confirm_email": "flow",
    "account_reset_password_from_key_done": "flow",
    "account_reset_password_from_key": "flow",
    "account_reset_password_done": "flow",
    "mfa_index": "signed_in",
    "mfa_authenticate": "flow",
    "mfa_reauthenticate": "flow",
    "mfa_activate_totp": "flow",
    "mfa_deactivate_totp": "flow",
    "mfa_view_recovery_codes": "flow",
    "mfa_generate_recovery_codes": "flow",
    "mfa_download_recovery_codes": "flow",
    "mfa_list_webauthn": "flow",
    "mfa_add_webauthn": "flow",
    "mfa_reauthenticate_webauthn": "flow",
    "mfa_remove_webauthn": "flow",
    "mfa_edit_webauthn": "flow",
    "usersessions_list": "signed_in",
    # the admin's logout sends anyone back to the admin (and from there to the login)
    "admin:logout": "flow",
}
# Namespaces that belong to one area as a whole. The Django admin generates its URLs; every
# /staff/ view is staff-only (the default-deny gate), whatever it is called.
EXPECTED_NAMESPACES = {
    "staff_mail": "staff",
    "staff_organizations": "staff",
    "staff_meetings": "staff",
    "staff_onboarding": "staff",
    "staff_workspace": "staff",
    "staff_workspace_channels": "staff",
    "staff_institutions": "staff",
    "staff_privacy": "staff",
    "staff_experts": "staff",
    "staff_opendata": "staff",
    "staff_insights": "staff",
}
# Ministry staff without the superuser flag are refused by the Django admin.
ADMIN_PROFILE = (login, denied, denied, denied, denied, denied)
# Requests that end the session are made last, so the rest of the sweep keeps its role.
LAST = ("account_logout", "admin:logout")


def expected_profile(name: str) -> tuple:
    namespace = name.split(":", 1)[0] if ":" in name else ""
    if name in EXPECTED:
        return PROFILES[EXPECTED[name]]
    if namespace == "admin":
        return ADMIN_PROFILE
    if namespace in EXPECTED_NAMESPACES:
        return PROFILES[EXPECTED_NAMESPACES[namespace]]
    raise KeyError(name)


def test_every_url_of_the_portal_is_classified():
    missing = sorted(
        {r.name for r in routes() if r.name not in EXPECTED and not r.name.startswith("admin:")}
        - {r.name for r in routes() if r.name.split(":")[0] in EXPECTED_NAMESPACES}
    )

    assert not missing, f"classify these URLs in EXPECTED: {missing}"
    assert not set(EXPECTED) - {r.name for r in routes()}, "EXPECTED names URLs that are gone"


def test_the_walk_finds_every_kind_of_route():
    names = {r.name for r in routes()}

    assert {"organizations:manage_member_role", "api:organization-detail"} <= names
    assert {"admin:index", "account_confirm_email", "staff_meetings:agenda_move"} <= names
    assert len(names) > 150


# --- The sweep ------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Two organizations with their people, a meeting, and one client per role."""
    organization = factories.OrganizationFactory(slug="organizacija-a")
    other = factories.OrganizationFactory(slug="organizacija-b")
    member = factories.MembershipFactory(organization=organization, role="member")
    admin = factories.MembershipFactory(organization=organization, role="admin")
    other_admin = factories.MembershipFactory(organization=other, role="admin")
    series = factories.SeriesFactory()
    meeting = factories.MeetingFactory(slug="sastanak-a", series=series, number=1)
    standing = SeriesLiaison.objects.create(
        series=series, country="DE", user=factories.UserFactory()
    )
    invitations.invite(meeting, Organization.objects.filter(pk=organization.pk), by=None)
    post = workspace_services.create_post(
        by=admin.user,
        organization=organization,
        areas=[],
        data={"kind": "call_for_partners", "title": "Poziv", "body": "Tekst", "country": "BA"},
    )
    interest = workspace_services.express_interest(
        post=post, organization=other, by=other_admin.user, message="Da"
    )
    # What only a staff power shows: a channel's join link, an unpublished guide.
    Channel.objects.create(
        name="Kanal", kind="whatsapp", audience="everyone", join_url=STAFF_ONLY_JOIN_URL
    )
    guide = Guide.objects.create(title=STAFF_ONLY_GUIDE_TITLE, body="Nacrt", is_published=False)
    expert = Expert.objects.create(
        user=factories.UserFactory(),
        headline="Kardiologinja",
        country="AT",
        languages=["bs"],
        availability=["mentoring"],
        visibility=Expert.Visibility.MEMBERS,
        consent_at=timezone.now(),
        consent_version=settings.EXPERTS_CONSENT_VERSION,
        consent_language="bs",
    )
    institution = factories.InstitutionFactory(key="ambasada-a")
    # The staff pages act on another one: a removal in the sweep leaves the public pages theirs.
    staff_institution = factories.InstitutionFactory(key="ambasada-b")
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)

    def client_for(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    # Sessions that logged in with the password alone (force_login), each beside an ordinary
    # user in the same state.
    user_with_authenticator = factories.UserFactory()
    factories.activate_totp(user_with_authenticator)
    staff_with_authenticator = factories.StaffUserFactory()
    factories.activate_totp(staff_with_authenticator)
    password_only = {
        "staff without authenticator": client_for(factories.StaffUserFactory()),
        "staff with a password-only session": client_for(staff_with_authenticator),
        "superuser without second factor": client_for(
            factories.UserFactory(is_superuser=True, is_staff=True)
        ),
        "user with authenticator": client_for(user_with_authenticator),
    }

    staff_client = Client()
    factories.log_in_with_totp(staff_client, staff, secret)
    clients = {
        "anonymous": client_for(None),
        "user": client_for(factories.UserFactory()),
        "member": client_for(member.user),
        "other_admin": client_for(other_admin.user),
        "admin": client_for(admin.user),
        "staff": staff_client,
        **password_only,
    }
    samples_by_namespace = {
        "organizations": {"slug": organization.slug, "pk": str(member.pk)},
        "onboarding": {
            "slug": organization.slug,
            "key": "profile",
            "step": "basics",
            "pk": str(guide.pk),
        },
        "meetings": {"slug": meeting.slug},
        "workspace": {
            "slug": organization.slug,
            "pk": str(post.pk),
            "interest_pk": str(interest.pk),
        },
        "privacy": {"slug": organization.slug},
        "experts": {"pk": str(expert.pk)},
        "staff_experts": {"pk": str(expert.pk), "target": "homeland-call"},
        "opendata": {"filename": "organizations.csv"},
        "api": {"slug": organization.slug, "format": "json"},
        "staff_organizations": {"pk": str(organization.pk)},
        "staff_meetings": {
            "pk": str(meeting.pk),
            "series_pk": str(series.pk),
            "liaison_pk": str(standing.pk),
        },
        "institutions": {"key": institution.key},
        "staff_institutions": {"pk": str(staff_institution.pk)},
    }
    api_meeting = {"slug": meeting.slug, "format": "json"}
    return clients, samples_by_namespace, api_meeting


# The Django admin's generated URLs are all refused alike (tests/accounts/test_staff_gate.py walks
# every one of them for every refused session); the sweep takes a sample of each kind.
ADMIN_SAMPLE = {
    "admin:index",
    "admin:logout",
    "admin:app_list",
    "admin:accounts_user_changelist",
    "admin:accounts_user_change",
    "admin:organizations_organization_changelist",
}


def _paths():
    chosen = [r for r in routes() if not r.name.startswith("admin:") or r.name in ADMIN_SAMPLE]
    return sorted(chosen, key=lambda r: r.name in LAST)


def _sample_path(route, samples_by_namespace, api_meeting) -> str:
    namespace = route.name.split(":", 1)[0] if ":" in route.name else ""
    samples = samples_by_namespace.get(namespace, {})
    if route.name.startswith("api:meeting"):
        samples = api_meeting
    if route.name.startswith("api:institution"):
        samples = {"key": "ambasada-a", "format": "json"}
    if route.route.endswith("<drf_format_suffix:format>"):
        samples = {"format": ".json"}
    return route.path(samples)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_the_table_says_and_nothing_answers_500(world, role):
    clients, samples_by_namespace, api_meeting = world
    client = clients[role]
    column = ROLES.index(role)
    wrong = []
    for route in _paths():
        path = _sample_path(route, samples_by_namespace, api_meeting)
        check = expected_profile(route.name)[column]
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code >= 500 or not check(response):
                where = _redirect(response)
                wrong.append(
                    f"{method.upper()} {path} ({route.name}): {response.status_code}"
                    f"{' -> ' + where if where else ''}, expected {check.__name__}"
                )

    assert not wrong, "\n".join(wrong)


# --- Staff sessions without a second factor ---------------------------------------------------

STAFF_ONLY_JOIN_URL = "https://chat.whatsapp.com/SamoZaOsoblje"
STAFF_ONLY_GUIDE_TITLE = "Neobjavljeni vodič osoblja"
# What a staff power adds to a page the role may see: the channel's join link, the unpublished
# guide, the post's interest list (with the senders' addresses), its manage and moderation forms.
STAFF_ONLY_MARKERS = (
    STAFF_ONLY_JOIN_URL,
    STAFF_ONLY_GUIDE_TITLE,
    'id="interests"',
    'id="manage-title"',
    'id="moderate-title"',
    'action="/staff/',
)
# A staff account without the second factor, and the ordinary user in the same state.
PASSWORD_ONLY_STAFF = {
    "staff without authenticator": "user",
    "staff with a password-only session": "user with authenticator",
    "superuser without second factor": "user",
}
# Pages that only point staff on to the staff area, whose gate then asks for the second factor.
STAFF_SIGNPOSTS = {"account_continue"}


def _answer(response) -> tuple[int, str]:
    return response.status_code, _redirect(response)


def _second_factor_steps() -> tuple[str, ...]:
    return (
        reverse("mfa_activate_totp"),
        reverse("mfa_reauthenticate"),
        reverse("account_verify_email_first"),
    )


@pytest.mark.parametrize("role", PASSWORD_ONLY_STAFF)
def test_staff_session_without_second_factor_gets_what_an_ordinary_user_gets(world, role):
    clients, samples_by_namespace, api_meeting = world
    client, ordinary = clients[role], clients[PASSWORD_ONLY_STAFF[role]]
    wrong = []
    for route in _paths():
        path = _sample_path(route, samples_by_namespace, api_meeting)
        for method in ("get", "post"):
            theirs = getattr(client, method)(path)
            usual = getattr(ordinary, method)(path)
            where = f"{method.upper()} {path} ({route.name})"
            if is_staff_path(path) and not login(usual):
                # The gate leads to the missing step instead of the ordinary user's 403.
                if not _redirect(theirs).startswith(_second_factor_steps()):
                    wrong.append(f"{where}: {_answer(theirs)}, expected a second factor step")
            elif _redirect(theirs).startswith(reverse("account_reauthenticate")):
                # A restriction, not a power: a staff account proves itself again before it
                # takes or destroys personal data, whatever its session passed.
                continue
            elif route.name in STAFF_SIGNPOSTS:
                if theirs.status_code != usual.status_code:
                    wrong.append(f"{where}: {_answer(theirs)}, an ordinary user {_answer(usual)}")
            elif _answer(theirs) != _answer(usual):
                wrong.append(f"{where}: {_answer(theirs)}, an ordinary user {_answer(usual)}")
            if theirs.status_code == 200 and not theirs.streaming:
                content = theirs.content.decode(errors="replace")
                shown = [marker for marker in STAFF_ONLY_MARKERS if marker in content]
                if shown:
                    wrong.append(f"{where}: shows staff-only content {shown}")

    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", PASSWORD_ONLY_STAFF)
def test_the_second_factor_step_opens_for_staff_without_it_rather_than_looping(world, role):
    clients, _samples, _api_meeting = world

    response = clients[role].get("/staff/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(_second_factor_steps())
    assert not any(is_staff_path(url) for url, _status in response.redirect_chain)


def test_the_staff_only_markers_are_what_a_staff_session_with_second_factor_sees(world):
    clients, samples_by_namespace, _api_meeting = world
    staff = clients["staff"]
    guide_pk = samples_by_namespace["onboarding"]["pk"]
    post_pk = samples_by_namespace["workspace"]["pk"]
    pages = "".join(
        staff.get(path).content.decode()
        for path in (
            reverse("workspace:channels"),
            reverse("onboarding:guide", kwargs={"pk": guide_pk}),
            reverse("workspace:detail", kwargs={"pk": post_pk}),
        )
    )

    assert [marker for marker in STAFF_ONLY_MARKERS if marker not in pages] == []
