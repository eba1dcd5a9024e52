"""Invitations to a meeting: the audience, one row per address, the e-mails through the outbox.

The staff request only writes rows: ``invite`` bulk-creates one Invitation per recipient
address, marked "to send", and after the commit enqueues ONE task. That task (or, when the
broker was down, the sweep a minute later) renders the e-mails and bulk-creates their outbox
rows. A row's "to send" mark is cleared in the same transaction that stores its outbox row, and
rows are claimed with ``select_for_update(skip_locked=True)``, so every send is queued exactly
once whoever runs it, however often.

Changes follow the same path: rescheduling marks every invitee who has not declined for an
updated invitation (same UID, higher SEQUENCE); cancelling marks every invitee for a
cancellation (METHOD:CANCEL). Mail that is useless once the meeting started carries its start
as ``not_after`` and is dropped rather than delivered late.

Beside it: ``rsvp`` (the personal link), ``invitation_emails`` (the rendering),
``invitation_queries`` (reads and counts) and ``liaisons`` (country liaisons).
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enqueue import enqueue_or_leave_for_sweep
from mail import services as mail_services
from onboarding import checklist
from organizations.models import ContactPerson, Organization

from .invitation_emails import InvitationRenderer
from .invitation_queries import organization_invitations
from .models import Invitation, Meeting, lock_meeting_for_share
from .rsvp_links import rsvp_token

logger = logging.getLogger(__name__)

Mail = Invitation.Mail
Answer = Invitation.Answer
# Invitations rendered and queued per transaction by the sending task.
SEND_BATCH = 200
# The sweep leaves fresh "to send" rows to the task their request enqueued.
SWEEP_GRACE = timedelta(seconds=20)
MAX_PEOPLE = 500

# --- The audience --------------------------------------------------------------------------


# Combined audiences (countries, kinds, areas, picked organizations) live in audiences.py.


def within_scope(meeting: Meeting, organizations: QuerySet[Organization]):
    """Keep the approved organizations a meeting is for (its host country, when it has one)."""
    organizations = organizations.filter(status=Organization.Status.APPROVED)
    if meeting.scope == Meeting.Scope.COUNTRY:
        organizations = organizations.filter(country=meeting.host_country)
    return organizations


def recipient_addresses(candidates: list[str]) -> list[str]:
    """An organization's recipient addresses (its public address, then its contact persons'):
    distinct, lower-cased; one the outbox would refuse is left out."""
    found = []
    for address in candidates:
        address = (address or "").strip().lower()
        if not address or address in found:
            continue
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("meeting invitation: skipped an invalid contact address")
            continue
        found.append(address)
    return found


def check_can_invite(meeting: Meeting, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            _("Schedule the meeting before inviting organizations."), code="not_scheduled"
        )
    if meeting.starts_at <= now:
        raise ValidationError(_("The meeting has already started."), code="started")


@transaction.atomic
def invite(meeting: Meeting, organizations: QuerySet[Organization], *, by) -> int:
    """Invite every contact address of ``organizations``; return how many invitations are new.

    Addresses already invited to the meeting are skipped, so inviting again adds only the new
    ones. A handful of queries whatever the audience's size; the e-mails are sent by a task
    enqueued after the commit.
    """
    check_can_invite(meeting)
    now = timezone.now()
    organizations = within_scope(meeting, organizations).order_by()
    # Plain values, no model instances: two queries for the whole audience.
    contacts = {}
    for organization_id, address in (
        ContactPerson.objects.filter(organization__in=organizations.values("pk"))
        .exclude(email="")
        .order_by("position", "pk")
        .values_list("organization_id", "email")
    ):
        contacts.setdefault(organization_id, []).append(address)
    taken = {address.lower() for address in meeting.invitations.values_list("email", flat=True)}
    rows = []
    for pk, public_email, language in organizations.order_by("pk").values_list(
        "pk", "public_email", "preferred_language"
    ):
        for address in recipient_addresses([public_email, *contacts.get(pk, [])]):
            if address in taken:
                continue
            taken.add(address)
            _token, token_hash = rsvp_token(meeting, address)
            rows.append(
                Invitation(
                    meeting=meeting,
                    organization_id=pk,
                    email=address,
                    language=language,
                    token_hash=token_hash,
                    mail_pending=Mail.REQUEST,
                    mail_requested_at=now,
                )
            )
    created = _insert_new(rows)
    if created:
        transaction.on_commit(lambda: enqueue_sending(meeting.pk))
    logger.info(
        "meeting invitations: meeting=%s new=%s skipped=%s by=%s",
        meeting.pk,
        created,
        len(rows) - created,
        getattr(by, "pk", None),
    )
    return created


INSERT_BATCH = 1000
_INSERT_COLUMNS = (
    "meeting_id",
    "organization_id",
    "email",
    "language",
    "token_hash",
    "answer",
    "comment",
    "mail_pending",
    "mail_requested_at",
    "created_at",
)


def _insert_new(rows: list[Invitation]) -> int:
    """Insert the invitations, skipping any address a concurrent request invited meanwhile (the
    unique constraint); return how many were inserted. ``bulk_create(ignore_conflicts=True)``
    cannot tell: it hands back every object, inserted or not."""
    created = 0
    table = Invitation._meta.db_table
    placeholders = "(" + ", ".join(["%s"] * len(_INSERT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            params = []
            for row in batch:
                params += [
                    row.meeting_id,
                    row.organization_id,
                    row.email,
                    row.language,
                    row.token_hash,
                    Answer.NONE,
                    "",
                    row.mail_pending,
                    row.mail_requested_at,
                    row.mail_requested_at,
                ]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_INSERT_COLUMNS)}) "  # noqa: S608 - fixed names
                f"VALUES {', '.join([placeholders] * len(batch))} "
                "ON CONFLICT DO NOTHING RETURNING id",
                params,
            )
            created += len(cursor.fetchall())
    return created


def enqueue_sending(meeting_id: int) -> bool:
    """Enqueue the task that sends the meeting's pending invitations; the sweep covers failure."""
    from .tasks import send_invitations_task

    return enqueue_or_leave_for_sweep(
        send_invitations_task, (meeting_id,), what=f"the invitations of meeting {meeting_id}"
    )


