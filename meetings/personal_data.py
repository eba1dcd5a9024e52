"""Meetings' part of a user's copy and erasure (see privacy/providers.py).

Invitations and answers are addressed to an e-mail address, not to an account: the user's are
those sent to their address. Attendance is counted per organization and holds no person. A
country liaison (named on a meeting or standing for a series) is the user's own role, exported
and ended with the account.
"""

from django.conf import settings
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

from core.batches import days_ago

from .models import ActionItem, Attendance, Invitation, Liaison, SeriesLiaison


def _invitation(invitation: Invitation) -> dict:
    return {
        "meeting": invitation.meeting.title,
        "starts_at": invitation.meeting.starts_at,
        "organization": invitation.organization.name,
        "email": invitation.email,
        "answer": invitation.answer,
        "people": invitation.people,
        "comment": invitation.comment,
        "answered_at": invitation.answered_at,
    }


def export_user(user) -> dict:
    invitations = Invitation.objects.filter(email__iexact=user.email).select_related(
        "meeting", "organization"
    )
    return {
        "invitations": [_invitation(i) for i in invitations],
        "country_liaisons": [
            {"meeting": liaison.meeting.title, "since": liaison.created_at}
            for liaison in Liaison.objects.filter(user=user).select_related("meeting")
        ],
        "standing_country_liaisons": [
            {
                "series": liaison.series.name,
                "country": str(liaison.country),
                "since": liaison.created_at,
            }
            for liaison in SeriesLiaison.objects.filter(user=user).select_related("series")
        ],
    }


def erase_user(user) -> None:
    Liaison.objects.filter(user=user).delete()
    SeriesLiaison.objects.filter(user=user).delete()
    # The yes/no stays for the attendance figures; the address and the comment go.
    for invitation in Invitation.objects.filter(email__iexact=user.email).only("pk"):
        Invitation.objects.filter(pk=invitation.pk).update(
            email=f"erased-{invitation.pk}@erased.invalid", comment=""
        )


def export_organization(organization) -> dict:
    return {
        "invitations": [
            _invitation(i)
            for i in Invitation.objects.filter(organization=organization).select_related(
                "meeting", "organization"
            )
        ],
        "attendance": [
            {"meeting": a.meeting.title, "starts_at": a.meeting.starts_at, "people": a.people}
            for a in Attendance.objects.filter(organization=organization).select_related("meeting")
        ],
        "action_items": [
            {"meeting": a.meeting.title, "text": a.text, "status": a.status, "due": a.due_on}
            for a in ActionItem.objects.filter(responsible=organization).select_related("meeting")
        ],
    }


# A meeting RSVP token past its meeting is replaced by this marker: the link no longer matches.
RETIRED_LINK_PREFIX = "retired:"


def retire_rsvp_details() -> int:
    """Past meetings keep each yes/no (attendance statistics); comments, headcounts and RSVP
    tokens go."""
    cutoff = days_ago(settings.PRIVACY_RSVP_DETAIL_RETENTION_DAYS)
    rows = Invitation.objects.filter(meeting__ends_at__lt=cutoff).filter(
        ~Q(comment="") | Q(people__isnull=False) | ~Q(token_hash__startswith=RETIRED_LINK_PREFIX)
    )
    # One UPDATE for all of them; each token becomes a marker that no link can match.
    return rows.update(
        comment="",
        people=None,
        token_hash=Concat(Value(RETIRED_LINK_PREFIX), Cast("pk", output_field=CharField())),
    )


def purge_expired() -> dict[str, int]:
    """What meetings keep past its period, retired (privacy's night)."""
    return {"rsvp_details": retire_rsvp_details()}
