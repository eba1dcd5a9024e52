"""CSV files for staff: safe in a spreadsheet, readable by Excel, named by the day."""

import csv

from django.http import HttpResponse
from django.utils import timezone

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Return the value as text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(out, header, rows) -> None:
    """Write ``header`` and ``rows`` to a file-like ``out``, every cell made safe, after a BOM
    (so Excel reads UTF-8)."""
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([csv_safe(label) for label in header])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])


def csv_response(name: str) -> HttpResponse:
    """An empty CSV download named ``<name>-<today>.csv``, to write the rows into."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
