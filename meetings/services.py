"""Every change to meetings, agendas, attendance and minutes.

The calendar contract: a meeting's ``uid`` never changes, and its ``sequence`` rises with every
change a calendar must see (time, place, link, status), so calendars that imported an older
version replace it instead of showing two.
"""

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import search
from organizations.models import Organization

from . import invitations, notices
from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, Minutes, Series, Summary

logger = logging.getLogger(__name__)

# Fields a calendar copy of the meeting shows: changing one raises ``sequence``. The stream
# link is in every calendar copy's description (public files too), so it counts.
CALENDAR_FIELDS = frozenset(
    {"starts_at", "ends_at", "time_zone", "video_url", "place", "status", "title", "stream_url"}
)
MEETING_FIELDS = frozenset(
    {
        "series",
        "number",
        "kind",
        "title",
        "description",
        "organizer",
        "starts_at",
        "ends_at",
        "time_zone",
        "video_url",
        "place",
        "scope",
        "host_country",
        "stream_url",
        "recording_url",
        "staff_notes",
        "reminder_offsets",
    }
)


def _unique_slug(text: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(search.fold(text))[:100] or "sastanak"
    slug, counter = base, 2
    taken = Meeting.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


@transaction.atomic
def create_meeting(*, by, slug: str = "", **fields) -> Meeting:
    """Create a draft meeting from ``fields`` (see MEETING_FIELDS)."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(**fields)
    if meeting.series_id and meeting.number is None:
        meeting.number = next_number(meeting.series)
    meeting.slug = slug or _unique_slug(meeting.title)
    meeting.full_clean()
    meeting.save()
    search.refresh(meeting)
    logger.info("meeting created: meeting=%s by=%s", meeting.pk, getattr(by, "pk", None))
    return meeting


@transaction.atomic
def update_meeting(*, meeting: Meeting, by, **changes) -> Meeting:
    """Change the meeting's fields; raise its calendar sequence when calendars must follow."""
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = {name for name, value in changes.items() if getattr(meeting, name) != value}
    for name in changed:
        setattr(meeting, name, changes[name])
    if not changed:
        return meeting
    if changed & CALENDAR_FIELDS:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    search.refresh(meeting)
    if changed & CALENDAR_FIELDS and meeting.status == Meeting.Status.SCHEDULED:
        invitations.request_updates(meeting)
    logger.info(
        "meeting changed: meeting=%s fields=%s by=%s",
        meeting.pk,
        ",".join(sorted(changed)),
        getattr(by, "pk", None),
    )
    return meeting


def _change_status(meeting: Meeting, status: str, *, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.can_become(status):
        raise ValidationError(
            _("A %(current)s meeting cannot become %(new)s."),
            code="invalid_transition",
            params={
                "current": meeting.get_status_display(),
                "new": Meeting.Status(status).label,
            },
        )
    previous = meeting.status
    meeting.status = status
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    if status == Meeting.Status.CANCELLED:
        invitations.request_cancellations(meeting)
    elif status == Meeting.Status.SCHEDULED and previous == Meeting.Status.CANCELLED:
        invitations.request_updates(meeting)
    logger.info(
        "meeting status: meeting=%s status=%s by=%s", meeting.pk, status, getattr(by, "pk", None)
    )
    return meeting


@transaction.atomic
def schedule_meeting(*, meeting: Meeting, by) -> Meeting:
    """Announce a draft (or re-announce a cancelled) meeting: it gets a public page."""
    return _change_status(meeting, Meeting.Status.SCHEDULED, by=by)


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by) -> Meeting:
    """Cancel the meeting; calendars that hold it will show it cancelled."""
    return _change_status(meeting, Meeting.Status.CANCELLED, by=by)


@transaction.atomic
def mark_meeting_held(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Record that the scheduled meeting took place (not before it started)."""
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise ValidationError(
            _("A meeting can be marked as held only once it has started."), code="not_started"
        )
    return _change_status(meeting, Meeting.Status.HELD, by=by)


# --- Agenda --------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    by,
    title: str,
    description: str = "",
    presenter: Organization | None = None,
    duration_minutes: int | None = None,
    is_standing: bool = False,
    carried_from: AgendaItem | None = None,
) -> AgendaItem:
    """Add an item at the end of the meeting's agenda."""
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        meeting=meeting,
        position=0 if last is None else last + 1,
        title=title,
        description=description,
        presenter=presenter,
        duration_minutes=duration_minutes,
        is_standing=is_standing,
        carried_from=carried_from,
    )
    item.full_clean()
    item.save()
    search.refresh(meeting)
    return item


@transaction.atomic
def remove_agenda_item(*, item: AgendaItem, by) -> None:
    """Remove the item from its meeting's agenda and close the gap it leaves."""
    meeting = item.meeting
    ActionItem.objects.filter(carried_into=item).update(carried_into=None)
    item.delete()
    reorder_agenda_items(
        meeting=meeting, by=by, order=list(meeting.agenda_items.values_list("pk", flat=True))
    )
    search.refresh(meeting)


@transaction.atomic
def reorder_agenda_items(*, meeting: Meeting, by, order: list[int]) -> None:
    """Put the meeting's agenda items in ``order`` (their ids); every item must be named once."""
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    if sorted(order) != sorted(items):
        raise ValidationError(
            _("The new order must name every item of the agenda once."), code="invalid_order"
        )
    for position, pk in enumerate(order):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, by, offset: int) -> None:
    """Move the item ``offset`` places up (negative) or down (positive) in its agenda."""
    order = list(item.meeting.agenda_items.values_list("pk", flat=True))
    index = order.index(item.pk)
    new_index = max(0, min(len(order) - 1, index + offset))
    order.insert(new_index, order.pop(index))
    reorder_agenda_items(meeting=item.meeting, by=by, order=order)


