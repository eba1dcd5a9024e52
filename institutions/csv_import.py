"""Staff load institutions from a CSV file: a dry run reports every row's problems, then the
confirmed import writes the rows without problems, matched by their key (so a second import of
the same file changes nothing).

The format (docs/institutions.md and the import page say the same):

- UTF-8 (with or without the BOM Excel writes), comma- or semicolon-separated, one header row;
- the columns of ``COLUMNS``, in any order; name, kind, country and city are required;
- ``key`` is optional: without it the key is made from the name and the city;
- ``covered_countries``: ISO codes separated by spaces or semicolons (empty: the office's country);
- ``active``: yes/no (da/ne, 1/0, true/false), empty means yes.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csv_export import csv_safe

from .forms import InstitutionForm
from .models import Institution

# (column, required, what it holds); the order of the template file.
COLUMNS = [
    ("key", False, gettext_lazy("A short stable name (letters, digits, hyphens); optional.")),
    ("name", True, gettext_lazy("The institution's name.")),
    ("local_name", False, gettext_lazy("The name in the host country's language.")),
    (
        "kind",
        True,
        gettext_lazy("embassy, consulate_general, consulate, honorary_consulate or other."),
    ),
    ("country", True, gettext_lazy("Where the office is: a two-letter ISO code, e.g. DE.")),
    ("city", True, gettext_lazy("The city of the office.")),
    ("address", False, gettext_lazy("Street, number, postcode.")),
    ("phone", False, gettext_lazy("Public phone in international form, e.g. +49 30 1234567.")),
    ("email", False, gettext_lazy("Public e-mail address of the office.")),
    ("website", False, gettext_lazy("A link starting with https://.")),
    (
        "covered_countries",
        False,
        gettext_lazy("ISO codes separated by spaces or semicolons; empty: the office's country."),
    ),
    ("opening_notes", False, gettext_lazy("Opening hours and notes (Markdown).")),
    ("active", False, gettext_lazy("yes or no; empty means yes.")),
]
COLUMN_NAMES = [name for name, _required, _help in COLUMNS]
REQUIRED_COLUMNS = [name for name, required, _help in COLUMNS if required]
# Form fields whose column has another name.
FIELD_COLUMNS = {"is_active": "active"}
YES = {"", "yes", "y", "da", "1", "true", "x"}
NO = {"no", "n", "ne", "0", "false"}
SIGNING_SALT = "institutions.csv-import"
CONFIRM_MAX_AGE = 3600  # seconds between the dry run and the confirmation


class BadFile(ValueError):
    """The file as a whole cannot be read (encoding, columns, size); nothing is checked."""


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    key: str
    name: str
    action: str = ""  # "create", "update", "unchanged"; empty when the row has problems
    problems: list[Problem] = field(default_factory=list)
    form: InstitutionForm | None = None


@dataclass
class Report:
    rows: list[Row]

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def to_write(self) -> int:
        return self.created + self.updated


def max_bytes() -> int:
    return settings.INSTITUTIONS_IMPORT_MAX_BYTES


def decode(raw: bytes) -> str:
    """The file's text, or BadFile saying why it cannot be read."""
    limit = max_bytes()
    if len(raw) > limit:
        raise BadFile(
            _("The file is larger than %(limit)s. Split it into smaller files.")
            % {"limit": filesizeformat(limit)}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            _(
                "The file is not UTF-8 text (a problem at byte %(position)s). In Excel, save it "
                "as “CSV UTF-8 (comma delimited)”."
            )
            % {"position": error.start + 1}
        ) from error
    if "\x00" in text:
        raise BadFile(_("The file is not a CSV text file."))
    if not text.strip():
        raise BadFile(_("The file is empty."))
    return text


