import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_countries import countries as all_countries

from core import fragments, pages
from core.fragments import public_fragment
from core.offline import offline_readable
from core.templatetags.fragments import current_minute
from organizations.models import Organization

from . import ics, invitation_queries, invitations, liaisons, queries, rsvp_links, visibility
from .forms import ArchiveForm, LiaisonInviteForm, OrganizationRsvpForm, RsvpForm
from .models import Meeting

MEETINGS_PER_PAGE = 10
FEED_LIMIT = 200


@offline_readable
@require_safe
@vary_on_headers("HX-Request")
def index(request):
    """Upcoming meetings and the searchable archive of published summaries."""
    # The years are the same for everyone: kept with the public fragments. The series stay a
    # lazy queryset, read when a series is asked for or when the form's fragment is built.
    years = public_fragment("archive-years", [], queries.archive_years, request=request)
    form = ArchiveForm(request.GET, years=years, series=queries.series_with_meetings())
    form.is_valid()  # Invalid fields are reported next to the field and left out.
    archive = queries.archive_meetings()
    data = form.cleaned_data
    if data.get("q"):
        archive = queries.search_archive(archive, data["q"])
    if data.get("year"):
        archive = archive.filter(starts_at__year=data["year"])
    if data.get("series"):
        archive = archive.filter(series=data["series"])

    number, page_error = pages.page_number(request.GET.get("page"))
    paginator = Paginator(archive, MEETINGS_PER_PAGE)
    # The number of summaries found is the same for everyone who asks the same: kept with the
    # public fragments, so the page counts nothing when it is cached.
    series = data.get("series")
    count_values = [data.get("q") or "", data.get("year") or "", series.slug if series else ""]
    # The page's fragments, read in one go with the count (named as the templates name them).
    expected = [
        ("archive-count", count_values),
        ("upcoming-meetings", [current_minute()]),
        ("meeting-summaries", [number, data.get("q", ""), data.get("year", ""), count_values[2]]),
    ]
    if not form.errors:
        expected.append(("archive-form", [request.GET.get(name, "") for name in form.fields]))
    fragments.expect(request, expected)
    paginator.count = public_fragment("archive-count", count_values, archive.count, request=request)
    page, page_error = pages.page_of(paginator, number, page_error)
    filtered = any(value not in (None, "") for value in data.values())
    context = {
        "form": form,
        "page": page,
        "page_error": page_error,
        "filtered": filtered,
        # lazy: read inside the page's cached fragment, only when it is built
        "upcoming": queries.upcoming_meetings(),
        "language": translation.get_language(),
    }
    invalid = bool(form.errors) or page_error is not None
    partial = bool(request.htmx) and not request.htmx.boosted
    template = "meetings/partials/archive.html" if partial else "meetings/index.html"
    return render(request, template, context, status=422 if invalid else 200)


@offline_readable
@require_safe
def detail(request, slug):
    """A meeting's public page: time, agenda and, once published, its summary; members of an
    invited organization answer the invitation here."""
    return _detail_response(request, slug)


def _detail_response(request, slug, *, answer_form=None, status=200):
    meeting = queries.meeting_page(slug)
    if meeting is None:
        raise Http404
    minutes = getattr(meeting, "minutes", None)
    published = minutes is not None and minutes.is_published
    language = translation.get_language()

    @functools.cache
    def parts() -> Meeting:
        return queries.meeting_page_parts(meeting)

    # The page's public parts are the same for everyone (public fragments of the template):
    # what they show is read lazily, only when a fragment is built. Both read in one go.
    fragments.expect(request, [("meeting-header", [meeting.pk]), ("meeting-body", [meeting.pk])])
    context = {
        "meeting": meeting,
        "agenda": SimpleLazyObject(lambda: list(parts().agenda_items.all())),
        "minutes": minutes if published else None,
        "summary": SimpleLazyObject(lambda: parts().minutes.summary_for(language))
        if published
        else None,
        "decisions": SimpleLazyObject(lambda: list(parts().minutes.decisions.all()))
        if published
        else [],
        "action_items": SimpleLazyObject(lambda: list(parts().action_items.all()))
        if published
        else [],
        # Public "add to calendar" links: never the video link (see visibility.py).
        "google_url": SimpleLazyObject(lambda: ics.google_calendar_url(meeting)),
        "outlook_url": SimpleLazyObject(lambda: ics.outlook_calendar_url(meeting)),
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
    }
    context.update(_member_answer_context(request, meeting, answer_form))
    context["is_liaison"] = liaisons.is_liaison(request.user, meeting)
    return render(request, "meetings/detail.html", context, status=status)


