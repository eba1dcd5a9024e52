"""The check-in archive: past meetings imported from a file (docs/archive-format.md).

A file (YAML or JSON, YAML being a superset) holds a list of records under ``meetings``; each
is a held meeting with its published summary per language, its decisions and action items.
Each record carries a ``key``: importing the same file again updates the meetings it made
instead of adding new ones. Every record is checked first; if any has a problem, nothing is
written and the report says which record and what (a dry run writes nothing either way).
Nothing needs demo organizations or demo staff: a responsible organization is named by its slug
and must exist, otherwise the ministry is responsible.
"""

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass, field

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import search
from organizations.models import Organization

from . import services
from .models import ActionItem, Decision, Meeting, Minutes, Series, Summary

logger = logging.getLogger(__name__)

MAX_RECORDS = 500
MAX_BYTES = 2 * 1024 * 1024
KEY_LENGTH = 100
LANGUAGES = {code for code, _name in settings.LANGUAGES}
ACTION_STATUSES = {choice for choice, _label in ActionItem.Status.choices}
KINDS = {choice for choice, _label in Meeting.Kind.choices}


@dataclass
class Record:
    """One record of the file: what it would write, or its problems."""

    index: int
    key: str = ""
    title: str = ""
    problems: list[str] = field(default_factory=list)
    exists: bool = False
    data: dict = field(default_factory=dict)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)  # about the whole file
    records: list[Record] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return (
            bool(self.records)
            and not self.problems
            and not any(record.problems for record in self.records)
        )


def parse(text: str) -> tuple[list, list[str]]:
    """The records of the file and the problems of the file as a whole."""
    if len(text.encode()) > MAX_BYTES:
        return [], [_("The file is larger than 2 MB.")]
    try:
        document = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            return [], [_("The file is neither YAML nor JSON.")]
        return [], [
            _("The file is neither YAML nor JSON (line %(line)s).") % {"line": mark.line + 1}
        ]
    if isinstance(document, dict):
        document = document.get("meetings")
    if not isinstance(document, list) or not document:
        return [], [_("The file holds no list of meetings under “meetings”.")]
    if len(document) > MAX_RECORDS:
        return [], [_("A file holds at most 500 meetings.")]
    return document, []


