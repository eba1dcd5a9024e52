"""The staff pages of meetings (/staff/meetings/): every view behind the staff rule.

Agenda, decisions and action items are edited with small forms that work as plain POSTs and,
with htmx, swap only their part of the page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.roles import staff_required
from core import audit, pages

from . import (
    audiences,
    invitation_queries,
    liaisons,
    notices,
    queries,
    series,
    services,
)
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    InviteForm,
    LiaisonForm,
    MeetingForm,
    MinutesForm,
    NudgeForm,
    WithdrawMinutesForm,
)
from .models import ActionItem, AgendaItem, Attendance, Decision, Liaison, Meeting, Minutes


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _meeting(pk: int) -> Meeting:
    meeting = queries.staff_meeting(pk)
    if meeting is None:
        raise Http404
    return meeting


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_required
@require_safe
def meeting_list(request):
    page, page_error = pages.requested_page(request, queries.staff_meetings(), 30)
    context = {"page": page, "page_error": page_error}
    return render(request, "meetings/staff/list.html", context, status=422 if page_error else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            meeting = services.create_meeting(by=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting was created as a draft."))
            return redirect("staff_meetings:detail", pk=meeting.pk)
        return render(request, "meetings/staff/form.html", {"form": form}, status=422)
    return render(request, "meetings/staff/form.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if form.is_valid():
            # The form filled the instance in memory; the service compares with the database.
            services.update_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting was saved."))
            return redirect("staff_meetings:detail", pk=meeting.pk)
        return render(
            request, "meetings/staff/form.html", {"form": form, "meeting": meeting}, status=422
        )
    return render(request, "meetings/staff/form.html", {"form": form, "meeting": meeting})


def _detail_context(meeting: Meeting, **extra) -> dict:
    agenda = list(meeting.agenda_items.all())
    overrun = services.agenda_overrun(meeting, agenda)
    counts = invitation_queries.counts(meeting)
    attendances = list(meeting.attendances.all())
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {
        "next_step": services.next_step(
            meeting, invited=bool(counts["invited"]), attended=bool(attendances), minutes=minutes
        ),
        "meeting": meeting,
        "agenda": agenda,
        "overrun_minutes": int(overrun.total_seconds() // 60) if overrun else 0,
        "agenda_form": AgendaItemForm(),
        "attendance_form": AttendanceForm(),
        "attendances": attendances,
        "minutes": minutes,
        "notice_counts": notices.notice_counts(meeting),
        "can_nudge": notices.can_nudge(meeting),
        "invite_form": InviteForm(meeting=meeting),
        "counts": counts,
        "answers": list(
            invitation_queries.latest_answers(meeting)
            .select_related("organization")
            .order_by("organization__name")
        ),
        "from_rsvps": invitation_queries.answers_for_attendance(meeting),
        "liaisons": list(meeting.liaisons.select_related("user")),
        "series_liaisons": (
            list(liaisons.standing_liaisons(meeting.series)) if meeting.series_id else []
        ),
        "absent_twice": series.absent_twice(meeting),
        "liaison_form": LiaisonForm(),
        "withdraw_form": WithdrawMinutesForm(),
        **extra,
    }


def _render_detail(request, context: dict, *, status: int = 200):
    # The page shows the liaisons' addresses and the invitees' answers: every rendering of it
    # (the page, and the page again with a form's errors) is logged.
    audit.record(request, audit.Action.VIEW_CONTACTS, context["meeting"])
    return render(request, "meetings/staff/detail.html", context, status=status)


@staff_required
@require_safe
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    return _render_detail(request, _detail_context(meeting))


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_nudge(request, pk):
    """Show how many invitees have not answered, then nudge them once on confirmation."""
    meeting = get_object_or_404(Meeting, pk=pk)
    form = NudgeForm(request.POST or None, next_number=notices.next_nudge_number(meeting))
    context = {
        "meeting": meeting,
        "form": form,
        "count": notices.nonresponders(meeting).count(),
        "can_nudge": notices.can_nudge(meeting),
    }
    if request.method == "POST":
        if not context["can_nudge"]:
            messages.error(request, _("Only a scheduled meeting that has not started is nudged."))
            return redirect("staff_meetings:detail", pk=pk)
        if not form.is_valid():
            return render(request, "meetings/staff/nudge.html", context, status=422)
        # The e-mails are queued by a task after the commit; the count is who lacks this nudge.
        lacking = notices.send_nudge(
            meeting=meeting, by=request.user, number=form.cleaned_data["number"]
        )
        messages.success(
            request,
            ngettext(
                "%(count)s invitee is reminded to answer.",
                "%(count)s invitees are reminded to answer.",
                lacking,
            )
            % {"count": lacking},
        )
        return redirect("staff_meetings:detail", pk=pk)
    return render(request, "meetings/staff/nudge.html", context)


STATUS_ACTIONS = {
    "schedule": (services.schedule_meeting, _("The meeting is scheduled and public.")),
    "cancel": (services.cancel_meeting, _("The meeting is cancelled.")),
    "held": (services.mark_meeting_held, _("The meeting is marked as held.")),
}


@staff_required
@require_POST
def meeting_status(request, pk, action):
    meeting = get_object_or_404(Meeting, pk=pk)
    if action not in STATUS_ACTIONS:
        raise Http404
    service, done = STATUS_ACTIONS[action]
    try:
        service(meeting=meeting, by=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, str(done))
    return redirect("staff_meetings:detail", pk=meeting.pk)


# --- Agenda (htmx or plain POST) ----------------------------------------------------------


def _agenda_context(meeting: Meeting, *, form=None) -> dict:
    """What the agenda part of the page needs: the agenda, its overrun, the form to add."""
    agenda = queries.agenda(meeting)
    overrun = services.agenda_overrun(meeting, agenda)
    return {
        "meeting": meeting,
        "agenda": agenda,
        "overrun_minutes": int(overrun.total_seconds() // 60) if overrun else 0,
        "agenda_form": form or AgendaItemForm(),
    }


def _agenda_response(request, meeting: Meeting, *, form=None, status=200):
    """The agenda part alone for htmx; the whole page (errors) or a redirect otherwise."""
    if _partial(request):
        context = _agenda_context(meeting, form=form)
        return render(request, "meetings/staff/partials/agenda.html", context, status=status)
    if status != 200:
        context = _detail_context(_meeting(meeting.pk))
        if form is not None:
            context["agenda_form"] = form
        return _render_detail(request, context, status=status)
    return redirect("staff_meetings:detail", pk=meeting.pk)


@staff_required
@require_POST
@vary_on_headers("HX-Request")
def agenda_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, meeting, form=form, status=422)
    services.add_agenda_item(meeting=meeting, by=request.user, **form.cleaned_data)
    return _agenda_response(request, meeting)


@staff_required
@require_POST
@vary_on_headers("HX-Request")
def agenda_remove(request, pk, item_pk):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting_id=pk
    )
    services.remove_agenda_item(item=item, by=request.user)
    return _agenda_response(request, item.meeting)


@staff_required
@require_POST
@vary_on_headers("HX-Request")
def agenda_move(request, pk, item_pk):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting_id=pk
    )
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return _agenda_response(request, item.meeting, status=400)
    services.move_agenda_item(item=item, by=request.user, offset=offset)
    return _agenda_response(request, item.meeting)


# --- Attendance ---------------------------------------------------------------------------


@staff_required
@require_POST
def attendance_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        context = _detail_context(_meeting(pk), attendance_form=form)
        return _render_detail(request, context, status=422)
    services.record_attendance(meeting=meeting, by=request.user, **form.cleaned_data)
    messages.success(request, _("The attendance was recorded."))
    return redirect("staff_meetings:detail", pk=pk)


@staff_required
@require_POST
def attendance_remove(request, pk, attendance_pk):
    attendance = get_object_or_404(Attendance, pk=attendance_pk, meeting_id=pk)
    services.remove_attendance(attendance=attendance, by=request.user)
    return redirect("staff_meetings:detail", pk=pk)


# --- Minutes ------------------------------------------------------------------------------


def _minutes_context(meeting: Meeting, **forms) -> dict:
    minutes = Minutes.objects.prefetch_related("summaries").filter(meeting=meeting).first()
    return {
        "meeting": meeting,
        "minutes": minutes,
        "form": forms.get("form") or MinutesForm(meeting=meeting, minutes=minutes),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "action_form": forms.get("action_form") or ActionItemForm(),
        "decisions": list(minutes.decisions.all()) if minutes else [],
        "action_items": list(meeting.action_items.select_related("responsible")),
        "status_choices": ActionItem.Status.choices,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = _meeting(pk)
    if request.method == "POST":
        form = MinutesForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return render(
                request, "meetings/staff/minutes.html", _minutes_context(meeting, form=form), 422
            )
        services.save_minutes(
            meeting=meeting,
            by=request.user,
            language=form.cleaned_data["language"],
            summaries=form.summaries(),
            notes=form.notes(),
            not_reached=form.not_reached(),
        )
        messages.success(request, _("The minutes were saved."))
        return redirect("staff_meetings:minutes", pk=pk)
    return render(request, "meetings/staff/minutes.html", _minutes_context(meeting))


@staff_required
@require_POST
def decision_add(request, pk):
    meeting = _meeting(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = _minutes_context(meeting, decision_form=form)
        return render(request, "meetings/staff/minutes.html", context, status=422)
    services.add_decision(meeting=meeting, by=request.user, text=form.cleaned_data["text"])
    return redirect("staff_meetings:minutes", pk=pk)


@staff_required
@require_POST
def decision_remove(request, pk, decision_pk):
    decision = get_object_or_404(Decision, pk=decision_pk, minutes__meeting_id=pk)
    services.remove_decision(decision=decision, by=request.user)
    return redirect("staff_meetings:minutes", pk=pk)


@staff_required
@require_POST
def action_add(request, pk):
    meeting = _meeting(pk)
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        context = _minutes_context(meeting, action_form=form)
        return render(request, "meetings/staff/minutes.html", context, status=422)
    services.add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
    return redirect("staff_meetings:minutes", pk=pk)


@staff_required
@require_POST
def action_status(request, action_pk):
    item = get_object_or_404(ActionItem, pk=action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_item_status(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("The status of the action item was changed."))
    else:
        messages.error(request, _("Choose open, done or dropped."))
    next_page = request.POST.get("next")
    if next_page == "open":
        return redirect("staff_meetings:actions")
    return redirect("staff_meetings:minutes", pk=item.meeting_id)


@staff_required
@require_POST
def action_remove(request, pk, action_pk):
    item = get_object_or_404(ActionItem, pk=action_pk, meeting_id=pk)
    services.remove_action_item(item=item, by=request.user)
    return redirect("staff_meetings:minutes", pk=pk)


@staff_required
@require_POST
def minutes_publish(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.publish_minutes(meeting=meeting, by=request.user)
    except ValidationError as error:
        _report(request, error)
        return redirect("staff_meetings:minutes", pk=pk)
    messages.success(request, _("The summary is published on the meeting's public page."))
    return redirect("staff_meetings:detail", pk=pk)


@staff_required
@require_POST
def minutes_withdraw(request, pk):
    """Take published minutes off the public page, with the reason staff give."""
    meeting = _meeting(pk)
    form = WithdrawMinutesForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, _detail_context(meeting, withdraw_form=form), status=422)
    services.unpublish_minutes(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("The summary is withdrawn from the meeting's public page."))
    return redirect("staff_meetings:detail", pk=pk)


@staff_required
@require_safe
def open_actions(request):
    """Open action items across meetings, by due date."""
    items = list(queries.open_action_items())
    return render(
        request,
        "meetings/staff/actions.html",
        {"items": items, "status_choices": ActionItem.Status.choices},
    )


# --- Invitations and liaisons -------------------------------------------------------------


@staff_required
@require_POST
def invite(request, pk):
    """Create the invitations of the chosen audience; a task sends them after the commit."""
    meeting = get_object_or_404(Meeting, pk=pk)
    form = InviteForm(request.POST, meeting=meeting)
    if not form.is_valid():
        context = _detail_context(_meeting(pk), invite_form=form)
        return _render_detail(request, context, status=422)
    try:
        created = audiences.invite_audiences(meeting, [form.audience()], by=request.user)
    except ValidationError as error:
        _report(request, error)
        return redirect("staff_meetings:detail", pk=pk)
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
    return redirect("staff_meetings:detail", pk=pk)


@staff_required
@require_safe
def invitation_counts(request, pk):
    """The live counts (htmx polls this part of the meeting page)."""
    meeting = get_object_or_404(Meeting.objects.only("pk", "status"), pk=pk)
    return render(
        request,
        "meetings/staff/partials/invitation_counts.html",
        {"meeting": meeting, "counts": invitation_queries.counts(meeting)},
    )


@staff_required
@require_POST
def liaison_add(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = LiaisonForm(request.POST)
    if not form.is_valid():
        context = _detail_context(_meeting(pk), liaison_form=form)
        return _render_detail(request, context, status=422)
    try:
        liaisons.assign_liaison(meeting, form.user, by=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The country liaison was added."))
    return redirect("staff_meetings:detail", pk=pk)


@staff_required
@require_POST
def liaison_remove(request, pk, liaison_pk):
    liaison = get_object_or_404(Liaison, pk=liaison_pk, meeting_id=pk)
    liaisons.remove_liaison(liaison, by=request.user)
    return redirect("staff_meetings:detail", pk=pk)
