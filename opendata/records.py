"""The public record of each organization and summary, in the shapes the files take.

Every organization field is one the API's ``OrganizationSerializer`` shows (a test holds them to
it). Contact persons are left out even when an organization shows one on its profile: open data
may be copied anywhere without asking, and a person's name and e-mail address are not the
organization's to give away for that. Members-only channels never reach here: the API's query
loads public channels only.
"""

from datetime import UTC, date, datetime

from django.conf import settings
from django.utils import translation

from meetings.models import ActionItem, Meeting
from organizations.models import Organization

# The organization's fields, by the API's names, in the order of the CSV's columns.
ORGANIZATION_FIELDS = [
    "slug",
    "name",
    "kind",
    "country",
    "city",
    "founding_year",
    "website",
    "public_email",
    "public_phone",
    "description",
    "areas",
    "languages",
    "size",
    "logo",
    "channels",
    "verified",
    "dormant",
    "approved_at",
    "last_confirmed_at",
    "updated_at",
    "profile_url",
]
# Lists in the JSON; in the CSV the slugs and codes joined with this, channels a file of their own.
LIST_SEPARATOR = ";"


def timestamp(value: datetime | None) -> str | None:
    """UTC, to the second, ISO 8601 with a Z: the one form every file uses."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def organization_record(organization: Organization) -> dict:
    """The organization's public fields (from ``organization_queries.api_organizations``)."""
    return {
        "slug": organization.slug,
        "name": organization.name,
        "kind": organization.kind,
        "country": organization.country.code,
        "city": organization.city,
        "founding_year": organization.founding_year,
        "website": organization.website,
        "public_email": organization.public_email,
        "public_phone": (
            organization.public_phone.as_international if organization.public_phone else ""
        ),
        "description": organization.description,
        "areas": [area.slug for area in organization.areas.all()],
        "languages": list(organization.languages),
        "size": organization.size,
        "logo": absolute(organization.logo.url) if organization.logo else "",
        # The API's query loads the public channels only, under this name.
        "channels": [
            {"kind": channel.kind, "value": channel.value}
            for channel in organization.public_channels
        ],
        "verified": organization.is_verified,
        "dormant": organization.is_dormant,
        "approved_at": timestamp(organization.approved_at),
        "last_confirmed_at": timestamp(organization.last_confirmed_at),
        "updated_at": timestamp(organization.updated_at),
        "profile_url": absolute(organization.get_absolute_url()),
    }


def organization_row(record: dict) -> list:
    """The record as a row of organizations.csv (channels are in channels.csv)."""
    row = dict(record)
    row["areas"] = LIST_SEPARATOR.join(record["areas"])
    row["languages"] = LIST_SEPARATOR.join(record["languages"])
    return [row[name] for name in ORGANIZATION_FIELDS if name != "channels"]


def popolo_organization(record: dict) -> dict:
    """The record in the Popolo organization shape (https://www.popoloproject.com/specs/)."""
    code = record["country"]
    with translation.override("en"):
        from django_countries import countries

        country_name = str(countries.name(code))
    contact_details = []
    if record["public_email"]:
        contact_details.append({"type": "email", "value": record["public_email"]})
    if record["public_phone"]:
        contact_details.append({"type": "voice", "value": record["public_phone"]})
    contact_details += [
        {"type": channel["kind"], "value": channel["value"]} for channel in record["channels"]
    ]
    links = [{"url": record["profile_url"], "note": "Diaspora Portal profile"}]
    if record["website"]:
        links.insert(0, {"url": record["website"], "note": "website"})
    organization = {
        "id": record["slug"],
        "name": record["name"],
        "identifiers": [{"scheme": "diaspora-portal", "identifier": record["slug"]}],
        "classification": record["kind"],
        "area_id": f"ocd-division/country:{code.lower()}",
        "area": {
            "id": f"ocd-division/country:{code.lower()}",
            "name": country_name,
            "classification": "country",
            "identifiers": [{"scheme": "ISO 3166-1 alpha-2", "identifier": code}],
        },
        "contact_details": contact_details,
        "links": links,
        "updated_at": record["updated_at"],
        "sources": [{"url": record["profile_url"]}],
    }
    if record["founding_year"]:
        organization["founding_date"] = str(record["founding_year"])
    if record["description"]:
        organization["description"] = record["description"]
    if record["logo"]:
        organization["image"] = record["logo"]
    return organization


# --- Summaries --------------------------------------------------------------------------------

SUMMARY_FIELDS = [
    "slug",
    "title",
    "series",
    "number",
    "kind",
    "starts_at",
    "ends_at",
    "time_zone",
    "host_country",
    "organizer",
    "published_at",
    "original_language",
    # then one summary_<language> column per interface language
    "recording_url",
    "url",
]


def summary_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def summary_columns() -> list[str]:
    at = SUMMARY_FIELDS.index("recording_url")
    languages = [f"summary_{code}" for code in summary_languages()]
    return [*SUMMARY_FIELDS[:at], *languages, *SUMMARY_FIELDS[at:]]


def action_item_record(item: ActionItem) -> dict:
    """What the public page shows of an action item: who is responsible by organization (when
    it is listed), never a person or an address."""
    responsible = item.responsible
    listed = responsible is not None and responsible.status == Organization.Status.APPROVED
    return {
        "text": item.text,
        "responsible": "organization" if responsible is not None else "ministry",
        "responsible_organization": responsible.slug if listed else None,
        "due_on": day(item.due_on),
        "status": item.status,
    }


def summary_record(meeting: Meeting) -> dict:
    """A meeting with published minutes (from ``queries.open_summaries``) as the public sees it."""
    minutes = meeting.minutes
    texts = {summary.language: summary.text for summary in minutes.summaries.all()}
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "series": meeting.series.name if meeting.series else "",
        "number": meeting.number,
        "kind": meeting.kind,
        "starts_at": timestamp(meeting.starts_at),
        "ends_at": timestamp(meeting.ends_at),
        "time_zone": meeting.time_zone,
        "host_country": meeting.host_country.code or "",
        "organizer": meeting.organizer,
        "published_at": timestamp(minutes.published_at),
        "original_language": minutes.language,
        "summaries": {code: texts.get(code, "") for code in summary_languages()},
        "recording_url": meeting.recording_url,
        "url": absolute(meeting.get_absolute_url()),
        "decisions": [decision.text for decision in minutes.decisions.all()],
        "action_items": [action_item_record(item) for item in meeting.action_items.all()],
    }


def summary_row(record: dict) -> list:
    row = dict(record)
    for code, text in record["summaries"].items():
        row[f"summary_{code}"] = text
    return [row[name] for name in summary_columns()]
