"""Flood the public pages with random query strings and measure what the page cache keeps.

    DATABASE_URL=... CELERY_BROKER_URL=redis://... .venv/bin/python bench/cache_flood.py \
        [--requests 10000] [--seconds 600] [--concurrency 4] [--app-dir DIR]

The run uses a database of its own (the configured one's name + "_flood", dropped and created
again, migrated and filled with the demo data) and a Redis server of its own for the cache,
started on a free port as docker-compose.yml runs it (``--maxmemory 256mb --maxmemory-policy
allkeys-lru``), so the cache's memory and keys are the run's alone. gunicorn (2 workers, DEBUG
off, pages kept an hour so nothing expires during the run) serves on 127.0.0.1; the broker is
the configured one, whose database must hold no other work.

It sends ``--requests`` GETs (bounded by ``--seconds`` too) to the public pages, one in five
with a valid filter combination of the page (a country, an area, a kind …) and the rest with
random query strings (unknown parameters, invalid values, repeated parameters, page numbers out
of range). Reported: the statuses, the cache's keys and ``used_memory`` before and after, the
number of distinct valid (page, filters) pairs asked for (the bound on stored pages) and the
broker database's key count before and after. ``--app-dir`` serves another checkout of the
portal (e.g. ``git archive`` of an older commit) with the same environment, to compare.
"""

import argparse
import os
import random
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import redis
from run import free_port, log  # the benchmark's own helpers (bench/ is on sys.path)

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PREFIX = "dp-flood"
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
# The demo data's values (organizations/demo.py, workspace/demo.py): valid filters.
COUNTRIES = ["", "DE", "AT", "SE", "CH", "DK", "NL", "BA"]
AREAS = ["", "kultura", "obrazovanje", "sport", "humanitarni-rad", "privreda"]
KINDS = ["", "project_idea", "call_for_partners", "event", "news", "request_for_help"]


def _random_word(rng, k=8, alphabet=string.ascii_letters + string.digits) -> str:
    return "".join(rng.choices(alphabet, k=k))


def valid_request(rng) -> tuple[str, str]:
    """A public page with a valid combination of its own filters."""
    page = rng.choice(["/organizations/", "/workspace/", "/api/v1/organizations/"])
    if page == "/workspace/":
        query = {"kind": rng.choice(KINDS), "state": rng.choice(["", "open", "closed"])}
    else:
        query = {"country": rng.choice(COUNTRIES), "area": rng.choice(AREAS)}
    return page, urlencode(query)


def random_request(rng, n: int) -> tuple[str, str]:
    """A public page with a query string no page knows, or an invalid value."""
    page = rng.choice(
        ["/", "/organizations/", "/meetings/", "/workspace/", "/privacy/", "/api/v1/meetings/"]
    )
    shape = rng.randrange(6)
    if shape == 0:
        query = f"{_random_word(rng, 6, string.ascii_lowercase)}={_random_word(rng)}"
    elif shape == 1:
        query = f"utm_source={_random_word(rng)}&utm_campaign={n}"
    elif shape == 2:
        query = f"country={_random_word(rng, 3, string.ascii_uppercase)}"  # never ISO alpha-2
    elif shape == 3:
        query = f"area={_random_word(rng, 10, string.ascii_lowercase)}"
    elif shape == 4:
        query = f"page={rng.randrange(100, 10**6)}"
    else:
        query = f"country=DE&country={rng.choice(COUNTRIES[1:])}&_={n}"
    return page, query


