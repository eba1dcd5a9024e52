"""Time one beat tick of the meeting reminders with 100,000 invitations in the database.

    DJANGO_DEBUG=1 DATABASE_URL=... CELERY_BROKER_URL=... .venv/bin/python bench/reminders.py

Like bench/directory.py, the run uses a database of its own (the configured one's name +
"_bench", created, migrated and dropped again). It seeds 100 meetings of 1,000 invitations each
(bulk_create, then VACUUM ANALYZE): most of them held long ago, twenty scheduled within the next
two weeks, one of which starts in 59 minutes, so its one-hour reminder is due. Measured, as
medians of ``--repeat`` ticks: the wall time of a tick and its number of queries,

- "idle": no reminder due (the tick most minutes of the year);
- "due, done": inside a reminder's sending window after everyone got it (each tick of the
  window re-checks the meeting's invitations);
- and once, "sending": the tick that queues the 1,000 reminders (2 batches of 500).

The outbox's task messages are not sent to the broker (``enqueue_email`` is replaced by a no-op),
so the figures are the database work of the tick alone.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from mail import services as mail  # noqa: E402
from meetings import notices  # noqa: E402
from meetings.models import Invitation, Meeting  # noqa: E402
from organizations.models import Organization  # noqa: E402

MEETINGS = 100
PER_MEETING = 1000


def seed(now) -> Meeting:
    """Seed the meetings and invitations; return the meeting whose reminder is due now."""
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"Udruženje {n}", slug=f"bench-{n}", country="DE", status="approved")
            for n in range(PER_MEETING)
        ]
    )
    meetings = []
    for n in range(MEETINGS):
        if n < 80:  # held long ago
            start, status = now - timedelta(days=30 * (n + 1)), "held"
        elif n < 99:  # scheduled within two weeks, no reminder due now
            start, status = now + timedelta(days=n - 85, hours=5), "scheduled"
            if start <= now:
                start += timedelta(days=20)
        else:  # starts in 59 minutes: the one-hour reminder is due
            start, status = now + timedelta(minutes=59), "scheduled"
        meetings.append(
            Meeting(
                title=f"{n + 1}. Diaspora Online Check-In",
                slug=f"bench-{n}",
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                status=status,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                organization=organization,
                email=f"org{o}@m{m}.example.org",
                language=["bs", "en"][o % 2],
                answer=["", "yes", "maybe", "no"][o % 4],
                token_hash=f"{m * PER_MEETING + o:064x}",
            )
            for m, meeting in enumerate(meetings)
            for o, organization in enumerate(organizations)
        ],
        batch_size=5000,
    )
    return meetings[-1]


def tick(now) -> tuple[float, int, int]:
    """One tick: wall ms, queries, reminders queued."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        queued = notices.send_due_reminders(now=now)
        wall = (time.perf_counter() - started) * 1000
    return wall, len(queries), queued


def measure(label: str, now, repeat: int) -> None:
    for _ in range(3):
        tick(now)
    results = [tick(now) for _ in range(repeat)]
    wall = statistics.median(r[0] for r in results)
    print(f"{label:<12} {wall:>8.1f} {results[-1][1]:>7} {results[-1][2]:>7}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings = connection.settings_dict
    settings["TEST"] = {**settings.get("TEST", {}), "NAME": f"{settings['NAME']}_bench"}
    real_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    mail.enqueue_email = lambda pk: True  # no broker: the tick's database work only
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


def run(args) -> None:
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        due_meeting = seed(now)
    with connection.cursor() as cursor:
        for table in ["meetings_meeting", "meetings_invitation", "meetings_notice"]:
            cursor.execute(f"VACUUM ANALYZE {table}")
    invitations = Invitation.objects.count()
    seconds = time.perf_counter() - started
    print(f"{invitations} invitations in {MEETINGS} meetings, seeded in {seconds:.1f} s")  # noqa: T201
    print(f"{'tick':<12} {'wall ms':>8} {'queries':>7} {'queued':>7}")  # noqa: T201
    measure("idle", now - timedelta(minutes=5), args.repeat)
    due_meeting.get_absolute_url()  # a worker has its URLconf loaded: not part of the tick
    wall, queries, queued = tick(now)
    print(f"{'sending':<12} {wall:>8.1f} {queries:>7} {queued:>7}")  # noqa: T201
    assert queued == due_meeting.invitations.exclude(answer="no").count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meetings_notice")
    measure("due, done", now + timedelta(minutes=1), args.repeat)


if __name__ == "__main__":
    main()
