"""The files of a snapshot and their Frictionless Data Package descriptor (datapackage.json).

The descriptor follows the Data Package and Table Schema specifications
(https://specs.frictionlessdata.io/): every CSV file is a tabular resource with its schema, the
JSON files are resources with their size and hash.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meetings.models import ActionItem, Meeting
from organizations.models import CommunicationChannel, Organization

from . import records

PACKAGE_NAME = "diaspora-portal"
DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class DataFile:
    name: str  # the file's name, also its address under /open-data/
    resource: str  # the resource's name in datapackage.json
    title: str  # English, for the descriptor
    label: str  # translated, for the page
    media_type: str

    @property
    def is_csv(self) -> bool:
        return self.name.endswith(".csv")


FILES = [
    DataFile(
        "organizations.csv",
        "organizations",
        "Listed organizations",
        _("Listed organizations"),
        "text/csv",
    ),
    DataFile(
        "channels.csv",
        "channels",
        "Public communication channels of the listed organizations",
        _("Their public communication channels"),
        "text/csv",
    ),
    DataFile("areas.csv", "areas", "Areas of activity", _("Areas of activity"), "text/csv"),
    DataFile(
        "summaries.csv",
        "summaries",
        "Published check-in summaries",
        _("Published check-in summaries"),
        "text/csv",
    ),
    DataFile(
        "decisions.csv",
        "decisions",
        "Decisions of the published check-ins",
        _("What the check-ins agreed"),
        "text/csv",
    ),
    DataFile(
        "action-items.csv",
        "action-items",
        "Action items of the published check-ins",
        _("Next steps of the check-ins"),
        "text/csv",
    ),
    DataFile(
        "organizations.json",
        "organizations-json",
        "Listed organizations with their channels (JSON)",
        _("Listed organizations with their channels"),
        "application/json",
    ),
    DataFile(
        "summaries.json",
        "summaries-json",
        "Published check-in summaries with decisions and action items (JSON)",
        _("Published check-in summaries with decisions and next steps"),
        "application/json",
    ),
    DataFile(
        "organizations.popolo.json",
        "organizations-popolo",
        "Listed organizations in the Popolo organization shape (JSON)",
        _("Listed organizations in the Popolo shape"),
        "application/json",
    ),
    DataFile(
        DATAPACKAGE,
        "",
        "The Frictionless Data Package descriptor",
        _("Description of every file (Frictionless Data Package)"),
        "application/json",
    ),
]
FILES_BY_NAME = {data_file.name: data_file for data_file in FILES}


def _field(name: str, type_: str, description: str, **extra) -> dict:
    return {"name": name, "type": type_, "description": description, **extra}


def _required(**constraints) -> dict:
    return {"constraints": {"required": True, **constraints}}


ORGANIZATION_SCHEMA_FIELDS = {
    "slug": _field("slug", "string", "The organization's identifier.", **_required(unique=True)),
    "name": _field("name", "string", "Name.", **_required()),
    "kind": _field(
        "kind",
        "string",
        "Kind of organization.",
        constraints={"required": True, "enum": [c.value for c in Organization.Kind]},
    ),
    "country": _field(
        "country", "string", "Country, ISO 3166-1 alpha-2.", **_required(pattern="[A-Z]{2}")
    ),
    "city": _field("city", "string", "City."),
    "founding_year": _field("founding_year", "integer", "Year founded."),
    "website": _field("website", "string", "Website."),
    "public_email": _field("public_email", "string", "The organization's public e-mail address."),
    "public_phone": _field(
        "public_phone",
        "string",
        "The organization's public phone number, international form (in the CSV after an"
        " apostrophe, which keeps spreadsheets from reading it as a formula).",
    ),
    "description": _field("description", "string", "What the organization does (Markdown)."),
    "areas": _field(
        "areas", "string", "Areas of activity: slugs of areas.csv separated by semicolons."
    ),
    "languages": _field(
        "languages", "string", "Languages it works in: ISO 639-1 codes separated by semicolons."
    ),
    "size": _field(
        "size",
        "string",
        "Approximate membership.",
        constraints={"enum": [c.value for c in Organization.Size]},
    ),
    "logo": _field("logo", "string", "Address of the logo (PNG)."),
    "verified": _field(
        "verified", "boolean", "Ministry staff checked its documents.", **_required()
    ),
    "dormant": _field(
        "dormant", "boolean", "The profile was not confirmed current for long.", **_required()
    ),
    "approved_at": _field("approved_at", "datetime", "Listed since (UTC)."),
    "last_confirmed_at": _field(
        "last_confirmed_at", "datetime", "Last confirmed current (UTC).", **_required()
    ),
    "updated_at": _field("updated_at", "datetime", "Last changed (UTC).", **_required()),
    "profile_url": _field("profile_url", "string", "Its page on the portal.", **_required()),
}


def _schemas() -> dict[str, dict]:
    organizations = [
        ORGANIZATION_SCHEMA_FIELDS[name]
        for name in records.ORGANIZATION_FIELDS
        if name != "channels"
    ]
    summary_fields = {
        "slug": _field("slug", "string", "The meeting's identifier.", **_required(unique=True)),
        "title": _field("title", "string", "Title.", **_required()),
        "series": _field("series", "string", "Series the meeting belongs to."),
        "number": _field("number", "integer", "Number in the series."),
        "kind": _field(
            "kind",
            "string",
            "Kind of meeting.",
            constraints={"required": True, "enum": [c.value for c in Meeting.Kind]},
        ),
        "starts_at": _field("starts_at", "datetime", "Start (UTC).", **_required()),
        "ends_at": _field("ends_at", "datetime", "End (UTC).", **_required()),
        "time_zone": _field(
            "time_zone", "string", "The organizer's time zone (IANA).", **_required()
        ),
        "host_country": _field(
            "host_country", "string", "For the organizations of this country only (ISO code)."
        ),
        "organizer": _field(
            "organizer", "string", "Organizer; empty: the ministry's Sector for Diaspora."
        ),
        "published_at": _field(
            "published_at", "datetime", "Minutes published (UTC).", **_required()
        ),
        "original_language": _field(
            "original_language", "string", "Language the minutes were written in.", **_required()
        ),
        "recording_url": _field("recording_url", "string", "Recording."),
        "url": _field("url", "string", "Its page on the portal.", **_required()),
    }
    for code in records.summary_languages():
        summary_fields[f"summary_{code}"] = _field(
            f"summary_{code}", "string", f"Summary in {code} (Markdown); empty if none."
        )
    meeting_key = {"fields": "meeting", "reference": {"resource": "summaries", "fields": "slug"}}
    organization_key = {
        "fields": "organization",
        "reference": {"resource": "organizations", "fields": "slug"},
    }
    return {
        "organizations": {"fields": organizations, "primaryKey": ["slug"]},
        "channels": {
            "fields": [
                _field("organization", "string", "slug in organizations.csv.", **_required()),
                _field(
                    "kind",
                    "string",
                    "Kind of channel.",
                    constraints={
                        "required": True,
                        "enum": [c.value for c in CommunicationChannel.Kind],
                    },
                ),
                _field("value", "string", "Link or handle.", **_required()),
            ],
            "foreignKeys": [organization_key],
        },
        "areas": {
            "fields": [
                _field("slug", "string", "The area's identifier.", **_required(unique=True)),
                *[
                    _field(f"name_{code}", "string", f"Name in {code}.")
                    for code in records.summary_languages()
                ],
            ],
            "primaryKey": ["slug"],
        },
        "summaries": {
            "fields": [summary_fields[name] for name in records.summary_columns()],
            "primaryKey": ["slug"],
        },
        "decisions": {
            "fields": [
                _field("meeting", "string", "slug in summaries.csv.", **_required()),
                _field("position", "integer", "Order within the meeting, from 1.", **_required()),
                _field("text", "string", "What was agreed.", **_required()),
            ],
            "primaryKey": ["meeting", "position"],
            "foreignKeys": [meeting_key],
        },
        "action-items": {
            "fields": [
                _field("meeting", "string", "slug in summaries.csv.", **_required()),
                _field("position", "integer", "Order within the meeting, from 1.", **_required()),
                _field("text", "string", "What is to be done.", **_required()),
                _field(
                    "responsible",
                    "string",
                    "Who took it on: the ministry or an organization.",
                    constraints={"required": True, "enum": ["ministry", "organization"]},
                ),
                _field(
                    "responsible_organization",
                    "string",
                    "slug in organizations.csv; empty when the ministry or an organization that"
                    " is not listed is responsible.",
                ),
                _field("due_on", "date", "Due date."),
                _field(
                    "status",
                    "string",
                    "Status now.",
                    constraints={
                        "required": True,
                        "enum": [c.value for c in ActionItem.Status],
                    },
                ),
            ],
            "primaryKey": ["meeting", "position"],
            "foreignKeys": [
                meeting_key,
                {
                    "fields": "responsible_organization",
                    "reference": {"resource": "organizations", "fields": "slug"},
                },
            ],
        },
    }


def license_descriptor() -> dict:
    """The licence from the settings; ``name`` only when the title makes an identifier."""
    title = settings.OPEN_DATA_LICENSE_NAME
    license_ = {"title": title, "path": settings.OPEN_DATA_LICENSE_URL}
    identifier = re.sub(r"\s+", "-", title.strip())
    if re.fullmatch(r"[A-Za-z0-9._-]+", identifier):
        license_["name"] = identifier
    return license_


def descriptor(*, created: str, files: dict[str, dict]) -> dict:
    """datapackage.json for the files written (``files``: name -> {"bytes", "sha256"})."""
    schemas = _schemas()
    resources = []
    for data_file in FILES:
        if data_file.name == DATAPACKAGE:
            continue
        written = files[data_file.name]
        resource = {
            "name": data_file.resource,
            "path": data_file.name,
            "title": data_file.title,
            "format": "csv" if data_file.is_csv else "json",
            "mediatype": data_file.media_type,
            "encoding": "utf-8",
            "bytes": written["bytes"],
            "hash": f"sha256:{written['sha256']}",
        }
        if data_file.is_csv:
            resource["profile"] = "tabular-data-resource"
            resource["schema"] = schemas[data_file.resource]
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Diaspora Portal: BiH diaspora organizations and check-in summaries",
        "description": (
            "The public registry of Bosnia and Herzegovina's diaspora organizations listed on the"
            " Diaspora Portal of the Ministry for Human Rights and Refugees (Sector for Diaspora),"
            " with the published summaries of its check-in meetings. Public fields only: no"
            " contact persons, no members-only channels, no internal notes."
        ),
        "homepage": f"{settings.SITE_URL}/open-data/",
        "created": created,
        "licenses": [license_descriptor()],
        "sources": [{"title": "Diaspora Portal", "path": f"{settings.SITE_URL}/"}],
        "contributors": [
            {
                "title": "Ministry for Human Rights and Refugees of Bosnia and Herzegovina,"
                " Sector for Diaspora",
                "role": "publisher",
            }
        ],
        "resources": resources,
    }
