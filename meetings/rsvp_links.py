"""The personal RSVP link of an invitation: its token, the hash stored for it, its URL, and the
invitation a token opens."""

from django.conf import settings
from django.urls import reverse

from core import tokens

from .models import Invitation, Meeting


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
