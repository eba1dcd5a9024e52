"""Reminders before a meeting, nudges to invitees who have not answered, and the e-mail of a
published summary: each reaches each invitee once.

Once only: every notice is a ``Notice`` row inserted with ``INSERT … ON CONFLICT DO NOTHING``
on its unique key (invitation + kind + offset or number [+ the meeting's start]) and its outbox
e-mail is queued in the same transaction. A second task for the same round, a retried task or
a double click running at the same time waits for the first one's commit and then inserts, and
so queues, nothing. A worker killed before the commit leaves neither row nor e-mail, and the
next tick enqueues the work again; one killed while sending is the outbox's business (lease,
one retry with the same Message-ID).

Never late: a reminder or nudge carries the meeting's start as its ``not_after``, so the outbox
drops it once the meeting has begun, and a reminder is queued only shortly after it fell due
(``REMINDER_GRACE``): a beat that was down for a day sends no "tomorrow" one hour before.

Short ticks: the beat tick only finds the reminder rounds that are due and still missing for
someone, and enqueues a task for each; the task renders and queues the e-mails.

Short requests: a nudge or a published summary is a ``NoticeRound`` row marked "to send" by the
staff request, which enqueues one task after the commit. The task claims the round with
``SKIP LOCKED`` and queues its e-mails in batches as above; the minute's sweep sends a round
whose task was lost (the broker was down).
"""

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from core.enqueue import enqueue_or_leave_for_sweep
from mail import services as mail
from mail.models import OutgoingEmail

from . import visibility
from .models import (
    MAX_REMINDER_OFFSET,
    Invitation,
    Meeting,
    Notice,
    NoticeRound,
    lock_meeting_for_share,
)

logger = logging.getLogger(__name__)

Kind = Notice.Kind
# At most this many notices of one kind per meeting are queued per transaction; the next tick
# (or the next batch of the same call) takes the rest, so one tick stays short.
BATCH_SIZE = 500
# At most this many nudge and summary rounds whose task was lost are sent per sweep.
ROUNDS_PER_SWEEP = 50
# A reminder goes out at most this long after it fell due, and at most half its offset late
# (a "starts in an hour" reminder no later than half an hour before the start).
REMINDER_GRACE = timedelta(hours=2)

TEMPLATES = {
    Kind.REMINDER: "meetings/emails/reminder",
    Kind.NUDGE: "meetings/emails/nudge",
    Kind.SUMMARY: "meetings/emails/summary",
}
# Which invitees get a notice of each kind.
AUDIENCE_SQL = {
    Kind.REMINDER: "i.answer <> 'no'",
    Kind.NUDGE: "i.answer = ''",
    Kind.SUMMARY: "TRUE",
}
# What makes two notices the same (mirrors the unique constraints on Notice).
SAME_NOTICE_SQL = {
    Kind.REMINDER: "n.kind = 'reminder' AND n.number = %(number)s AND n.starts_at = %(starts_at)s",
    Kind.NUDGE: "n.kind = 'nudge' AND n.number = %(number)s",
    Kind.SUMMARY: "n.kind = 'summary'",
}


def reminder_late_limit(offset_minutes: int) -> timedelta:
    """How long after it fell due a reminder of ``offset_minutes`` may still be sent."""
    return min(timedelta(minutes=offset_minutes) / 2, REMINDER_GRACE)


class Reminder(NamedTuple):
    """One reminder round: a meeting's reminder ``offset`` minutes before ``starts_at``."""

    meeting_id: int
    offset: int
    starts_at: datetime

    def is_due(self, now: datetime) -> bool:
        due_at = self.starts_at - timedelta(minutes=self.offset)
        return due_at <= now < due_at + reminder_late_limit(self.offset)


def due_reminders(*, now: datetime) -> list[Reminder]:
    """The reminder rounds due now that some invitee has not had yet.

    One indexed query for the meetings starting soon, then one indexed EXISTS per round in its
    sending window (rarely more than one or two), whatever the number of invitations.
    """
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(minutes=MAX_REMINDER_OFFSET),
    ).values_list("pk", "starts_at", "reminder_offsets")
    due = []
    for pk, starts_at, offsets in meetings.order_by("starts_at", "pk"):
        for offset in sorted(set(offsets), reverse=True):
            reminder = Reminder(pk, offset, starts_at)
            if reminder.is_due(now) and _someone_lacks(reminder):
                due.append(reminder)
    return due


