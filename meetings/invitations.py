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
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from diaspora_portal import tokens
from mail import services as mail_services
from mail.models import OutgoingEmail
from onboarding import checklist
from organizations import queries as organization_queries
from organizations.models import ContactPerson, Organization

from . import ics, visibility
from .models import Invitation, Liaison, Meeting, lock_meeting_for_share

logger = logging.getLogger(__name__)

Mail = Invitation.Mail
Answer = Invitation.Answer
TEMPLATE = "meetings/emails/invitation"
# Invitations rendered and queued per transaction by the sending task.
SEND_BATCH = 200
# The sweep leaves fresh "to send" rows to the task their request enqueued.
SWEEP_GRACE = timedelta(seconds=20)
MAX_PEOPLE = 500


# --- Tokens and links ----------------------------------------------------------------------


def rsvp_token(meeting: Meeting, email: str) -> tuple[str, str]:
    """The personal RSVP token of ``email`` for ``meeting`` and the hash stored for it.

    Derived with the site's secret key (``tokens.keyed_token``), so an updated invitation
    carries the same link as the first one while the database keeps only the hash.
    """
    return tokens.keyed_token("meetings.rsvp", f"{meeting.uid}:{email.lower()}")


def rsvp_url(invitation: Invitation) -> str:
    token, _hash = rsvp_token(invitation.meeting, invitation.email)
    return settings.SITE_URL + reverse("meetings:rsvp", kwargs={"token": token})


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("meeting", "organization")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


# --- The audience --------------------------------------------------------------------------


class Audience:
    CHOSEN = "chosen"
    ALL = "all"
    COUNTRY = "country"
    AREA = "area"


def audience(
    *, kind: str, organizations=None, country: str = "", area=None
) -> QuerySet[Organization]:
    """The approved organizations of an audience staff picked, from the registry's queries."""
    listed = organization_queries.listed_organizations()
    if kind == Audience.CHOSEN:
        return listed.filter(pk__in=[organization.pk for organization in organizations or []])
    if kind == Audience.COUNTRY:
        return listed.filter(country=country)
    if kind == Audience.AREA:
        return listed.filter(areas=area)
    return listed


def within_scope(meeting: Meeting, organizations: QuerySet[Organization]):
    """Keep the approved organizations a meeting is for (its host country, when it has one)."""
    organizations = organizations.filter(status=Organization.Status.APPROVED)
    if meeting.scope == Meeting.Scope.COUNTRY:
        organizations = organizations.filter(country=meeting.host_country)
    return organizations


def _addresses(candidates: list[str]) -> list[str]:
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
        for address in _addresses([public_email, *contacts.get(pk, [])]):
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

    try:
        send_invitations_task.apply_async((meeting_id,), retry=False)
    except Exception:  # noqa: BLE001 - the rows stay "to send" and the sweep sends them
        logger.warning(
            "Could not enqueue the invitations of meeting %s; the sweep will.", meeting_id
        )
        return False
    return True


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
        renderer = _Renderer()
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


class _Renderer:
    """Renders invitation e-mails.

    The text, the HTML and the calendar file are rendered once per meeting revision, language
    and kind, with placeholders for what is personal (the RSVP link, the organization's name,
    the ATTENDEE line), which are then filled in per invitee: a fan-out of 1,000 e-mails renders
    a few templates, not 3,000.
    """

    RSVP = "__DP_RSVP_URL__"
    NAME = "__DP_ORGANIZATION__"

    def __init__(self):
        self._prepared = {}

    def _prepare(self, invitation: Invitation, language: str, kind: str) -> dict:
        meeting = invitation.meeting
        video_url = visibility.video_link(meeting, invitation=invitation)
        key = (meeting.pk, meeting.sequence, language, kind, video_url)
        if key not in self._prepared:
            with translation.override(language):
                context = {
                    "meeting": meeting,
                    "video_url": video_url,
                    "meeting_url": ics.meeting_url(meeting),
                    "ics_url": settings.SITE_URL
                    + reverse("meetings:ics", kwargs={"slug": meeting.slug}),
                    "google_url": ics.google_calendar_url(meeting, video_url=video_url),
                    "outlook_url": ics.outlook_calendar_url(meeting, video_url=video_url),
                    "organizer": meeting.organizer or ics.default_organizer(),
                    "kind": kind,
                    "organization": {"name": self.NAME},
                    "rsvp_url": self.RSVP,
                }
            subject, body_text, body_html = mail_services.render_email(
                TEMPLATE, context, language=language
            )
            method = "CANCEL" if kind == "cancel" else "REQUEST"
            self._prepared[key] = {
                "subject": subject,
                "body_text": body_text,
                "body_html": body_html,
                "method": method,
                "calendar": ics.meeting_calendar(
                    meeting, method=method, language=language, video_url=video_url
                ),
            }
        return self._prepared[key]

    def message(self, invitation: Invitation) -> dict:
        meeting = invitation.meeting
        language = invitation.language
        if invitation.mail_pending == Mail.CANCEL:
            kind = "cancel"
        else:
            kind = "update" if invitation.mailed_sequence is not None else "new"
        prepared = self._prepare(invitation, language, kind)
        url = rsvp_url(invitation)
        name = invitation.organization.name
        # The name last, so nothing in it is ever taken for a placeholder.
        body_text = prepared["body_text"].replace(self.RSVP, url).replace(self.NAME, name)
        body_html = (
            prepared["body_html"].replace(self.RSVP, escape(url)).replace(self.NAME, escape(name))
        )
        calendar = ics.with_attendee(prepared["calendar"], invitation.email, name)
        method = prepared["method"]
        return {
            "to": invitation.email,
            "subject": prepared["subject"],
            "body_text": body_text,
            "body_html": body_html,
            "language": language,
            "template": TEMPLATE,
            "not_after": meeting.starts_at,
            "attachments": [
                {
                    "filename": "cancel.ics" if kind == "cancel" else "invite.ics",
                    "content": calendar.decode(),
                    "mimetype": f"text/calendar; method={method}",
                }
            ],
        }


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