class Run:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="dp-flood-"))
        server = os.environ["DATABASE_URL"]
        parts = urlsplit(server)
        self.db_name = parts.path.lstrip("/") + "_flood"
        self.db_url = urlunsplit(parts._replace(path=f"/{self.db_name}"))
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.broker = os.environ["CELERY_BROKER_URL"]
        self.cache_port = free_port()
        self.web_port = free_port()
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.db_url,
            CELERY_BROKER_URL=self.broker,
            CACHE_URL=f"redis://127.0.0.1:{self.cache_port}/0",
            CACHE_KEY_PREFIX=PREFIX,
            CELERY_TASK_DEFAULT_QUEUE="dp-flood",
            PAGE_CACHE_SECONDS="3600",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="flood-" + "k" * 60,
            MFA_ENCRYPTION_KEY="YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMTI=",
            SITE_URL="https://portal.diaspora.example",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_BEHIND_PROXY="1",
            EMAIL_URL="consolemail://",
            DEFAULT_FROM_EMAIL="Dijaspora <portal@diaspora.example>",
            DEMO_STAFF_PASSWORD="flood-demo-password-2026",  # noqa: S106 - a throwaway database
            DJANGO_LOG_LEVEL="WARNING",
            # Static files from the source folders, without a collectstatic manifest.
            DJANGO_STATIC_MANIFEST="0",
            PYTHONPATH=str(self.args.app_dir),
        )
        env.update(extra)
        return env

    def start(self, args, name, **extra) -> subprocess.Popen:
        log_path = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            args,
            env=self.env(**extra),
            cwd=self.args.app_dir,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = log_path
        self.processes.append(process)
        return process

    def cleanup(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)

    def prepare(self):
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self.start(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.cache_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            "cache",
        )
        # The demo's e-mails go nowhere (a broker port that refuses): the configured broker's
        # database stays as it was, to be counted before and after the flood.
        refused = f"redis://127.0.0.1:{free_port()}/0"
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                env=self.env(DJANGO_DEBUG="1", CELERY_BROKER_URL=refused),
                cwd=self.args.app_dir,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        web = self.start(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "diaspora_portal.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.web_port}",
                "--access-logfile=/dev/null",
            ],
            "gunicorn",
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/healthz")[0] in (200, 503):
                    break
            except OSError:
                pass
            assert web.poll() is None, web.log_path.read_text()
            assert time.monotonic() < deadline, web.log_path.read_text()
            time.sleep(0.3)

    _local = threading.local()

    def get(self, path: str) -> tuple[int, int]:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = HTTPConnection(
                "127.0.0.1", self.web_port, timeout=30
            )
        try:
            connection.request("GET", path, headers=HEADERS)
            response = connection.getresponse()
            body = response.read()
        except OSError:
            connection.close()
            self._local.connection = None
            raise
        return response.status, len(body)


def cache_figures(client: redis.Redis) -> dict:
    pages = sum(1 for key in client.scan_iter(match=f"{PREFIX}:*:pages:*", count=1000))
    return {
        "keys": client.dbsize(),
        "pages": pages,
        "used_memory": client.info("memory")["used_memory"],
    }


def flood(run: Run, args) -> dict:
    rng = random.Random(args.seed)  # noqa: S311 - benchmark data
    requests = []
    valid = set()
    for n in range(args.requests):
        if n % 5 == 0:
            page, query = valid_request(rng)
            valid.add((page, query))
        else:
            page, query = random_request(rng, n)
        requests.append(f"{page}?{query}")
    deadline = time.monotonic() + args.seconds
    statuses = Counter()
    lock = threading.Lock()

    def one(path):
        if time.monotonic() > deadline:
            return
        status, _size = run.get(path)
        with lock:
            statuses[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, requests))
    return {
        "seconds": time.perf_counter() - started,
        "statuses": dict(sorted(statuses.items())),
        "sent": sum(statuses.values()),
        "valid_pairs": len(valid),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=600.0, help="stop sending after this")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--app-dir", type=Path, default=BASE_DIR)
    args = parser.parse_args()
    args.app_dir = args.app_dir.resolve()

    run = Run(args)
    try:
        run.prepare()
        cache = redis.Redis(port=run.cache_port)
        broker = redis.Redis.from_url(run.broker)
        # Warm the pages a visitor without a query gets, as a live site would have them.
        for path in ["/", "/organizations/", "/meetings/", "/workspace/", "/privacy/"]:
            run.get(path)
        before, broker_before = cache_figures(cache), broker.dbsize()
        result = flood(run, args)
        after, broker_after = cache_figures(cache), broker.dbsize()
        if any(status >= 500 for status in result["statuses"]):
            log((run.tmp / "gunicorn.log").read_text()[-5000:])
    finally:
        run.cleanup()

    figures = "{keys} keys ({pages} pages), used_memory {used_memory:,} bytes"
    lines = [
        f"app: {args.app_dir}",
        f"requests sent: {result['sent']} in {result['seconds']:.1f} s "
        f"(concurrency {args.concurrency}); statuses: {result['statuses']}",
        f"distinct valid (page, filters) pairs asked for: {result['valid_pairs']}",
        "cache before: " + figures.format(**before),
        "cache after:  " + figures.format(**after),
        f"new pages stored: {after['pages'] - before['pages']}",
        f"broker database keys before / after: {broker_before} / {broker_after}",
    ]
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