def _member_answer_context(request, meeting, form) -> dict:
    """The answer form for members of invited organizations (nothing for anyone else)."""
    if not request.user.is_authenticated or meeting.status != Meeting.Status.SCHEDULED:
        return {}
    organizations = list(invited_organizations(request.user, meeting).only("pk", "name"))
    if not organizations:
        return {}
    answers = {
        organization.pk: invitation_queries.organization_answer(meeting, organization)
        for organization in organizations
    }
    first = answers[organizations[0].pk]
    initial = _rsvp_initial(first) if first else {}
    form = form or OrganizationRsvpForm(
        organizations=invited_organizations(request.user, meeting), initial=initial
    )
    return {
        "answer_form": form,
        "answer_open": meeting.starts_at > timezone.now(),
        "organization_answers": [(o, answers[o.pk]) for o in organizations],
    }


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def meeting_ics(request, slug):
    meeting = queries.public_meetings().filter(slug=slug).first()
    if meeting is None:
        raise Http404
    return _ics_response(ics.meeting_calendar(meeting), f"{meeting.slug}.ics")


@require_safe
def feed_ics(request):
    """The calendar of upcoming public meetings, for calendar apps to subscribe to."""
    meetings = queries.upcoming_meetings()[:FEED_LIMIT]
    return _ics_response(ics.feed_calendar(meetings), "meetings.ics")


# --- Answers -------------------------------------------------------------------------------


def _rsvp_initial(invitation) -> dict:
    if not invitation.answer:
        return {}
    return {"answer": invitation.answer, "people": invitation.people, "comment": invitation.comment}


@never_cache  # a personal link: never kept by a browser, a proxy or the service worker
@require_http_methods(["GET", "POST"])
def rsvp(request, token):
    """The personal link of an invitation e-mail: yes / no / maybe without logging in."""
    invitation = rsvp_links.invitation_for_token(token)
    if invitation is None:
        raise Http404
    open_ = invitations.can_answer(invitation)
    status = 200
    form = RsvpForm(initial=_rsvp_initial(invitation))
    if request.method == "POST":
        if not open_:
            status = 409
        else:
            form = RsvpForm(request.POST)
            if form.is_valid():
                try:
                    invitations.record_answer(invitation, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    # Cancelled or started since the check above: the page turns read-only.
                    for message in error.messages:
                        messages.error(request, message)
                    invitation = rsvp_links.invitation_for_token(token)
                    open_, status = False, 409
                else:
                    messages.success(request, _("Thank you, your answer was saved."))
                    return redirect("meetings:rsvp", token=token)
            else:
                status = 422
    response = render(
        request,
        "meetings/rsvp.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "video_url": visibility.video_link(invitation.meeting, invitation=invitation),
            "form": form,
            "open": open_,
        },
        status=status,
    )
    # The token is in the URL: never sent to other sites (same-origin keeps the CSRF Origin check).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def invited_organizations(user, meeting):
    """The organizations of the user's memberships that are invited to the meeting."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, meeting_invitations__meeting=meeting
    ).distinct()


@login_required
@require_POST
def answer(request, slug):
    """A member answers for their organization from the meeting page."""
    meeting = queries.public_meetings().filter(slug=slug).first()
    if meeting is None:
        raise Http404
    organizations = invited_organizations(request.user, meeting)
    form = OrganizationRsvpForm(request.POST, organizations=organizations)
    if not organizations.exists():
        raise PermissionDenied
    if form.is_valid():
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        try:
            invitations.answer_for_organization(meeting, organization, by=request.user, **data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Thank you, your organization's answer was saved."))
        return redirect(meeting.get_absolute_url() + "#answer-title")
    return _detail_response(request, slug, answer_form=form, status=422)


# --- Country liaisons ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def liaison(request, slug):
    """What a country liaison sees: the host country's answers, and more of it to invite."""
    meeting = Meeting.objects.filter(slug=slug).first()
    if meeting is None:
        raise Http404
    countries = liaisons.liaison_countries(request.user, meeting)
    if not countries:
        raise PermissionDenied
    candidates = liaisons.country_candidates(meeting, countries)
    form = LiaisonInviteForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = invitations.invite(
                    meeting,
                    candidates.filter(pk__in=[o.pk for o in form.cleaned_data["organizations"]]),
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s invitation was created; its e-mail is on its way.",
                        "%(count)s invitations were created; their e-mails are on their way.",
                        created,
                    )
                    % {"count": created},
                )
            return redirect("meetings:liaison", slug=slug)
        status = 422
    context = {
        "meeting": meeting,
        "rows": liaisons.country_answers(meeting, countries),
        "country_names": ", ".join(sorted(all_countries.name(code) for code in countries)),
        "form": form,
        "can_invite": meeting.status == Meeting.Status.SCHEDULED,
    }
    return render(request, "meetings/liaison.html", context, status=status)