def organization_invitations(meeting: Meeting, organization: Organization) -> QuerySet:
    return Invitation.objects.filter(meeting=meeting, organization=organization)


def organization_answer(meeting: Meeting, organization: Organization) -> Invitation | None:
    """The organization's latest answer to the meeting (any of its addresses), or None."""
    return (
        organization_invitations(meeting, organization)
        .exclude(answer=Answer.NONE)
        .order_by("-answered_at", "-pk")
        .first()
    )


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


def latest_answers(meeting: Meeting) -> QuerySet[Invitation]:
    """One row per organization that answered: its latest answer."""
    latest = (
        Invitation.objects.filter(meeting=meeting)
        .exclude(answer=Answer.NONE)
        .order_by("organization_id", "-answered_at", "-pk")
        .distinct("organization_id")
        .values("pk")
    )
    return Invitation.objects.filter(pk__in=Subquery(latest))


def counts(meeting: Meeting) -> dict:
    """Invited / to send / sent / failed addresses and answers per organization: two queries."""
    sending = Q(
        last_email__status__in=[
            OutgoingEmail.Status.QUEUED,
            OutgoingEmail.Status.SENDING,
            OutgoingEmail.Status.RETRYING,
        ]
    )
    result = meeting.invitations.aggregate(
        invited=Count("pk"),
        organizations=Count("organization_id", distinct=True),
        to_send=Count("pk", filter=~Q(mail_pending=Mail.NONE)),
        sending=Count("pk", filter=sending & Q(mail_pending=Mail.NONE)),
        sent=Count(
            "pk", filter=Q(last_email__status=OutgoingEmail.Status.SENT, mail_pending=Mail.NONE)
        ),
        failed=Count(
            "pk",
            filter=Q(
                last_email__status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.EXPIRED]
            ),
        ),
    )
    result.update(
        latest_answers(meeting).aggregate(
            yes=Count("pk", filter=Q(answer=Answer.YES)),
            no=Count("pk", filter=Q(answer=Answer.NO)),
            maybe=Count("pk", filter=Q(answer=Answer.MAYBE)),
            people_yes=Sum("people", filter=Q(answer=Answer.YES), default=0),
            people_maybe=Sum("people", filter=Q(answer=Answer.MAYBE), default=0),
        )
    )
    result["answered"] = result["yes"] + result["no"] + result["maybe"]
    return result


def answers_for_attendance(meeting: Meeting) -> list[Invitation]:
    """Organizations that said yes and have no attendance recorded yet, with their people."""
    return list(
        latest_answers(meeting)
        .filter(answer=Answer.YES)
        .exclude(organization__attendances__meeting=meeting)
        .select_related("organization")
        .only("organization__name", "organization_id", "people", "answer")
        .order_by("organization__name")
    )


# --- Country liaisons ----------------------------------------------------------------------


def is_liaison(user, meeting: Meeting) -> bool:
    """Whether the user is a country liaison of this (country-scoped) meeting."""
    if not getattr(user, "is_authenticated", False) or meeting.scope != Meeting.Scope.COUNTRY:
        return False
    return Liaison.objects.filter(meeting=meeting, user=user).exists()


@transaction.atomic
def assign_liaison(meeting: Meeting, user, *, by) -> Liaison:
    if meeting.scope != Meeting.Scope.COUNTRY:
        raise ValidationError(
            _("Only a meeting for one host country has country liaisons."), code="not_country"
        )
    liaison, _created = Liaison.objects.get_or_create(meeting=meeting, user=user)
    logger.info(
        "meeting liaison: meeting=%s user=%s by=%s", meeting.pk, user.pk, getattr(by, "pk", None)
    )
    return liaison


@transaction.atomic
def remove_liaison(liaison: Liaison, *, by) -> None:
    liaison.delete()


def country_answers(meeting: Meeting) -> list[tuple[Organization, Invitation | None]]:
    """What a liaison sees: each invited organization of the host country with its latest
    answer. Never the addresses: contact persons' addresses are private (staff and the
    organization's admins only)."""
    invited = (
        Invitation.objects.filter(meeting=meeting, organization__country=meeting.host_country)
        .select_related("organization")
        .only("organization__name", "organization__slug", "answer", "people", "comment")
        .order_by("organization__name", "organization_id", "-answered_at", "-pk")
    )
    rows: dict[int, tuple[Organization, Invitation | None]] = {}
    for invitation in invited:
        current = rows.get(invitation.organization_id)
        if current is None or (current[1] is None and invitation.answer):
            rows[invitation.organization_id] = (
                invitation.organization,
                invitation if invitation.answer else None,
            )
    return list(rows.values())


def country_candidates(meeting: Meeting) -> QuerySet[Organization]:
    """Approved organizations of the host country none of whose addresses is invited yet."""
    return (
        organization_queries.listed_organizations()
        .filter(country=meeting.host_country)
        .exclude(meeting_invitations__meeting=meeting)
        .only("pk", "name", "city", "country")
        .order_by("name", "pk")
    )
