"""The invitation e-mail: text, HTML and calendar file, rendered once per meeting revision,
language and kind, then made personal per invitee."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from mail import services as mail_services

from . import ics, visibility
from .models import Invitation
from .rsvp_links import rsvp_url

Mail = Invitation.Mail
TEMPLATE = "meetings/emails/invitation"


class InvitationRenderer:
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
