from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from organizations.views import MAX_PAGE_PARAMETER

from . import ics, queries
from .forms import ArchiveForm
from .models import Meeting

MEETINGS_PER_PAGE = 10
FEED_LIMIT = 200


def _page_number(raw: str | None) -> tuple[int, str | None]:
    if raw is None or raw == "":
        return 1, None
    if len(raw) <= MAX_PAGE_PARAMETER and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw), None
    return 1, _("The page number must be a whole number from 1 up; showing the first page.")


@require_safe
@vary_on_headers("HX-Request")
def index(request):
    """Upcoming meetings and the searchable archive of published summaries."""
    form = ArchiveForm(
        request.GET, years=queries.archive_years(), series=queries.series_with_meetings()
    )
    form.is_valid()  # Invalid fields are reported next to the field and left out.
    archive = queries.archive_meetings()
    data = form.cleaned_data
    if data.get("q"):
        archive = queries.search_archive(archive, data["q"])
    if data.get("year"):
        archive = archive.filter(starts_at__year=data["year"])
    if data.get("series"):
        archive = archive.filter(series=data["series"])

    page_number, page_error = _page_number(request.GET.get("page"))
    paginator = Paginator(archive, MEETINGS_PER_PAGE)
    if page_error is None and page_number > paginator.num_pages:
        page_error = _("There are fewer pages of results; showing the last page.")
    page = paginator.get_page(page_number)
    filtered = any(value not in (None, "") for value in data.values())
    context = {
        "form": form,
        "page": page,
        "page_error": page_error,
        "filtered": filtered,
        "upcoming": list(queries.upcoming_meetings()),
        "language": translation.get_language(),
    }
    invalid = bool(form.errors) or page_error is not None
    partial = bool(request.htmx) and not request.htmx.boosted
    template = "meetings/partials/archive.html" if partial else "meetings/index.html"
    return render(request, template, context, status=422 if invalid else 200)


@require_safe
def detail(request, slug):
    """A meeting's public page: time, agenda and, once published, its summary."""
    meeting = queries.meeting_page(slug)
    if meeting is None:
        raise Http404
    minutes = getattr(meeting, "minutes", None)
    published = minutes is not None and minutes.is_published
    agenda = list(meeting.agenda_items.all())
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "minutes": minutes if published else None,
        "summary": minutes.summary_in(translation.get_language()) if published else "",
        "decisions": list(minutes.decisions.all()) if published else [],
        "action_items": list(meeting.action_items.all()) if published else [],
        "google_url": ics.google_calendar_url(meeting),
        "outlook_url": ics.outlook_calendar_url(meeting),
        "is_cancelled": meeting.status == Meeting.Status.CANCELLED,
    }
    return render(request, "meetings/detail.html", context)


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