# --- Changes -------------------------------------------------------------------------------


def request_updates(meeting: Meeting) -> int:
    """Mark an updated invitation for everyone who got one and has not declined."""
    now = timezone.now()
    count = (
        meeting.invitations.filter(mailed_sequence__isnull=False)
        .exclude(answer=Answer.NO)
        .update(mail_pending=Mail.REQUEST, mail_requested_at=now)
    )
    if count:
        transaction.on_commit(lambda: enqueue_sending(meeting.pk))
    return count


def request_cancellations(meeting: Meeting) -> int:
    """Mark a cancellation for every invitee who got an invitation; drop unsent ones."""
    now = timezone.now()
    meeting.invitations.filter(mailed_sequence__isnull=True).update(
        mail_pending=Mail.NONE, mail_requested_at=None
    )
    count = meeting.invitations.filter(mailed_sequence__isnull=False).update(
        mail_pending=Mail.CANCEL, mail_requested_at=now
    )
    if count:
        transaction.on_commit(lambda: enqueue_sending(meeting.pk))
    return count


# --- Sending -------------------------------------------------------------------------------


def send_pending_invitations(
    *, meeting_id: int | None = None, older_than: timedelta | None = None
) -> int:
    """Render and queue the e-mails of invitations "to send"; return how many were queued."""
    total = 0
    while True:
        queued, claimed = _send_batch(meeting_id=meeting_id, older_than=older_than)
        total += queued
        if claimed < SEND_BATCH:
            return total


