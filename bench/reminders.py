"""Time one beat tick of the meeting reminders with 100,000 invitations in the database.

    DJANGO_DEBUG=1 DATABASE_URL=... CELERY_BROKER_URL=... .venv/bin/python bench/reminders.py

Like bench/directory.py, the run uses a database of its own (the configured one's name +
"_bench", created, migrated and dropped again). It seeds 100 meetings of 1,000 invitations each
(bulk_create, then VACUUM ANALYZE): most of them held long ago, twenty scheduled within the next
two weeks, one of which starts in 59 minutes, so its one-hour reminder is due. Measured, as
medians of ``--repeat`` ticks: the wall time of a tick and its number of queries,

- "idle": no reminder due (the tick most minutes of the year);
- "due": the reminder is due and nobody has had it: the tick enqueues its task on the broker
  (a queue of its own, emptied at the end);
- "due, done": inside a reminder's sending window after everyone got it (each tick of the
  window checks whether anyone still lacks it);

and once, "task": the worker's task that queues the reminders of the due meeting's 750
invitees who have not declined (two batches of 500). Its outbox task messages are not sent to
the broker (``enqueue_email`` is replaced by a no-op): that is the fan-out's part
(bench/fanout.py).
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
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = "diaspora-portal-bench-reminders"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from diaspora_portal.celery import app  # noqa: E402
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


def timed(work) -> tuple[float, int, int]:
    """Run ``work``: wall ms, queries, what it returned."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        wall = (time.perf_counter() - started) * 1000
    return wall, len(queries), result


def measure(label: str, now, repeat: int) -> None:
    def tick():
        return notices.send_due_reminders(now=now)

    for _ in range(3):
        timed(tick)
    results = [timed(tick) for _ in range(repeat)]
    wall = statistics.median(r[0] for r in results)
    show(label, (wall, results[-1][1], results[-1][2]))


def show(label: str, result: tuple[float, int, int]) -> None:
    wall, queries, count = result
    print(f"{label:<12} {wall:>8.1f} {queries:>7} {count:>9}")  # noqa: T201


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
        app.control.purge()
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
    print(f"{'':<12} {'wall ms':>8} {'queries':>7} {'enqueued':>9}")  # noqa: T201
    measure("idle", now - timedelta(minutes=5), args.repeat)
    measure("due", now, args.repeat)
    due_meeting.get_absolute_url()  # a worker has its URLconf loaded: not part of the task
    [due] = notices.due_reminders(now=now)
    sent = timed(lambda: notices.send_reminder(due, now=now))
    show("task", sent)
    print("(the task's last column: reminders queued)")  # noqa: T201
    assert sent[2] == due_meeting.invitations.exclude(answer="no").count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meetings_notice")
    measure("due, done", now + timedelta(minutes=1), args.repeat)


if __name__ == "__main__":
    main()
