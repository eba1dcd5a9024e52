"""Time the public directory at 40 and at 10,000 organizations.

    DJANGO_DEBUG=1 DATABASE_URL=... CELERY_BROKER_URL=... .venv/bin/python bench/directory.py

The run uses a database of its own (the configured one's name + "_bench", created, migrated and
dropped again like a test database), so the registry in the configured database is untouched and
rows left by earlier runs cannot slow the queries down. After each seeding the tables are
vacuumed and analyzed, as autovacuum would do on a live server. Each page is requested through
Django's test client (the whole middleware stack and template rendering, no network), a few times
to warm up and then ``--repeat`` times. Reported, as medians: the wall time, the CPU time of this
process (Python: views, templates, serializers; steadier than wall time on a busy machine) and the
time spent in SQL, with the number of queries. The home page, which runs no queries for a
visitor, is the baseline. Query times are recorded only with DJANGO_DEBUG=1 (CaptureQueries);
run it so, or read the SQL column as empty.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from organizations.demo import (  # noqa: E402
    COUNTRIES,
    DESCRIPTIONS,
    HOMETOWNS,
    PATTERNS,
    SYMBOLS,
    ensure_demo_areas,  # noqa: E402
)
from organizations.models import Organization  # noqa: E402

PAGES = {
    "baseline (home)": "/",
    "directory plain": "/organizations/",
    "directory searched": "/organizations/?q=dzemat",
    "directory filtered": "/organizations/?country=DE&area=kultura",
    "directory page 2": "/organizations/?page=2",
    "profile": None,  # filled with the first organization's URL
    "api list": "/api/v1/organizations/?country=AT",
}


def seed(count: int, start: int, areas: list) -> None:
    """Add organizations number ``start`` to ``count`` with bulk_create, areas included."""
    rng = random.Random(start)  # noqa: S311 - benchmark data
    organizations = []
    for n in range(start, count):
        code, cities, _weight = COUNTRIES[n % len(COUNTRIES)]
        city = cities[n % len(cities)]
        pattern, kind, _areas = PATTERNS[n % len(PATTERNS)]
        name = pattern.format(s=rng.choice(SYMBOLS), c=city, h=rng.choice(HOMETOWNS))
        organization = Organization(
            name=f"{name} {n}",
            slug=f"bench-{n}",
            kind=kind,
            country=code,
            city=city,
            description=DESCRIPTIONS[n % len(DESCRIPTIONS)].format(
                c=city, y=2000, h=rng.choice(HOMETOWNS)
            ),
            status="approved",
        )
        organization.refresh_search_fields()
        organizations.append(organization)
    created = Organization.objects.bulk_create(organizations, batch_size=1000)
    through = Organization.areas.through
    through.objects.bulk_create(
        [
            through(organization_id=o.pk, area_id=areas[i % len(areas)].pk)
            for i, o in enumerate(created)
        ],
        batch_size=5000,
    )


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, float, int]:
    """Return the median wall time, Python CPU time and SQL time (ms), and the query count."""
    for _ in range(3):
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code)
    walls, cpus, sqls = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url, HTTP_HOST="localhost")
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    median = statistics.median
    return median(walls), median(cpus), median(sqls), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[40, 10_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings = connection.settings_dict
    settings["TEST"] = {**settings.get("TEST", {}), "NAME": f"{settings['NAME']}_bench"}
    real_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


def run(args) -> None:
    client = Client()
    areas = list(ensure_demo_areas().values())
    seeded = 0
    header = f"{'organizations':>13}  {'page':<20} {'wall ms':>8} {'cpu ms':>7} {'sql ms':>7}"
    print(f"{header} {'queries':>7}")  # noqa: T201
    for count in sorted(args.counts):
        started = time.perf_counter()
        with transaction.atomic():
            seed(count, seeded, areas)
        seeded = count
        with connection.cursor() as cursor:
            for table in ["organizations_organization", "organizations_organization_areas"]:
                cursor.execute(f"VACUUM ANALYZE {table}")
        seconds = time.perf_counter() - started
        print(f"{count:>13}  (seeded in {seconds:.1f} s)")  # noqa: T201
        PAGES["profile"] = Organization.objects.order_by("pk").first().get_absolute_url()
        for label, url in PAGES.items():
            wall, cpu, sql, queries = measure(client, url, args.repeat)
            row = f"{count:>13}  {label:<20} {wall:>8.1f} {cpu:>7.1f} {sql:>7.1f}"
            print(f"{row} {queries:>7}")  # noqa: T201


if __name__ == "__main__":
    main()