def send_due_reminders(*, now: datetime | None = None) -> int:
    """The beat tick: enqueue one task per reminder round that is due; return how many.

    The tick only looks; the tasks render and queue the e-mails, so a tick stays short however
    many invitees a meeting has. A round whose task has not finished yet is enqueued again by
    the next tick, and the second task finds nothing left to send.
    """
    now = now or timezone.now()
    due = due_reminders(now=now)
    enqueued = sum(_enqueue_reminder(reminder) for reminder in due)
    dropped = drop_stale_notices()
    if dropped:
        logger.info("meeting reminders and nudges dropped unsent: %s", dropped)
    return enqueued


def send_reminder(reminder: Reminder, *, now: datetime | None = None) -> int:
    """Queue the e-mails of one reminder round to every invitee who has not had it; return how
    many. Nothing is sent when the round is no longer due: the meeting was moved, cancelled,
    or the task ran too late."""
    now = now or timezone.now()
    if not reminder.is_due(now):
        return 0
    queued = 0
    while True:
        with transaction.atomic(durable=True):
            # Locked, so a concurrent reschedule or cancellation waits for this batch (and this
            # batch for it): a reminder never goes out for a start just moved. A second task
            # for the same round waits here too, then finds the batch done.
            meeting = (
                Meeting.objects.select_for_update(no_key=True)
                .filter(
                    pk=reminder.meeting_id,
                    status=Meeting.Status.SCHEDULED,
                    starts_at=reminder.starts_at,
                )
                .first()
            )
            if meeting is None or reminder.offset not in meeting.reminder_offsets:
                return queued
            count = _queue_notices(
                meeting=meeting,
                kind=Kind.REMINDER,
                number=reminder.offset,
                not_after=meeting.starts_at,
            )
        queued += count
        if count < BATCH_SIZE:
            if queued:
                logger.info(
                    "meeting reminders queued: meeting=%s offset=%s count=%s",
                    reminder.meeting_id,
                    reminder.offset,
                    queued,
                )
            return queued


def _enqueue_reminder(reminder: Reminder) -> bool:
    from .tasks import send_reminder_task

    # Nothing was claimed: the next tick enqueues it again.
    return enqueue_or_leave_for_sweep(
        send_reminder_task,
        (reminder.meeting_id, reminder.offset, reminder.starts_at.isoformat()),
        what=f"the reminder round {reminder}",
    )


def drop_stale_notices() -> int:
    """Drop unsent reminders and nudges of meetings cancelled or moved since they were queued
    (e.g. while SMTP was down); return how many. Cheap: it starts from the pending outbox rows."""
    stale = Notice.objects.filter(
        kind__in=[Kind.REMINDER, Kind.NUDGE],
        email__status__in=mail.PENDING,
    ).filter(
        ~Q(meeting__status=Meeting.Status.SCHEDULED)
        | Q(kind=Kind.REMINDER) & ~Q(starts_at=F("meeting__starts_at"))
    )
    pks = list(stale.values_list("email_id", flat=True)[:BATCH_SIZE])
    return mail.drop_pending_emails(pks=pks) if pks else 0


# --- Non-responders -----------------------------------------------------------------------


def nonresponders(meeting: Meeting):
    return Invitation.objects.filter(meeting=meeting, answer=Invitation.Answer.NONE)


def next_nudge_number(meeting: Meeting) -> int:
    """One past the last nudge asked for (its e-mails may still be on their way) or sent."""
    asked = NoticeRound.objects.filter(meeting=meeting, kind=Kind.NUDGE).aggregate(
        last=Max("number")
    )
    sent = Notice.objects.filter(meeting=meeting, kind=Kind.NUDGE).aggregate(last=Max("number"))
    return max(asked["last"] or 0, sent["last"] or 0) + 1


