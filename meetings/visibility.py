"""Who may see a meeting's video link: the one place pages, the API, calendar files and e-mails ask.

The link lets whoever holds it join the check-in, so it goes only to invitees: their own
invitation e-mail and its calendar file, their RSVP page (the personal link of that e-mail) and
the reminders and nudges sent to them. The public page, the public ``.ics`` and feed, the "add
to calendar" links of public pages and the API never carry it.
"""

from .models import Invitation, Meeting


def video_link(meeting: Meeting, *, invitation: Invitation | None = None) -> str:
    """The meeting's video link for the holder of ``invitation`` to it; "" for anyone else."""
    if invitation is None or invitation.meeting_id != meeting.pk:
        return ""
    return meeting.video_url
