"""Making the open-data snapshot: read in batches, write every file, switch at once."""

import csv
import json
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.csv_export import csv_safe

from . import queries, records, snapshot
from .package import DATAPACKAGE, descriptor

logger = logging.getLogger(__name__)

# One run at a time across every worker: a PostgreSQL advisory lock for the run's transaction.
LOCK_KEY = 0x0DA7A  # "open data"


def _cell(value) -> str | int:
    """A CSV cell: empty for none, true/false, and the project's formula guard on every text (a
    spreadsheet shows it, never runs it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_safe(value)
    return value


def _csv_writer(out, header: list[str]):
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    return lambda row: writer.writerow([_cell(value) for value in row])


class _JsonArray:
    """Write a JSON array one element at a time, so a batch at a time stays in memory."""

    def __init__(self, out, *, before: str = "", after: str = ""):
        self.out, self.after, self.first = out, after, True
        out.write(before + "[")

    def add(self, value) -> None:
        # dumps, then one write: json.dump writes piece by piece, several times slower.
        self.out.write(("\n" if self.first else ",\n") + json.dumps(value, ensure_ascii=False))
        self.first = False

    def close(self) -> None:
        self.out.write("\n]" + self.after + "\n")


def generate_snapshot() -> snapshot.Snapshot | None:
    """Write a new snapshot of the open data and make it the current one.

    Reads run in one REPEATABLE READ transaction, so every file shows the database at one
    moment (an organization approved mid-run is in all files or in none), in batches of
    OPEN_DATA_BATCH_SIZE with a fixed number of queries each. Returns None when another run holds
    the lock (its snapshot will be as fresh).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                logger.info("An open-data snapshot is already being made; not starting another.")
                return None
        created = timezone.now()
        # Ids sort as the runs read the database (they take turns under the lock).
        writer = snapshot.SnapshotWriter(f"{created:%Y-%m-%dT%H%M%S%fZ}")
        try:
            counts = _write_files(writer, created=created)
        except BaseException:
            writer.discard()
            raise
        # Under the lock: runs switch the manifest in the order they read the database.
        published = writer.publish(created=created, counts=counts)
    logger.info("Open-data snapshot %s published: %s", published.id, counts)
    return published


def _write_files(writer: snapshot.SnapshotWriter, *, created) -> dict:
    batch = settings.OPEN_DATA_BATCH_SIZE
    counts = {"organizations": 0, "channels": 0, "areas": 0}
    with (
        writer.open("organizations.csv") as organizations_csv,
        writer.open("channels.csv") as channels_csv,
        writer.open("organizations.json") as organizations_json,
        writer.open("organizations.popolo.json") as popolo_json,
    ):
        organization_row = _csv_writer(
            organizations_csv, [f for f in records.ORGANIZATION_FIELDS if f != "channels"]
        )
        channel_row = _csv_writer(channels_csv, ["organization", "kind", "value"])
        plain = _JsonArray(organizations_json)
        popolo = _JsonArray(popolo_json, before='{"organizations": ', after="}")
        for organization in queries.open_organizations().iterator(chunk_size=batch):
            record = records.organization_record(organization)
            organization_row(records.organization_row(record))
            for channel in record["channels"]:
                channel_row([record["slug"], channel["kind"], channel["value"]])
                counts["channels"] += 1
            plain.add(record)
            popolo.add(records.popolo_organization(record))
            counts["organizations"] += 1
        plain.close()
        popolo.close()

    languages = records.summary_languages()
    with writer.open("areas.csv") as areas_csv:
        area_row = _csv_writer(areas_csv, ["slug", *[f"name_{code}" for code in languages]])
        for area in queries.open_areas():
            area_row([area.slug, *[area.names.get(code, "") for code in languages]])
            counts["areas"] += 1

    counts.update({"summaries": 0, "decisions": 0, "action_items": 0})
    with (
        writer.open("summaries.csv") as summaries_csv,
        writer.open("decisions.csv") as decisions_csv,
        writer.open("action-items.csv") as actions_csv,
        writer.open("summaries.json") as summaries_json,
    ):
        summary_row = _csv_writer(summaries_csv, records.summary_columns())
        decision_row = _csv_writer(decisions_csv, ["meeting", "position", "text"])
        action_row = _csv_writer(
            actions_csv,
            [
                "meeting",
                "position",
                "text",
                "responsible",
                "responsible_organization",
                "due_on",
                "status",
            ],
        )
        summaries = _JsonArray(summaries_json)
        for meeting in queries.open_summaries().iterator(chunk_size=batch):
            record = records.summary_record(meeting)
            summary_row(records.summary_row(record))
            for position, text in enumerate(record["decisions"], start=1):
                decision_row([record["slug"], position, text])
                counts["decisions"] += 1
            for position, item in enumerate(record["action_items"], start=1):
                action_row(
                    [
                        record["slug"],
                        position,
                        item["text"],
                        item["responsible"],
                        item["responsible_organization"],
                        item["due_on"],
                        item["status"],
                    ]
                )
                counts["action_items"] += 1
            summaries.add(record)
            counts["summaries"] += 1
        summaries.close()

    with writer.open(DATAPACKAGE) as out:
        created_at = records.timestamp(created)
        json.dump(descriptor(created=created_at, files=writer.files), out, indent=2)
        out.write("\n")
    return counts


def request_snapshot() -> bool:
    """Ask a worker for a new snapshot now; False when the broker cannot take the message."""
    from .tasks import generate_snapshot_task

    try:
        # No retry: a web request must not wait for the broker; the nightly run comes anyway.
        generate_snapshot_task.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker is down: say so, the nightly run still comes
        logger.warning("Could not queue an open-data snapshot.")
        return False
    return True