def can_nudge(meeting: Meeting, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > now


@transaction.atomic(durable=True)
def send_nudge(*, meeting: Meeting, by, number: int) -> int:
    """Ask for nudge ``number`` to every invitee who has not answered; return how many lack it.

    The number comes from the confirmation the member of staff saw, so a second click or a
    resubmitted form repeats the same nudge and sends nothing more. The e-mails are queued by
    a task after the commit: the request costs the same whatever the number of invitees.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_nudge(meeting):
        return 0
    _request_round(meeting=meeting, kind=Kind.NUDGE, number=number)
    lacking = _count_lacking(meeting_id=meeting.pk, kind=Kind.NUDGE, number=number)
    logger.info(
        "meeting nudge requested: meeting=%s number=%s lacking=%s by=%s",
        meeting.pk,
        number,
        lacking,
        getattr(by, "pk", None),
    )
    return lacking


# --- The published summary ----------------------------------------------------------------


def request_summary_emails(*, meeting: Meeting) -> None:
    """Ask for the published summary's e-mail to every invitee who has not had it.

    Runs inside the publishing transaction; a task queues the e-mails after the commit, and
    publishing again (or after unpublishing) sends nobody a second one.
    """
    _request_round(meeting=meeting, kind=Kind.SUMMARY, number=0)


# --- Rounds of nudges and summaries: asked for by a request, sent by a task ---------------


def _request_round(*, meeting: Meeting, kind: str, number: int) -> NoticeRound:
    """Mark the round "to send" (a new row, or the same one again) and enqueue its task after
    the commit; the sweep sends it if the task is lost. One query whatever the audience."""
    now = timezone.now()
    [fanout] = NoticeRound.objects.bulk_create(
        [NoticeRound(meeting=meeting, kind=kind, number=number, requested_at=now)],
        update_conflicts=True,
        unique_fields=["meeting", "kind", "number"],
        update_fields=["requested_at", "updated_at"],
    )
    transaction.on_commit(lambda: _enqueue_round(fanout.pk))
    return fanout


def _enqueue_round(round_id: int) -> bool:
    from .tasks import send_notice_round_task

    return enqueue_or_leave_for_sweep(
        send_notice_round_task, (round_id,), what=f"the notice round {round_id}"
    )


def send_notice_round(round_id: int) -> int:
    """Queue the e-mails of one nudge or summary round, in batches; return how many.

    Each batch claims the round with ``SKIP LOCKED``: a second task for the same round (a
    double click, a retry, the sweep) leaves it to the one at work. The ``Notice`` rows make
    each e-mail once only whoever queues it; the "to send" mark is cleared with the last batch,
    or at once when the round is no longer wanted (the meeting was cancelled or started, the
    summary unpublished).
    """
    fanout = NoticeRound.objects.filter(pk=round_id).only("meeting_id").first()
    if fanout is None:
        return 0
    queued = 0
    while True:
        with transaction.atomic(durable=True):
            # The meeting first, as the services that change it lock it, then the round. The
            # meeting's lock is shared: a cancellation waits for the batch, a second task for
            # the same round gets past it and skips the round.
            if not lock_meeting_for_share(fanout.meeting_id):
                return queued
            fanout = (
                NoticeRound.objects.select_for_update(skip_locked=True)
                .filter(pk=round_id, requested_at__isnull=False)
                .first()
            )
            if fanout is None:
                return queued
            meeting = Meeting.objects.select_related("minutes").get(pk=fanout.meeting_id)
            if not _round_wanted(meeting, fanout):
                count = 0
            else:
                not_after = meeting.starts_at if fanout.kind == Kind.NUDGE else None
                count = _queue_notices(
                    meeting=meeting, kind=fanout.kind, number=fanout.number, not_after=not_after
                )
            if count < BATCH_SIZE:
                NoticeRound.objects.filter(pk=round_id).update(
                    requested_at=None, updated_at=timezone.now()
                )
        queued += count
        if count < BATCH_SIZE:
            if queued:
                logger.info(
                    "meeting %s e-mails queued: meeting=%s number=%s count=%s",
                    fanout.kind,
                    meeting.pk,
                    fanout.number,
                    queued,
                )
            return queued


def _round_wanted(meeting: Meeting, fanout: NoticeRound) -> bool:
    if fanout.kind == Kind.NUDGE:
        return can_nudge(meeting)
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.is_published


def send_requested_notices(*, older_than: timedelta | None = None) -> int:
    """Send every round still "to send" (requested longer than ``older_than`` ago); the sweep."""
    rounds = NoticeRound.objects.filter(requested_at__isnull=False)
    if older_than is not None:
        rounds = rounds.filter(requested_at__lte=timezone.now() - older_than)
    pks = list(rounds.order_by("pk").values_list("pk", flat=True)[:ROUNDS_PER_SWEEP])
    return sum(send_notice_round(pk) for pk in pks)


# --- Counts for staff ---------------------------------------------------------------------


def notice_counts(meeting: Meeting) -> dict:
    """How many reminders, nudges and summaries were queued, sent and dropped; one query."""
    rows = (
        Notice.objects.filter(meeting=meeting)
        .values("kind")
        .annotate(
            queued=Count("pk"),
            sent=Count("pk", filter=Q(email__status=OutgoingEmail.Status.SENT)),
            dropped=Count(
                "pk",
                filter=Q(
                    email__status__in=[OutgoingEmail.Status.EXPIRED, OutgoingEmail.Status.FAILED]
                ),
            ),
            rounds=Count("number", distinct=True),
        )
        .order_by()
    )
    counts = {kind: {"queued": 0, "sent": 0, "dropped": 0, "rounds": 0} for kind in Kind.values}
    for row in rows:
        counts[row["kind"]] = {
            "queued": row["queued"],
            "sent": row["sent"],
            "dropped": row["dropped"],
            "rounds": row["rounds"],
        }
    return counts


# --- The once-only insert -----------------------------------------------------------------


def _lacking_sql(kind: str) -> str:
    """FROM and WHERE of the invitations of the notice's audience that have not had it."""
    return f"""
        FROM meetings_invitation i
        WHERE i.meeting_id = %(meeting)s AND {AUDIENCE_SQL[kind]}
          AND NOT EXISTS (
              SELECT 1 FROM meetings_notice n
              WHERE n.invitation_id = i.id AND {SAME_NOTICE_SQL[kind]}
          )
    """  # noqa: S608 - only the module's own constants are formatted in


def _claim_sql(kind: str) -> str:
    return f"""
        INSERT INTO meetings_notice (meeting_id, invitation_id, kind, number, starts_at, created_at)
        SELECT i.meeting_id, i.id, %(kind)s, %(number)s, %(starts_at)s, %(now)s
        {_lacking_sql(kind)}
        ORDER BY i.id
        LIMIT %(limit)s
        ON CONFLICT DO NOTHING
        RETURNING id, invitation_id
    """  # noqa: S608 - only the module's own constants are formatted in


def _count_lacking(*, meeting_id: int, kind: str, number: int) -> int:
    """How many invitees of the notice's audience have not had it: one query."""
    params = {"meeting": meeting_id, "number": number, "starts_at": None}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {_lacking_sql(kind)}", params)  # noqa: S608
        return cursor.fetchone()[0]


def _someone_lacks(reminder: Reminder) -> bool:
    """Whether an invitee of the round's audience has not had its reminder: one EXISTS."""
    params = {
        "meeting": reminder.meeting_id,
        "number": reminder.offset,
        "starts_at": reminder.starts_at,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 {_lacking_sql(Kind.REMINDER)})", params)  # noqa: S608
        return cursor.fetchone()[0]


def _queue_notices(
    *, meeting: Meeting, kind: str, number: int, not_after: datetime | None = None
) -> int:
    """Insert the next batch of this notice's rows and queue their e-mails; return how many.

    Must run inside a transaction: the rows and the e-mails commit together or not at all.
    """
    params = {
        "kind": kind,
        "number": number,
        "starts_at": meeting.starts_at if kind == Kind.REMINDER else None,
        "now": timezone.now(),
        "meeting": meeting.pk,
        "limit": BATCH_SIZE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(kind), params)
        claimed = dict(cursor.fetchall())  # notice id -> invitation id
    if not claimed:
        return 0
    invitations = Invitation.objects.filter(pk__in=claimed.values()).only(
        "pk", "meeting", "email", "language"
    )
    by_invitation = {invitation.pk: invitation for invitation in invitations}
    rendered = {}
    pairs = sorted(claimed.items())
    emails = []
    for _notice_pk, invitation_pk in pairs:
        invitation = by_invitation[invitation_pk]
        language = invitation.language or settings.LANGUAGE_CODE
        video_url = visibility.video_link(meeting, invitation=invitation)
        if (language, video_url) not in rendered:
            context = _context(meeting, kind=kind, number=number, video_url=video_url)
            rendered[language, video_url] = mail.render_email(
                TEMPLATES[kind], context, language=language
            )
        subject, body_text, body_html = rendered[language, video_url]
        emails.append(
            {
                "to": invitation.email,
                "subject": subject,
                "body_text": body_text,
                "body_html": body_html,
                "language": language,
                "template": TEMPLATES[kind],
                "not_after": not_after,
            }
        )
    queued = mail.queue_rendered_emails(emails)
    Notice.objects.bulk_update(
        [
            Notice(pk=notice_pk, email=email)
            for (notice_pk, _), email in zip(pairs, queued, strict=True)
        ],
        ["email"],
        batch_size=500,
    )
    return len(queued)


def _context(meeting: Meeting, *, kind: str, number: int, video_url: str) -> dict:
    context = {
        "meeting": meeting,
        "video_url": video_url,
        "subject": meeting.title,
        "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
    }
    if kind == Kind.REMINDER:
        context["due_at"] = meeting.starts_at - timedelta(minutes=number)
    if kind == Kind.SUMMARY:
        context["minutes"] = meeting.minutes
    return context
