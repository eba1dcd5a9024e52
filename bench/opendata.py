"""Time the open-data snapshot with 10,000 listed organizations and 1,000 published summaries.

    DJANGO_DEBUG=1 DATABASE_URL=... CELERY_BROKER_URL=... .venv/bin/python bench/opendata.py

Like bench/reminders.py, the run uses a database of its own (the configured one's name +
"_bench", created, migrated and dropped again) and writes the files into a temporary media
folder. It seeds the organizations (each with an area and a public and a members-only channel)
and the meetings with published minutes (two summaries, a decision, an action item each) with
bulk writes, then makes ``--repeat`` snapshots and prints the median wall time, the number of
queries (fixed per batch of OPEN_DATA_BATCH_SIZE) and the size of the files.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import ActionItem, Decision, Meeting, Minutes, Summary  # noqa: E402
from opendata import services  # noqa: E402
from organizations.models import Area, CommunicationChannel, Organization  # noqa: E402


def seed(organizations: int, meetings: int) -> None:
    area = Area.objects.create(slug="kultura", names={"bs": "Kultura", "en": "Culture"})
    rows = [
        Organization(
            name=f"Udruženje {n}",
            slug=f"bench-{n}",
            country="DE",
            city="Köln",
            status="approved" if n % 10 else "pending",
            description="Kulturno udruženje: **sevdah** i folklor. " * 4,
        )
        for n in range(organizations)
    ]
    for organization in rows:
        organization.refresh_search_fields()
    created = Organization.objects.bulk_create(rows, batch_size=2000)
    area.organizations.add(*created)
    CommunicationChannel.objects.bulk_create(
        [
            CommunicationChannel(organization=o, kind=kind, value=value, visibility=visibility)
            for o in created
            for kind, value, visibility in (
                ("facebook", f"https://fb.example/{o.slug}", "public"),
                ("viber", "+49 30 1234567", "members"),
            )
        ],
        batch_size=5000,
    )
    now = timezone.now()
    held = Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"{n}. Diaspora Online Check-In",
                slug=f"check-in-{n}",
                starts_at=now - timedelta(days=n + 1),
                ends_at=now - timedelta(days=n + 1) + timedelta(hours=1),
                status="held",
            )
            for n in range(meetings)
        ]
    )
    minutes = Minutes.objects.bulk_create(
        [Minutes(meeting=m, status="published", published_at=now) for m in held]
    )
    Summary.objects.bulk_create(
        [
            Summary(minutes=m, language=code, text="Sažetak. " * 40)
            for m in minutes
            for code in ["bs", "en"]
        ]
    )
    Decision.objects.bulk_create([Decision(minutes=m, text="Dogovoreno je.") for m in minutes])
    ActionItem.objects.bulk_create(
        [ActionItem(meeting=m, text="Pripremiti vodič", responsible=created[1]) for m in held]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    database = connection.settings_dict
    database["TEST"] = {**database.get("TEST", {}), "NAME": f"{database['NAME']}_bench"}
    real_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as media:
            settings.MEDIA_ROOT = media
            run(args)
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


def run(args) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        seed(args.organizations, args.meetings)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.1f} s")  # noqa: T201
    walls, queries, made = [], 0, None
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            made = services.generate_snapshot()
            walls.append(time.perf_counter() - begun)
        queries = len(captured)
    size = sum(f["bytes"] for f in made.files.values())
    print(  # noqa: T201
        f"snapshot of {made.counts['organizations']:,} organizations and "
        f"{made.counts['summaries']:,} summaries: median {statistics.median(walls):.2f} s, "
        f"{queries} queries (batches of {settings.OPEN_DATA_BATCH_SIZE}), "
        f"{size / 1_000_000:.1f} MB in {len(made.files)} files"
    )


if __name__ == "__main__":
    main()
