"""Staff pages of a series (/staff/meetings/…): the audience preview, the next meeting with its
audience in one confirmation, the series page with its standing liaisons, the archive import."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.roles import staff_required
from core import audit

from . import archive, audiences, liaisons, series
from .forms import ArchiveImportForm, InviteForm, ScheduleNextForm, SeriesLiaisonForm
from .models import Meeting, Series, SeriesLiaison


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _invitations_created(request, created: int) -> None:
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation was created; its e-mail is on its way.",
                "%(count)s invitations were created; their e-mails are on their way.",
                created,
            )
            % {"count": created},
        )
    else:
        messages.info(request, _("Every address of this audience is already invited."))


# --- The audience preview ------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def invite_preview(request, pk):
    """How many organizations and addresses the audience on the form reaches, before sending:
    the fragment alone for htmx, the form with it otherwise (the "Preview" button). A POST
    like the form it previews (the CSRF token stays out of the address); it changes nothing."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "GET":
        form = InviteForm(meeting=meeting)
        context = {"meeting": meeting, "invite_form": form, "reach": None}
        return render(request, "meetings/staff/invite_preview.html", context)
    form = InviteForm(request.POST, meeting=meeting)
    reach = audiences.reach(meeting, [form.audience()]) if form.is_valid() else None
    context = {"meeting": meeting, "invite_form": form, "reach": reach}
    if _partial(request):
        return render(request, "meetings/staff/partials/audience_reach.html", context)
    return render(
        request,
        "meetings/staff/invite_preview.html",
        context,
        status=200 if reach is not None else 422,
    )


# --- The next meeting of a series, with its audience --------------------------------------


def _next_context(meeting: Meeting, form=None) -> dict:
    remembered = audiences.remembered(meeting.series)
    candidates = audiences.approved_since(meeting, remembered)
    if form is None:
        starts_at = meeting.starts_at + timedelta(weeks=4)
        while starts_at < timezone.now():
            starts_at += timedelta(weeks=4)
        form = ScheduleNextForm(
            candidates=candidates,
            zone=meeting.zone,
            initial={
                "starts_at": timezone.localtime(starts_at, meeting.zone).strftime("%Y-%m-%dT%H:%M"),
                "added": list(candidates),
            },
        )
    return {
        "meeting": meeting,
        "form": form,
        "remembered": remembered,
        "rules": [audiences.describe(rule) for rule in remembered.rules],
        "reach": audiences.reach(meeting, remembered.audiences, fresh=True),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def schedule_next(request, pk):
    """Propose the series' next meeting with the audience the series remembers (and the
    organizations approved since then); one confirmation schedules it and sends the invitations.
    "Create as a draft" only creates it, to adjust first."""
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=pk)
    if meeting.series is None:
        raise Http404
    if request.method == "GET":
        return render(request, "meetings/staff/next.html", _next_context(meeting))
    remembered = audiences.remembered(meeting.series)
    form = ScheduleNextForm(
        request.POST,
        candidates=audiences.approved_since(meeting, remembered),
        zone=meeting.zone,
    )
    if not form.is_valid():
        return render(request, "meetings/staff/next.html", _next_context(meeting, form), status=422)
    try:
        if request.POST.get("action") == "draft":
            next_meeting = _create_draft(meeting, request, form)
        else:
            next_meeting, created = series.schedule_next_with_audience(
                meeting=meeting,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                added=list(form.cleaned_data.get("added") or []),
            )
            messages.success(request, _("The next meeting is scheduled and public."))
            _invitations_created(request, created)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "meetings/staff/next.html", _next_context(meeting, form), status=422)
    return redirect("staff_meetings:detail", pk=next_meeting.pk)


def _create_draft(meeting: Meeting, request, form) -> Meeting:
    from . import services

    next_meeting = services.schedule_next_meeting(
        meeting=meeting, by=request.user, starts_at=form.cleaned_data["starts_at"]
    )
    messages.success(
        request, _("The next meeting was created as a draft. Check its date and agenda.")
    )
    return next_meeting


# --- The series page and its standing liaisons --------------------------------------------


def _series_context(series_obj: Series, *, liaison_form=None) -> dict:
    remembered = audiences.remembered(series_obj)
    return {
        "series": series_obj,
        "meetings": list(series.series_meetings(series_obj)),
        "remembered": remembered,
        "rules": [audiences.describe(rule) for rule in remembered.rules],
        "liaisons": list(liaisons.standing_liaisons(series_obj)),
        "liaison_form": liaison_form or SeriesLiaisonForm(),
    }


def _render_series(request, context: dict, *, status: int = 200):
    # The page shows the liaisons' addresses: every rendering is logged.
    audit.record(request, audit.Action.VIEW_CONTACTS, context["series"])
    return render(request, "meetings/staff/series.html", context, status=status)


@staff_required
@require_safe
def series_detail(request, series_pk):
    series_obj = get_object_or_404(Series, pk=series_pk)
    return _render_series(request, _series_context(series_obj))


@staff_required
@require_POST
def series_liaison_add(request, series_pk):
    series_obj = get_object_or_404(Series, pk=series_pk)
    form = SeriesLiaisonForm(request.POST)
    if form.is_valid():
        try:
            liaisons.name_standing_liaison(
                series=series_obj,
                country=form.cleaned_data["country"],
                user=form.user,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
    if form.errors:
        context = _series_context(series_obj, liaison_form=form)
        return _render_series(request, context, status=422)
    messages.success(request, _("The standing country liaison was named."))
    return redirect("staff_meetings:series", series_pk=series_obj.pk)


@staff_required
@require_POST
def series_liaison_remove(request, series_pk, liaison_pk):
    liaison = get_object_or_404(SeriesLiaison, pk=liaison_pk, series_id=series_pk)
    liaisons.remove_standing_liaison(liaison=liaison, by=request.user)
    messages.success(request, _("The standing country liaison was removed."))
    return redirect("staff_meetings:series", series_pk=series_pk)


# --- The check-in archive -----------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def archive_import(request):
    """Upload an archive file: a dry run reports each record's problems and writes nothing;
    "Import" (the file's text carried in the confirmation form) writes it."""
    form = ArchiveImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "report": None}
    if request.method == "GET":
        return render(request, "meetings/staff/archive_import.html", context)
    if not form.is_valid():
        return render(request, "meetings/staff/archive_import.html", context, status=422)
    confirm = request.POST.get("action") == "import"
    report = archive.import_text(form.text(), by=request.user, dry_run=not confirm)
    context.update(report=report, content=form.text())
    if confirm and report.ok:
        messages.success(
            request,
            ngettext(
                "%(count)s past meeting was imported.",
                "%(count)s past meetings were imported.",
                len(report.records),
            )
            % {"count": len(report.records)},
        )
        return redirect("staff_meetings:archive_import")
    return render(
        request,
        "meetings/staff/archive_import.html",
        context,
        status=200 if report.ok else 422,
    )