def agenda_overrun(meeting: Meeting, items: list[AgendaItem] | None = None) -> timedelta | None:
    """How far the agenda's durations run past the meeting's end, or None when they fit."""
    items = list(meeting.agenda_items.all()) if items is None else items
    total = timedelta(minutes=sum(item.duration_minutes or 0 for item in items))
    overrun = total - (meeting.ends_at - meeting.starts_at)
    return overrun if overrun > timedelta(0) else None


# --- Attendance and minutes ----------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, by, organization: Organization, people: int, note: str = ""
) -> Attendance:
    """Record (or correct) how many people of the organization attended the meeting."""
    attendance = Attendance.objects.filter(meeting=meeting, organization=organization).first()
    attendance = attendance or Attendance(meeting=meeting, organization=organization)
    attendance.people = people
    attendance.note = note
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def remove_attendance(*, attendance: Attendance, by) -> None:
    attendance.delete()


def _minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


@transaction.atomic
def save_minutes(
    *,
    meeting: Meeting,
    by,
    summaries: dict[str, str],
    language: str | None = None,
    notes: dict[int, str] | None = None,
    not_reached: set[int] | None = None,
) -> Minutes:
    """Save the summary per language and the notes per agenda item (id) of the meeting."""
    minutes = _minutes_for(meeting)
    if language:
        minutes.language = language
        minutes.full_clean()
        minutes.save()
    for code, text in summaries.items():
        summary = Summary.objects.filter(minutes=minutes, language=code).first()
        summary = summary or Summary(minutes=minutes, language=code)
        summary.text = text.strip()
        summary.full_clean()
        summary.save()
    if notes is not None or not_reached is not None:
        items = list(meeting.agenda_items.all())
        for item in items:
            if notes is not None:
                item.notes = notes.get(item.pk, item.notes).strip()
            if not_reached is not None:
                item.not_reached = item.pk in not_reached
        AgendaItem.objects.bulk_update(items, ["notes", "not_reached"])
    search.refresh(meeting)
    return minutes


@transaction.atomic
def add_decision(*, meeting: Meeting, by, text: str) -> Decision:
    """Add a decision at the end of the meeting's minutes."""
    minutes = _minutes_for(meeting)
    last = minutes.decisions.aggregate(last=Max("position"))["last"]
    decision = Decision(minutes=minutes, text=text.strip(), position=(last or 0) + 1)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def remove_decision(*, decision: Decision, by) -> None:
    decision.delete()


@transaction.atomic
def add_action_item(
    *,
    meeting: Meeting,
    by,
    text: str,
    responsible: Organization | None = None,
    due_on: date | None = None,
) -> ActionItem:
    """Add an action item; without a responsible organization the ministry is responsible."""
    last = meeting.action_items.aggregate(last=Max("position"))["last"]
    item = ActionItem(
        meeting=meeting,
        text=text.strip(),
        responsible=responsible,
        due_on=due_on,
        position=(last or 0) + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_action_item_status(*, item: ActionItem, by, status: str) -> ActionItem:
    """Mark the action item open, done or dropped; every summary shows the current status."""
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "updated_at"])
    return item


@transaction.atomic
def remove_action_item(*, item: ActionItem, by) -> None:
    item.delete()