def read_records(text: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: cell}) for each non-empty row, or BadFile for the file's shape."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise BadFile(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    header = [cell.strip().lower().lstrip("'") for cell in rows[0]]
    unknown = [name for name in header if name not in COLUMN_NAMES]
    if unknown:
        raise BadFile(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMN_NAMES)}
        )
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        raise BadFile(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(doubled)})
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise BadFile(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    data_rows = rows[1:]
    if len(data_rows) > settings.INSTITUTIONS_IMPORT_MAX_ROWS:
        raise BadFile(
            _("The file has more than %(limit)s rows. Split it into smaller files.")
            % {"limit": settings.INSTITUTIONS_IMPORT_MAX_ROWS}
        )
    records = []
    for index, cells in enumerate(data_rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        record = {name: "" for name in COLUMN_NAMES}
        if len(cells) != len(header):
            record["__cells__"] = str(len(cells))
        for name, cell in zip(header, cells, strict=False):
            record[name] = cell.strip()
        records.append((index, record))
    if not records:
        raise BadFile(_("The file has a header but no rows."))
    return records


def _key_for(record: dict[str, str]) -> str:
    if record["key"]:
        return record["key"].lower()
    return slugify(f"{record['name']} {record['city']}")[:120]


def _form_data(record: dict[str, str], key: str) -> tuple[QueryDict, list[tuple[str, str]]]:
    data = QueryDict(mutable=True)
    problems = []
    for name in ("name", "local_name", "city", "address", "phone", "email", "website"):
        data[name] = record[name]
    data["opening_notes"] = record["opening_notes"]
    data["key"] = key
    data["kind"] = record["kind"].lower()
    data["country"] = record["country"].upper()
    codes = [code.upper() for code in re.split(r"[\s;,]+", record["covered_countries"]) if code]
    # As the model fills it in, so that importing the same row again is "unchanged".
    codes = codes or [data["country"]]
    data.setlist("covered_countries", codes)
    active = record["active"].lower()
    if active in YES:
        data["is_active"] = "on"
    elif active not in NO:
        problems.append(("active", _("Write yes or no.")))
    return data, problems


def check(records: list[tuple[int, dict[str, str]]]) -> Report:
    """Check each row as the staff form would, against the institutions already stored."""
    keys = [_key_for(record) for _number, record in records]
    existing = {i.key: i for i in Institution.objects.filter(key__in=[k for k in keys if k])}
    seen: dict[str, int] = {}
    rows = []
    for (number, record), key in zip(records, keys, strict=True):
        row = Row(number=number, key=key, name=record["name"])
        if "__cells__" in record:
            row.problems.append(
                Problem(
                    number,
                    "",
                    _("The row has %(cells)s cells, the header %(columns)s.")
                    % {"cells": record["__cells__"], "columns": len(COLUMN_NAMES)},
                )
            )
        if key in seen:
            row.problems.append(
                Problem(
                    number,
                    "key",
                    _("Row %(row)s has the same key (%(key)s).") % {"row": seen[key], "key": key},
                )
            )
        elif key:
            seen[key] = number
        data, value_problems = _form_data(record, key)
        row.problems += [Problem(number, column, message) for column, message in value_problems]
        form = InstitutionForm(data, instance=existing.get(key))
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = FIELD_COLUMNS.get(name, name) if name != "__all__" else ""
                row.problems += [Problem(number, column, message) for message in messages]
        if not row.problems:
            row.form = form
            if form.instance.pk is None:
                row.action = "create"
            else:
                row.action = "update" if form.has_changed() else "unchanged"
        rows.append(row)
    return Report(rows=rows)


def dry_run(raw: bytes) -> tuple[Report, str]:
    """Check the file and return the report with a signed token of its text for the
    confirmation; writes nothing. Raises BadFile."""
    text = decode(raw)
    report = check(read_records(text))
    return report, signing.dumps(text, salt=SIGNING_SALT, compress=True)


def text_from_token(token: str) -> str:
    """The checked file's text, or BadFile if the token was altered or is too old."""
    try:
        return signing.loads(token, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise BadFile(_("The check is more than an hour old. Upload the file again.")) from error
    except signing.BadSignature as error:
        raise BadFile(
            _("The confirmation does not match a checked file. Upload it again.")
        ) from error


def import_institutions(*, token: str, by) -> Report:
    """Check the confirmed file again and write its rows without problems; skip the others."""
    text = text_from_token(token)
    with transaction.atomic(durable=True):
        report = check(read_records(text))
        for row in report.rows:
            if row.action in ("create", "update"):
                institution = row.form.save(commit=False)
                institution._history_user = by
                institution.full_clean()
                institution.save()
    return report


def write_template(out) -> None:
    """Write the template file: the header and two example rows."""
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([csv_safe(name) for name in COLUMN_NAMES])
    for example in TEMPLATE_ROWS:
        writer.writerow([csv_safe(example.get(name, "")) for name in COLUMN_NAMES])


TEMPLATE_ROWS = [
    {
        "key": "ambasada-primjer",
        "name": "Ambasada Bosne i Hercegovine (primjer)",
        "local_name": "Embassy of Bosnia and Herzegovina",
        "kind": "embassy",
        "country": "DE",
        "city": "Berlin",
        "address": "Primjer ulica 1, 10000 Berlin",
        "phone": "+49 30 0000000",
        "email": "ambasada.primjer@example.ba",
        "website": "https://example.ba/",
        "covered_countries": "DE",
        "opening_notes": "Pon–pet 9–13 h, uz najavu.",
        "active": "yes",
    },
    {
        "name": "Počasni konzulat BiH (primjer)",
        "kind": "honorary_consulate",
        "country": "IS",
        "city": "Reykjavík",
        "covered_countries": "IS",
        "active": "no",
    },
]
