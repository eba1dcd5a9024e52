"""Meeting pieces other pages show: times in the organizer's zone, an organization's items.

The organization profile loads this library to show the items the organization is responsible
for, so the registry needs no import of the meetings app.
"""

from datetime import UTC, datetime, timedelta

from django import template
from django.utils import formats, timezone
from django.utils.timesince import timesince

from .. import queries

register = template.Library()

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"  # whole seconds: what HTML's datetime attribute accepts


def _in_zone(value, zone):
    return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")


@register.inclusion_tag("meetings/partials/time.html")
def meeting_time(meeting):
    """The meeting's start and end in the organizer's zone, named; the browser's script
    rewrites them into the viewer's zone."""
    zone = meeting.zone
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    same_day = starts.date() == ends.date()
    return {
        "start_iso": meeting.starts_at.astimezone(UTC).strftime(ISO_UTC),
        "end_iso": meeting.ends_at.astimezone(UTC).strftime(ISO_UTC),
        "start_text": _in_zone(meeting.starts_at, zone),
        "end_text": formats.time_format(ends, "TIME_FORMAT") if same_day else _in_zone(ends, zone),
        "zone": meeting.time_zone,
    }


@register.inclusion_tag("meetings/partials/organization_action_items.html", takes_context=True)
def organization_action_items(context, organization):
    """The action items of published minutes that the organization is responsible for."""
    return {
        "items": queries.organization_action_items(organization),
        "request": context.get("request"),
    }


@register.filter
def summary_in(minutes, language):
    """The minutes' summary in ``language`` (or the original): {{ minutes|summary_in:"en" }}."""
    return minutes.summary_in(language) if minutes is not None else ""


@register.filter
def minutes_before(minutes):
    """A reminder's offset in words, in the active language: 1440 -> "1 day"."""
    base = datetime(2000, 1, 1, tzinfo=UTC)
    return timesince(base, base + timedelta(minutes=minutes))
