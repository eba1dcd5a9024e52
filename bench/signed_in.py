"""Pages built afresh, timed in one process: the cost signed-in people pay.

The anonymous page cache serves visitors; members, organization admins and staff always get a
page built afresh. This times Django's test client in this process (no HTTP, no gunicorn), with
the page cache off, DEBUG off, on a seeded bench database (bench/seed.py seed), so a noisy
machine shows less than over loopback. Each page is requested ``--rounds`` times per visitor,
the visitors interleaved; it prints the median wall and CPU milliseconds and the ratio to the
floor (``/ping``) per page and visitor, and the query count of one request.

It uses the database of DATABASE_URL as it is: seed one first (any name, so that it does not
drop another benchmark's database), with the other variables of ``Bench.env`` in bench/run.py:

    createdb dp_bench_NAME && DATABASE_URL=postgres://postgres@127.0.0.1:5432/dp_bench_NAME ... \\
      sh -c '.venv/bin/python manage.py migrate && .venv/bin/python bench/seed.py seed \\
      --organizations=10000 --meetings=1000 --invitations=10000 --emails=1000'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dp_bench_NAME CELERY_BROKER_URL=redis://... \\
      DJANGO_DEBUG=0 ... .venv/bin/python bench/signed_in.py --rounds 200
    .venv/bin/python bench/signed_in.py --profile / --as member   # pyinstrument of one page
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_TOTP_FILE", str(Path(tempfile.gettempdir()) / "dp-bench-totp"))

import seed  # noqa: E402  (sets Django up on the bench database)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from meetings.models import Meeting  # noqa: E402
from organizations.models import Membership, Organization  # noqa: E402

MEMBER_EMAIL = "bench-member@diaspora-portal.example"
ADMIN_EMAIL = "bench-admin@diaspora-portal.example"


def person(email: str, role: str, organization: Organization) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password="bench-" + "x" * 20)
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": role})
    return user


def visitors() -> dict:
    organization = Organization.objects.filter(status="approved").order_by("pk").first()
    anonymous = seed.client()
    member = seed.client()
    member.force_login(person(MEMBER_EMAIL, Membership.Role.MEMBER, organization))
    admin = seed.client()
    admin.force_login(person(ADMIN_EMAIL, Membership.Role.ADMIN, organization))
    return {
        "anonymous": anonymous,
        "member": member,
        "admin": admin,
        "staff": seed.staff_client(),
    }


def pages() -> dict[str, str]:
    profile = Organization.objects.filter(status="approved").order_by("pk").first()
    summary = Meeting.objects.filter(minutes__status="published").order_by("-pk").first()
    return {
        "floor (/ping)": "/ping",
        "home": "/",
        "directory": "/organizations/",
        "directory searched": "/organizations/?q=dzemat",
        "directory by country": "/organizations/?country=DE",
        "profile": profile.get_absolute_url(),
        "meetings": "/meetings/",
        "meeting page": summary.get_absolute_url(),
        "API organizations": "/api/v1/organizations/",
        "staff review queue": "/staff/organizations/review/",
        "staff organizations": "/staff/organizations/",
        "staff insights": "/staff/insights/",
        "staff insights, all time": "/staff/insights/?period=all",
    }


def one(client, path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--profile", help="a path to profile with pyinstrument")
    parser.add_argument("--as", dest="who", default="member")
    parser.add_argument("--only", help="comma-separated visitors to time")
    options = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    people = visitors()
    if options.profile:
        from pyinstrument import Profiler

        client = people[options.who]
        for _ in range(5):
            one(client, options.profile)
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(options.rounds):
                one(client, options.profile)
        print(profiler.output_text(unicode=True, color=False, show_all=False))  # noqa: T201
        return
    who_list = options.only.split(",") if options.only else list(people)
    table = {}
    for label, path in pages().items():
        staff_page = path.startswith("/staff/")
        who = ["staff"] if staff_page else who_list
        for name in who:
            client = people[name]
            for _ in range(5):
                one(client, path)
            with CaptureQueriesContext(connection) as queries:
                one(client, path)
            table[label, name] = {"path": path, "queries": len(queries), "wall": [], "cpu": []}
    for _ in range(options.rounds):  # interleaved: every page and visitor once per round
        for (_label, name), row in table.items():
            wall, cpu = one(people[name], row["path"])
            row["wall"].append(wall)
            row["cpu"].append(cpu)
    floor_key = next(k for k in table if k[0] == "floor (/ping)" and k[1] != "staff")
    floor = statistics.median(table[floor_key]["wall"])
    floor_cpu = statistics.median(table[floor_key]["cpu"])
    print(f"load average {os.getloadavg()[0]:.1f}, {options.rounds} rounds")  # noqa: T201
    print("| page | visitor | median ms | CPU ms | × floor | queries |")  # noqa: T201
    print("|---|---|---:|---:|---:|---:|")  # noqa: T201
    for (label, name), row in table.items():
        wall, cpu = statistics.median(row["wall"]), statistics.median(row["cpu"])
        print(  # noqa: T201
            f"| {label} | {name} | {wall:.2f} | {cpu:.2f} | {wall / floor:.1f}"
            f" (CPU {cpu / floor_cpu:.1f}) | {row['queries']} |"
        )


if __name__ == "__main__":
    main()