@transaction.atomic
def publish_minutes(*, meeting: Meeting, by, now: datetime | None = None) -> Minutes:
    """Publish the minutes of a held meeting: its summary page becomes public."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            _("Mark the meeting as held before publishing its minutes."), code="not_held"
        )
    minutes = _minutes_for(meeting)
    if not any(summary.text for summary in minutes.summaries.all()):
        raise ValidationError(_("Write a summary before publishing."), code="no_summary")
    if minutes.status != Minutes.Status.PUBLISHED:
        minutes.status = Minutes.Status.PUBLISHED
        minutes.published_at = now or timezone.now()
        minutes.full_clean()
        minutes.save()
        logger.info("minutes published: meeting=%s by=%s", meeting.pk, getattr(by, "pk", None))
    search.refresh(meeting)
    # Every invitee gets the summary once, also when publishing again after a correction; a
    # task queues the e-mails after the commit.
    notices.request_summary_emails(meeting=meeting)
    return minutes


@transaction.atomic
def unpublish_minutes(*, meeting: Meeting, by, reason: str = "") -> Minutes:
    """Take the summary back to draft (e.g. to correct it); staff give the reason.

    When, by whom and why are kept on the minutes (shown on the staff page) and logged.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    minutes = _minutes_for(meeting)
    was_published = minutes.is_published
    minutes.status = Minutes.Status.DRAFT
    minutes.published_at = None
    if was_published and reason:
        minutes.withdrawn_at = timezone.now()
        minutes.withdrawn_by = by if getattr(by, "pk", None) else None
        minutes.withdrawn_reason = reason
    minutes.full_clean()
    minutes.save()
    if was_published:
        logger.info("minutes withdrawn: meeting=%s by=%s", meeting.pk, getattr(by, "pk", None))
    search.refresh(meeting)
    return minutes


# --- What staff do next -------------------------------------------------------------------


def next_step(
    meeting: Meeting,
    *,
    invited: bool,
    attended: bool,
    minutes: Minutes | None,
    now: datetime | None = None,
) -> str | None:
    """The next step of the meeting's staff work, for the "Next step" box; None when done.

    schedule -> invite organizations -> (after the end) record attendance -> mark as held ->
    write the minutes -> publish them.
    """
    now = now or timezone.now()
    if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        return "schedule" if meeting.status == Meeting.Status.DRAFT else None
    if meeting.status == Meeting.Status.SCHEDULED:
        if not invited:
            return "invite"
        if meeting.ends_at > now:
            return None
        return "held" if attended else "attendance"
    if minutes is None or not any(summary.text for summary in minutes.summaries.all()):
        return "minutes"
    return None if minutes.is_published else "publish"


# --- The next meeting of a series ----------------------------------------------------------


def next_number(series: Series) -> int:
    last = series.meetings.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _next_title(meeting: Meeting, number: int) -> str:
    if meeting.series is None:
        return meeting.title
    return f"{number}. {meeting.series.name}"


@transaction.atomic
def schedule_next_meeting(*, meeting: Meeting, by, starts_at: datetime | None = None) -> Meeting:
    """Create the series' next meeting as a draft, ready to adjust.

    It keeps the kind, length, zone, link, place and audience; its agenda holds the standing
    items, every agenda item not reached this time and every open action item of the series.
    """
    if meeting.series is None:
        raise ValidationError(_("Only a meeting of a series has a next one."), code="no_series")
    series = Series.objects.select_for_update().get(pk=meeting.series_id)
    number = next_number(series)
    starts_at = starts_at or meeting.starts_at + timedelta(weeks=4)
    while starts_at < timezone.now():
        starts_at += timedelta(weeks=4)
    next_meeting = create_meeting(
        by=by,
        series=series,
        number=number,
        kind=meeting.kind,
        title=_next_title(meeting, number),
        description=meeting.description,
        organizer=meeting.organizer,
        starts_at=starts_at,
        ends_at=starts_at + (meeting.ends_at - meeting.starts_at),
        time_zone=meeting.time_zone,
        video_url=meeting.video_url,
        place=meeting.place,
        scope=meeting.scope,
        host_country=meeting.host_country,
        stream_url=meeting.stream_url,
    )
    for item in meeting.agenda_items.filter(is_standing=True):
        add_agenda_item(
            meeting=next_meeting,
            by=by,
            title=item.title,
            description=item.description,
            presenter=item.presenter,
            duration_minutes=item.duration_minutes,
            is_standing=True,
            carried_from=item,
        )
    for item in meeting.agenda_items.filter(is_standing=False, not_reached=True):
        add_agenda_item(
            meeting=next_meeting,
            by=by,
            title=item.title,
            description=item.description,
            presenter=item.presenter,
            duration_minutes=item.duration_minutes,
            carried_from=item,
        )
    open_items = ActionItem.objects.filter(
        meeting__series=series, status=ActionItem.Status.OPEN
    ).select_related("responsible")
    for action in open_items.order_by("due_on", "pk"):
        agenda_item = add_agenda_item(
            meeting=next_meeting,
            by=by,
            title=str(_("Follow-up: %(text)s") % {"text": action.text})[:300],
            presenter=action.responsible,
        )
        action.carried_into = agenda_item
        action.save(update_fields=["carried_into", "updated_at"])
    return next_meeting
