"""iCalendar (RFC 5545) files of meetings: one meeting, or the feed of upcoming ones.

Times are written in UTC ("…Z"), which every calendar reads the same way (no VTIMEZONE for
parsers to disagree on); the organizer's zone is named in the description. The UID is stable
and SEQUENCE rises with every change, so an updated file replaces the old event. The invitation
e-mails attach what ``meeting_calendar`` builds, with ``method="REQUEST"`` or ``"CANCEL"``.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText
from icalendar.parser import Contentline

from core.markdown import markdown_to_text

from .models import Meeting

PRODID = "-//Diaspora Portal//Meetings//BS"
ORGANIZER_ADDRESS = "mailto:noreply@diaspora-portal.example"


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{meeting.get_absolute_url()}"


def location_of(meeting: Meeting, *, video_url: str = "") -> str:
    return meeting.place or video_url


def description_of(meeting: Meeting, *, video_url: str = "") -> str:
    """The event's plain-text description: the link to join first, then the page and the text.

    ``video_url`` is what ``visibility.video_link`` gives the recipient: "" in public files.
    """
    lines = []
    if video_url:
        lines.append(_("Join online: %(url)s") % {"url": video_url})
    if meeting.stream_url:
        lines.append(_("Public stream: %(url)s") % {"url": meeting.stream_url})
    lines.append(_("Meeting page: %(url)s") % {"url": meeting_url(meeting)})
    lines.append(_("Times are set in %(zone)s.") % {"zone": meeting.time_zone})
    text = markdown_to_text(meeting.description)
    if text:
        lines += ["", text]
    return "\n".join(lines)


def default_organizer() -> str:
    return _("Ministry for Human Rights and Refugees of BiH, Sector for Diaspora")


def _event(
    meeting: Meeting,
    *,
    stamp: datetime,
    attendee: tuple[str, str] | None = None,
    video_url: str = "",
) -> Event:
    event = Event()
    event.add("uid", meeting.ical_uid)
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    event.add("description", description_of(meeting, video_url=video_url))
    location = location_of(meeting, video_url=video_url)
    if location:
        event.add("location", location)
    event.add("url", meeting_url(meeting))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    organizer = vText(ORGANIZER_ADDRESS)
    organizer.params["CN"] = meeting.organizer or default_organizer()
    event["organizer"] = organizer
    if attendee is not None:
        address, name = attendee
        person = vCalAddress(f"mailto:{address}")
        person.params["CN"] = vText(name)
        person.params["ROLE"] = vText("REQ-PARTICIPANT")
        person.params["PARTSTAT"] = vText("NEEDS-ACTION")
        person.params["RSVP"] = vText("FALSE")
        event.add("attendee", person, encode=0)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def build_calendar(
    meetings: Iterable[Meeting],
    *,
    name: str = "",
    method: str = "PUBLISH",
    attendee: tuple[str, str] | None = None,
    video_url: str = "",
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(_event(meeting, stamp=stamp, attendee=attendee, video_url=video_url))
    return calendar


def meeting_calendar(
    meeting: Meeting,
    *,
    method: str = "PUBLISH",
    language: str = "",
    attendee: tuple[str, str] | None = None,
    video_url: str = "",
) -> bytes:
    """The .ics file of one meeting; ``language`` picks the language of the description.

    ``attendee``: (address, name) of the invitee an invitation (METHOD:REQUEST/CANCEL) is for;
    ``video_url``: the link to join, only in an invitee's own file (see visibility.py).
    """
    with translation.override(language or translation.get_language()):
        return build_calendar(
            [meeting], method=method, attendee=attendee, video_url=video_url
        ).to_ical()


def attendee_line(address: str, name: str) -> bytes:
    """The folded ATTENDEE content line of one invitee, to add to a prepared invitation."""
    person = vCalAddress(f"mailto:{address}")
    person.params["CN"] = vText(name)
    person.params["ROLE"] = vText("REQ-PARTICIPANT")
    person.params["PARTSTAT"] = vText("NEEDS-ACTION")
    person.params["RSVP"] = vText("FALSE")
    return Contentline.from_parts("ATTENDEE", person.params, person, sorted=True).to_ical()


def with_attendee(calendar: bytes, address: str, name: str) -> bytes:
    """Add an invitee to a one-event calendar built once for every invitee (fan-outs)."""
    return calendar.replace(
        b"END:VEVENT\r\n", attendee_line(address, name) + b"\r\nEND:VEVENT\r\n", 1
    )


def feed_calendar(meetings: Iterable[Meeting]) -> bytes:
    """The subscribable feed of upcoming public meetings, without their video links."""
    return build_calendar(meetings, name=str(_("Diaspora Portal meetings"))).to_ical()


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(meeting: Meeting, *, video_url: str = "") -> str:
    """A link that opens Google Calendar's "new event" form filled in with the meeting."""
    query = {
        "action": "TEMPLATE",
        "text": meeting.title,
        "dates": f"{_compact_utc(meeting.starts_at)}/{_compact_utc(meeting.ends_at)}",
        "details": description_of(meeting, video_url=video_url),
        "location": location_of(meeting, video_url=video_url),
        "ctz": meeting.time_zone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(meeting: Meeting, *, video_url: str = "") -> str:
    """A link that opens Outlook on the web's "new event" form filled in with the meeting."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": meeting.title,
        "startdt": meeting.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": meeting.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": description_of(meeting, video_url=video_url),
        "location": location_of(meeting, video_url=video_url),
    }
    return "https://outlook.office.com/calendar/deeplink/compose?" + urlencode(query)
