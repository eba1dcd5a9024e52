"""Time inviting 1,000 organizations to a meeting: the staff request, then the e-mails.

    DJANGO_DEBUG=1 DATABASE_URL=... CELERY_BROKER_URL=... .venv/bin/python bench/fanout.py \
        [--organizations 1000] [--workers 1] [--in-place] [--profile]

By default the run uses a database of its own (the configured one's name + "_fanout", created,
migrated and dropped again like a test database); ``--in-place`` seeds the configured database
instead. It seeds N approved organizations (one contact address each), a scheduled meeting and a
member of staff who logs in with password and TOTP, then:

1. times the staff request that invites all of them (Django's test client: the whole middleware
   stack, the staff gate, the form and the service; its task message goes to the real broker);
2. starts ``--workers`` real ``celery worker`` processes (prefork, one child each) and a local
   aiosmtpd SMTP server, and measures the time from the workers being ready until the SMTP
   server has accepted every e-mail; the e-mails per second are reported with it.

The broker's queue is purged first: run it against a Redis database no live worker uses.
"""

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from diaspora_portal.celery import app  # noqa: E402
from mail.models import OutgoingEmail  # noqa: E402
from meetings.models import Invitation, Meeting  # noqa: E402
from organizations.models import Organization  # noqa: E402
from tests import factories  # noqa: E402
from tests.support.database import database_url  # noqa: E402


class Counter:
    """An SMTP handler that only counts what it accepts."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.count += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(count: int) -> Meeting:
    run = int(time.time())
    now = timezone.now()
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Udruženje dijaspore {run}-{n}",
                slug=f"fanout-{run}-{n}",
                country=["DE", "AT", "SE", "CH", "DK"][n % 5],
                city="Berlin",
                public_email=f"info{n}@fanout-{run}.example",
                preferred_language=["bs", "en", "de"][n % 3],
                status="approved",
                approved_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    return factories.MeetingFactory(
        title="3. Diaspora Online Check-In", slug=f"fanout-{run}", status="scheduled"
    )


def staff_client() -> Client:
    staff = factories.StaffUserFactory()
    secret = factories.activate_totp(staff)
    client = Client()
    factories.log_in_with_totp(client, staff, secret)
    return client


def time_request(client: Client, meeting: Meeting, *, profile: bool) -> tuple[float, int, int]:
    url = reverse("staff_meetings:invite", args=[meeting.pk])
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, {"audience": "all"}, HTTP_HOST="localhost")
        elapsed = (time.perf_counter() - started) * 1000
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False))  # noqa: T201
    assert response.status_code == 302, response.status_code
    return elapsed, len(queries), meeting.invitations.count()


def start_workers(count: int, smtp_port: int, logs: Path) -> list[subprocess.Popen]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DJANGO_LOG_LEVEL="WARNING",
    )
    processes = []
    for n in range(count):
        log = (logs / f"worker-{n}.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "diaspora_portal",
                    "worker",
                    # the production pool with one child: the solo pool on RabbitMQ left
                    # ready messages undelivered for seconds between tasks (25 e-mails/s)
                    "--pool=prefork",
                    "--concurrency=1",
                    f"--hostname=fanout{n}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    deadline = time.monotonic() + 60
    for n in range(count):
        while " ready." not in (logs / f"worker-{n}.log").read_text(errors="replace"):
            assert time.monotonic() < deadline, (logs / f"worker-{n}.log").read_text()
            time.sleep(0.05)
    return processes


def run(args) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    app.control.purge()
    meeting = seed(args.organizations)
    client = staff_client()
    # A warm process, as a web worker is: one small invitation first.
    warm_up = factories.MeetingFactory(slug=f"{meeting.slug}-warm-up", status="scheduled")
    client.post(
        reverse("staff_meetings:invite", args=[warm_up.pk]),
        {"audience": "chosen", "organizations": [Organization.objects.first().pk]},
        HTTP_HOST="localhost",
    )
    wall, queries, invited = time_request(client, meeting, profile=args.profile)
    print(f"staff invite request: {wall:.0f} ms, {queries} queries, {invited} invitations")  # noqa: T201

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    with tempfile.TemporaryDirectory() as logs:
        processes = start_workers(args.workers, controller.port, Path(logs))
        started = time.perf_counter()
        queued_at = None
        try:
            deadline = time.monotonic() + args.timeout
            target = Invitation.objects.count()  # the warm-up invitation too
            while counter.count < target:
                if queued_at is None and not meeting.invitations.exclude(mail_pending="").exists():
                    queued_at = time.perf_counter() - started
                if time.monotonic() > deadline:
                    print(f"timed out with {counter.count} of {invited} accepted")  # noqa: T201
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
            controller.stop()
    statuses = dict(
        OutgoingEmail.objects.filter(
            pk__in=Invitation.objects.filter(meeting=meeting).values("last_email")
        )
        .values_list("status")
        .annotate(n=django.db.models.Count("pk"))
    )
    print(  # noqa: T201
        f"{args.workers} worker(s): {counter.count} e-mails accepted by SMTP in {elapsed:.1f} s "
        f"({counter.count / elapsed:.0f} e-mails/s); all rendered and queued after "
        f"{queued_at or elapsed:.1f} s; outbox: {statuses}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--in-place", action="store_true", help="use the configured database")
    parser.add_argument("--profile", action="store_true", help="profile the staff request")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    settings.MFA_TOTP_TOLERANCE = 1
    if args.in_place:
        run(args)
        return
    db = connection.settings_dict
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_fanout"}
    real_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(real_name, verbosity=0)


if __name__ == "__main__":
    main()