def _send_batch(*, meeting_id: int | None, older_than: timedelta | None) -> tuple[int, int]:
    now = timezone.now()
    with transaction.atomic():  # its own commit when run by the task
        pending = Invitation.objects.exclude(mail_pending=Mail.NONE)
        if meeting_id is not None:
            pending = pending.filter(meeting_id=meeting_id)
        if older_than is not None:
            pending = pending.filter(mail_requested_at__lte=now - older_than)
        invitations = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting", "meeting__series", "organization")
            .order_by("pk")[:SEND_BATCH]
        )
        if not invitations:
            return 0, 0
        renderer = InvitationRenderer()
        messages, mailed = [], []
        for invitation in invitations:
            meeting = invitation.meeting
            if meeting.starts_at > now:
                messages.append(renderer.message(invitation))
                mailed.append(invitation)
            invitation.mail_pending = Mail.NONE
            invitation.mail_requested_at = None
        emails = mail_services.queue_rendered_emails(messages)
        Invitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).update(
            mail_pending=Mail.NONE, mail_requested_at=None
        )
        _record_sent(
            [
                (invitation.pk, email.pk, invitation.meeting.sequence)
                for invitation, email in zip(mailed, emails, strict=True)
            ],
            now=now,
        )
    return len(emails), len(invitations)


def _record_sent(rows: list[tuple[int, int, int]], *, now: datetime) -> None:
    """Link each invitation to its outbox row in one UPDATE … FROM (VALUES …)."""
    if not rows:
        return
    values = ", ".join(["(%s::bigint, %s::bigint, %s::integer)"] * len(rows))
    table = Invitation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS i SET last_email_id = v.email_id, "  # noqa: S608 - fixed names
            "mailed_sequence = v.sequence, mailed_at = %s "
            f"FROM (VALUES {values}) AS v(id, email_id, sequence) WHERE i.id = v.id",
            [now, *[value for row in rows for value in row]],
        )


# --- Answers -------------------------------------------------------------------------------


def can_answer(invitation: Invitation, *, now: datetime | None = None) -> bool:
    """Answers can change until the meeting starts, unless it is cancelled."""
    meeting = invitation.meeting
    return (
        meeting.status == Meeting.Status.SCHEDULED and (now or timezone.now()) < meeting.starts_at
    )


@transaction.atomic
def record_answer(
    invitation: Invitation,
    *,
    answer: str,
    people: int | None = None,
    comment: str = "",
    by=None,
    now: datetime | None = None,
) -> Invitation:
    """Record the invitee's yes / no / maybe; ticks the organization's onboarding item."""
    now = now or timezone.now()
    if answer not in (Answer.YES, Answer.NO, Answer.MAYBE):
        raise ValidationError(_("Choose yes, no or maybe."), code="invalid_answer")
    # The meeting's row first, shared with other answers: a cancellation or a move under way
    # finishes before the check below, which then sees it; one that comes later waits for this
    # answer, and its e-mails reach this invitee as they reach every other.
    lock_meeting_for_share(invitation.meeting_id)
    invitation = (
        Invitation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("meeting", "organization")
        .get(pk=invitation.pk)
    )
    if not can_answer(invitation, now=now):
        raise ValidationError(
            _("The meeting has started or was cancelled; the answer can no longer change."),
            code="closed",
        )
    invitation.answer = answer
    invitation.people = None if answer == Answer.NO else (people or 1)
    invitation.comment = comment.strip()
    invitation.answered_at = now
    invitation.full_clean(validate_unique=False, validate_constraints=False)
    invitation.save(update_fields=["answer", "people", "comment", "answered_at"])
    by = by if getattr(by, "is_authenticated", False) else None
    checklist.mark_done(organization=invitation.organization, key="checkin", by=by)
    logger.info("meeting answer: invitation=%s answer=%s", invitation.pk, answer)
    return invitation


def answer_for_organization(
    meeting: Meeting, organization: Organization, *, by, **answer
) -> Invitation:
    """A member answers for the organization on the meeting page."""
    invitation = (
        organization_invitations(meeting, organization)
        .select_related("meeting")
        .order_by("pk")
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("Your organization is not invited to this meeting."), code="not_invited"
        )
    return record_answer(invitation, by=by, **answer)
