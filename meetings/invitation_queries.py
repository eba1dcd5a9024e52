"""Reads of a meeting's invitations: an organization's answer, the latest answers, the live
counts on the staff page, attendance pre-filled from the answers."""

from django.db.models import Count, Q, QuerySet, Subquery, Sum

from mail.models import OutgoingEmail
from organizations.models import Organization

from .models import Invitation, Meeting

Mail = Invitation.Mail
Answer = Invitation.Answer


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