def _text(value, *, limit: int) -> str | None:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if len(value) <= limit else None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _time(value, default: dt.time) -> dt.time | None:
    if value is None or value == "":
        return default
    if isinstance(value, int):  # YAML reads 18:00 unquoted as sexagesimal minutes
        return dt.time(value // 60, value % 60) if 0 <= value < 24 * 60 else None
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_record(index: int, raw, *, organizations: dict[str, int]) -> Record:
    """Check one record and collect everything wrong with it, not only the first problem."""
    record = Record(index=index)
    problems = record.problems
    if not isinstance(raw, dict):
        problems.append(_("The record is not a mapping of fields."))
        return record
    key = _text(raw.get("key"), limit=KEY_LENGTH)
    if not key:
        problems.append(_("“key” is missing or longer than 100 characters."))
    record.key = key or ""
    title = _text(raw.get("title"), limit=200)
    if not title:
        problems.append(_("“title” is missing or longer than 200 characters."))
    record.title = title or ""
    day = _date(raw.get("date"))
    if day is None:
        problems.append(_("“date” is missing or not a date like 2020-08-05."))
    zone_name = raw.get("zone")
    zone = None
    if not isinstance(zone_name, str) or zone_name not in zoneinfo.available_timezones():
        problems.append(_("“zone” is missing or not a time zone such as Europe/Sarajevo."))
    else:
        zone = zoneinfo.ZoneInfo(zone_name)
    start = _time(raw.get("start"), dt.time(18, 0))
    end = _time(raw.get("end"), None) if raw.get("end") not in (None, "") else None
    if start is None or (raw.get("end") not in (None, "") and end is None):
        problems.append(_("“start” and “end” are times like 18:00."))
    summaries = raw.get("summary")
    if not isinstance(summaries, dict) or not summaries:
        problems.append(_("“summary” needs at least one language, e.g. bs: …"))
        summaries = {}
    clean_summaries = {}
    for language, text in summaries.items():
        if language not in LANGUAGES:
            problems.append(
                _("“%(language)s” is not a language of the portal.") % {"language": language}
            )
            continue
        value = _text(text, limit=20000)
        if not value:
            problems.append(
                _("The summary in “%(language)s” is empty or too long.") % {"language": language}
            )
            continue
        clean_summaries[language] = value
    language = raw.get("language") or next(iter(clean_summaries), settings.LANGUAGE_CODE)
    if language not in LANGUAGES:
        problems.append(_("“language” is not a language of the portal."))
    decisions = raw.get("decisions") or []
    if not isinstance(decisions, list) or any(not _text(item, limit=2000) for item in decisions):
        problems.append(_("“decisions” is a list of texts of at most 2000 characters."))
        decisions = []
    actions = []
    for position, item in enumerate(raw.get("action_items") or [], start=1):
        if not isinstance(item, dict) or not _text(item.get("text"), limit=2000):
            problems.append(_("Action item %(number)s has no text.") % {"number": position})
            continue
        status = item.get("status") or ActionItem.Status.OPEN
        if status not in ACTION_STATUSES:
            problems.append(
                _("Action item %(number)s: the status is open, done or dropped.")
                % {"number": position}
            )
        due = item.get("due")
        due_on = _date(due) if due not in (None, "") else None
        if due not in (None, "") and due_on is None:
            problems.append(
                _("Action item %(number)s: the due date is a date like 2020-09-15.")
                % {"number": position}
            )
        responsible = item.get("responsible") or ""
        if responsible and responsible not in organizations:
            problems.append(
                _(
                    "Action item %(number)s: there is no organization “%(slug)s” (leave it out"
                    " when the ministry is responsible)."
                )
                % {"number": position, "slug": responsible}
            )
        actions.append(
            {
                "text": _text(item.get("text"), limit=2000),
                "status": status,
                "due_on": due_on,
                "responsible_id": organizations.get(responsible),
            }
        )
    kind = raw.get("kind") or Meeting.Kind.CHECK_IN
    if kind not in KINDS:
        problems.append(_("“kind” is check_in, workshop or in_person."))
    series_name = _text(raw.get("series"), limit=200)
    if series_name is None:
        problems.append(_("“series” is the name of a series, at most 200 characters."))
    number = raw.get("number")
    if number is not None and (not isinstance(number, int) or not 0 < number < 30000):
        problems.append(_("“number” is a whole number."))
    if problems:
        return record
    starts_at = dt.datetime.combine(day, start, tzinfo=zone)
    ends_at = (
        dt.datetime.combine(day, end, tzinfo=zone) if end else starts_at + dt.timedelta(hours=1)
    )
    record.data = {
        "meeting": {
            "kind": kind,
            "title": title,
            "description": _text(raw.get("description"), limit=10000) or "",
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": zone_name,
            "recording_url": _text(raw.get("recording_url"), limit=500) or "",
            "stream_url": _text(raw.get("stream_url"), limit=500) or "",
            "number": number,
        },
        "series": series_name,
        "language": language,
        "summaries": clean_summaries,
        "decisions": [_text(item, limit=2000) for item in decisions],
        "actions": actions,
    }
    return record


def _series_slug(name: str) -> str:
    return slugify(search.fold(name))[:120] or "serija"


def _series(name: str) -> Series | None:
    if not name:
        return None
    series, _created = Series.objects.get_or_create(
        slug=_series_slug(name), defaults={"name": name}
    )
    return series


def _check_meetings(records: list[Record]) -> None:
    """Build each meeting in memory and let the model check it (times, links, numbers)."""
    existing = {
        meeting.import_key: meeting
        for meeting in Meeting.objects.filter(import_key__in=[r.key for r in records if r.key])
    }
    for record in records:
        if record.problems:
            continue
        meeting = existing.get(record.key)
        record.exists = meeting is not None
        fields = dict(record.data["meeting"])
        meeting = meeting or Meeting(slug=f"archive-check-{record.index}", import_key=record.key)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.status = Meeting.Status.HELD
        series_name = record.data["series"]
        meeting.series = (
            Series.objects.filter(slug=_series_slug(series_name)).first() if series_name else None
        )
        try:
            meeting.full_clean(exclude=["slug", "series"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = name if name != "__all__" else ""
                record.problems += [f"{label}: {m}" if label else m for m in messages]
        if meeting.series is not None and meeting.number is not None:
            clash = Meeting.objects.filter(series=meeting.series, number=meeting.number)
            if meeting.pk:
                clash = clash.exclude(pk=meeting.pk)
            if clash.exists():
                record.problems.append(_("The series already has a meeting with this number."))


def check(text: str) -> Report:
    """Check the whole file: every record's problems, nothing written."""
    raw_records, problems = parse(text)
    report = Report(problems=problems)
    if problems:
        return report
    slugs = {
        item.get("responsible")
        for raw in raw_records
        if isinstance(raw, dict)
        for item in (raw.get("action_items") or [])
        if isinstance(item, dict) and isinstance(item.get("responsible"), str)
    }
    organizations = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    seen = set()
    for index, raw in enumerate(raw_records, start=1):
        record = check_record(index, raw, organizations=organizations)
        if record.key and record.key in seen:
            record.problems.append(_("Another record of the file has the same key."))
        seen.add(record.key)
        report.records.append(record)
    _check_meetings(report.records)
    return report


def _write(record: Record, *, by) -> Meeting:
    data = record.data
    fields = dict(data["meeting"])
    series = _series(data["series"])
    meeting = Meeting.objects.select_for_update().filter(import_key=record.key).first()
    if meeting is None:
        meeting = Meeting(import_key=record.key, slug=services._unique_slug(fields["title"]))
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.series = series
    if series is None:
        meeting.number = None
    meeting.status = Meeting.Status.HELD
    meeting.full_clean()
    meeting.save()
    minutes, _created = Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={"language": data["language"], "status": Minutes.Status.DRAFT},
    )
    minutes.language = data["language"]
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = minutes.published_at or fields["ends_at"]
    minutes.full_clean()
    minutes.save()
    minutes.summaries.exclude(language__in=list(data["summaries"])).delete()
    for language, text in data["summaries"].items():
        Summary.objects.update_or_create(
            minutes=minutes, language=language, defaults={"text": text}
        )
    minutes.decisions.all().delete()
    Decision.objects.bulk_create(
        Decision(minutes=minutes, text=text, position=position)
        for position, text in enumerate(data["decisions"], start=1)
    )
    meeting.action_items.all().delete()
    ActionItem.objects.bulk_create(
        ActionItem(meeting=meeting, position=position, **action)
        for position, action in enumerate(data["actions"], start=1)
    )
    search.refresh(meeting)
    logger.info(
        "archive import: meeting=%s key=%s by=%s", meeting.pk, record.key, getattr(by, "pk", None)
    )
    return meeting


def import_text(text: str, *, by, dry_run: bool) -> Report:
    """Check the file and, unless ``dry_run`` or anything is wrong, write every record (one
    transaction: all or nothing). No e-mail is sent: these meetings are history."""
    with transaction.atomic():
        report = check(text)
        if dry_run or not report.ok:
            return report
        for record in report.records:
            _write(record, by=by)
        report.written = True
    return report
