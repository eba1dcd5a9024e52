"""The portal at ministry scale, measured: one command, figures in docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dp_proof \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/run.py

What it does, all on this machine:

1. Creates the database ``dp_bench`` on the server of DATABASE_URL (dropped first; another name
   with BENCH_DATABASE_URL, a database on the same server, so that benchmarks run side by side
   do not drop each other's database), migrates it
   and seeds it with bulk writes (bench/seed.py): 10,000 organizations of every status with
   areas, channels and contacts, 1,000 meetings with agendas (the past ones held, minutes
   published), 100,000 invitations with their RSVPs and 100,000 sent invitation e-mails in the
   outbox, 500 registration drafts.
2. Serves it with gunicorn as production does (DEBUG off, 2 workers, behind a proxy that says
   https) and measures from this process over loopback: median and p95 of sequential requests,
   requests/s and p95 at concurrency 4, SQL queries per request (through the test client, at 100
   organizations and at 10,000), each page against the floor (``/ping``: the middleware stack
   and nothing else).
3. Memory: RSS of a gunicorn worker and a Celery worker at start, after 10,000 mixed requests and
   after 5,000 e-mails to a local SMTP server (aiosmtpd). Database size per 1,000 organizations.
4. E-mail throughput with one and two Celery workers on Redis and on RabbitMQ
   (BENCH_AMQP_URL, default amqp://guest:guest@127.0.0.1:5672//), every message once.
5. Scale-out, as production adds instances of a fixed size: gunicorn instances and Celery
   workers each held to ``--instance-cpus`` of a CPU (a cgroup CPU quota, as a container's
   ``cpus:`` limit), one against two on the same database and broker; and, for comparison, two
   unlimited gunicorn instances against one on this whole machine.
6. The invitation fan-out (bench/fanout.py, its own database): the staff request inviting 1,000
   organizations, then the time until a local SMTP server accepted every e-mail, with one and two
   workers on Redis and one on RabbitMQ; and one beat tick of the reminders with 100,000
   invitations (bench/reminders.py).

``--quick`` runs a small version (1,000 organizations, fewer requests) to try the script.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_DB = "dp_bench"
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def log(*args):
    print(*args, file=sys.stderr, flush=True)  # noqa: T201


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- CPU quotas ----------------------------------------------------------------------------

CGROUP_V1 = Path("/sys/fs/cgroup/cpu")
CGROUP_V2 = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


def cpu_quota(name: str, cpus: float) -> Path | None:
    """A cgroup (cpu controller, v1 or v2) that holds its processes to ``cpus`` CPUs; None
    where this machine lets nobody create one (then the instance runs unlimited)."""
    quota = str(int(cpus * PERIOD_US))
    try:
        if (CGROUP_V1 / "cpu.cfs_quota_us").exists():
            path = CGROUP_V1 / name
            path.mkdir(exist_ok=True)
            (path / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (path / "cpu.cfs_quota_us").write_text(quota)
        elif "cpu" in (CGROUP_V2 / "cgroup.controllers").read_text().split():
            (CGROUP_V2 / "cgroup.subtree_control").write_text("+cpu")
            path = CGROUP_V2 / name
            path.mkdir(exist_ok=True)
            (path / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        else:
            return None
    except OSError as error:
        log(f"  no CPU quota ({error}); the instance runs unlimited")
        return None
    return path


def in_cgroup(path: Path | None, args: list[str]) -> list[str]:
    """``args`` run inside the cgroup: the shell joins it, then becomes the command, so every
    process the command forks is held by the same quota."""
    if path is None:
        return args
    return ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(path), *args]


# --- Processes -----------------------------------------------------------------------------


class Bench:
    def __init__(self, options):
        self.options = options
        self.server_url = os.environ["DATABASE_URL"]
        parts = urlsplit(self.server_url)
        self.bench_url = os.environ.get("BENCH_DATABASE_URL") or urlunsplit(
            parts._replace(path=f"/{BENCH_DB}")
        )
        self.bench_db = urlsplit(self.bench_url).path.lstrip("/")
        if not IDENTIFIER.fullmatch(self.bench_db):
            raise SystemExit(f"BENCH_DATABASE_URL names an unusual database: {self.bench_db!r}")
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.broker = os.environ["CELERY_BROKER_URL"]
        self.amqp = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
        self.tmp = Path(tempfile.mkdtemp(prefix="dp-bench-"))
        self.processes = []
        self.cgroups = []
        self.smtp = SmtpCounter()
        self.smtp_port = free_port()
        self.smtp_controller = Controller(self.smtp, hostname="127.0.0.1", port=self.smtp_port)

    def env(self, **extra):
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.bench_url,
            CELERY_BROKER_URL=self.broker,
            CACHE_URL=self.broker if self.broker.startswith("redis") else "",
            CACHE_KEY_PREFIX="dp-bench",
            CELERY_TASK_DEFAULT_QUEUE="dp-bench",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="bench-" + "k" * 60,
            MFA_ENCRYPTION_KEY="YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMTI=",
            SITE_URL="https://portal.diaspora.example",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_BEHIND_PROXY="1",
            EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
            DEFAULT_FROM_EMAIL="Dijaspora <portal@diaspora.example>",
            BENCH_TOTP_FILE=str(self.tmp / "totp"),
            DJANGO_LOG_LEVEL="WARNING",
            PYTHONPATH=str(BASE_DIR),
        )
        env.update(extra)
        return env

    def django(self, *args, **extra) -> dict:
        result = subprocess.run(
            [PYTHON, str(BASE_DIR / "bench" / "seed.py"), *args],
            env=self.env(**extra),
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            log(result.stdout[-3000:], result.stderr[-5000:])
            raise SystemExit(f"bench/seed.py {args[0]} failed")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def manage(self, *args):
        subprocess.run(
            [PYTHON, "manage.py", *args],
            env=self.env(),
            cwd=BASE_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self, args, name, cpus=None, **extra) -> subprocess.Popen:
        log_path = self.tmp / f"{name}.log"
        cgroup = cpu_quota(f"dp-bench-{name}", cpus) if cpus else None
        if cgroup:
            self.cgroups.append(cgroup)
        process = subprocess.Popen(
            in_cgroup(cgroup, args),
            env=self.env(**extra),
            cwd=BASE_DIR,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = log_path
        self.processes.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.remove(process)

    def gunicorn(self, port, cpus=None, **extra) -> subprocess.Popen:
        process = self.start(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "diaspora_portal.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{port}",
                "--access-logfile=/dev/null",
            ],
            f"gunicorn-{port}",
            cpus,
            **extra,
        )
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if get(port, "/ping")[0] == 200:
                    break
            assert process.poll() is None, process.log_path.read_text()
            assert time.monotonic() < deadline, process.log_path.read_text()
            time.sleep(0.3)
        return process

    def celery(self, name, broker=None, cpus=None, wait=True) -> subprocess.Popen:
        extra = {"CELERY_BROKER_URL": broker} if broker else {}
        if broker and not broker.startswith("redis"):
            extra["CACHE_URL"] = self.broker
        process = self.start(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "diaspora_portal",
                "worker",
                "--concurrency=4",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            name,
            cpus,
            **extra,
        )
        if wait:
            self.wait_for_worker(process)
        return process

    def wait_for_worker(self, process):
        time.sleep(1)
        deadline = time.monotonic() + 60
        while len(psutil.Process(process.pid).children()) < 4:
            assert process.poll() is None, process.log_path.read_text()
            assert time.monotonic() < deadline, process.log_path.read_text()
            time.sleep(0.3)
        time.sleep(2)

    def cleanup(self):
        for process in list(self.processes):
            self.stop(process)
        for cgroup in self.cgroups:
            with contextlib.suppress(OSError):
                cgroup.rmdir()
        with contextlib.suppress(Exception):
            self.smtp_controller.stop()


class SmtpCounter:
    """A local SMTP server that counts messages per Message-ID."""

    def __init__(self):
        self.ids = Counter()
        self.lock = threading.Lock()
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids[line.split(b":", 1)[1].strip()] += 1
                    self.last = time.monotonic()
                    self.first = self.first or self.last
                break
        return "250 OK"

    def reset(self):
        with self.lock:
            self.ids.clear()
            self.first = self.last = None

    def total(self):
        return sum(self.ids.values())


# --- HTTP ----------------------------------------------------------------------------------

_local = threading.local()
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}


def get(port, path, cookie=""):
    connections = _local.__dict__.setdefault("connections", {})
    connection = connections.get(port)
    if connection is None:
        connection = connections[port] = HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(HEADERS, Cookie=cookie) if cookie else HEADERS
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    except OSError:
        connection.close()
        connections.pop(port)
        raise
    return response.status, (time.perf_counter() - started) * 1000


def sequential(port, path, cookie, count):
    for _ in range(10):
        get(port, path, cookie)
    times = []
    for _ in range(count):
        status, ms = get(port, path, cookie)
        assert status == 200, (path, status)
        times.append(ms)
    return times


def concurrent(ports, path, cookie, count, workers=4):
    def one(i):
        return get(ports[i % len(ports)], path, cookie)

    with ThreadPoolExecutor(workers * len(ports)) as pool:
        list(pool.map(one, range(workers * len(ports) * 2)))  # connect every thread
        started = time.perf_counter()
        results = list(pool.map(one, range(count)))
        seconds = time.perf_counter() - started
    assert all(status == 200 for status, _ in results), Counter(s for s, _ in results)
    return count / seconds, p95([ms for _, ms in results])


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def rss_mb(pid) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


# --- The run -------------------------------------------------------------------------------


def create_database(bench):
    with psycopg.connect(bench.admin_url, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [bench.bench_db],
        )
        connection.execute(f"DROP DATABASE IF EXISTS {bench.bench_db}")
        connection.execute(f"CREATE DATABASE {bench.bench_db}")
    bench.manage("migrate", "--noinput")
    bench.manage("collectstatic", "--noinput")


def pages(seeded) -> dict[str, str]:
    return {
        "floor (/ping)": "/ping",
        "home": "/",
        "directory": "/organizations/",
        "directory searched": "/organizations/?q=dzemat",
        "directory filtered": "/organizations/?country=DE&area=kultura",
        "profile": seeded["profile"],
        "meetings": "/meetings/",
        "published summary": seeded["summary"],
        "calendar feed": "/meetings/calendar.ics",
        "API organizations": "/api/v1/organizations/",
        "staff review queue": "/staff/organizations/review/",
        "staff organizations": "/staff/organizations/",
        "staff insights": "/staff/insights/",
        "staff insights, all time": "/staff/insights/?period=all",
    }


def database_size(bench, organizations):
    tables = [
        "organizations_organization",
        "organizations_organization_areas",
        "organizations_communicationchannel",
        "organizations_contactperson",
    ]
    with psycopg.connect(bench.bench_url) as connection:
        total = sum(
            connection.execute("SELECT pg_total_relation_size(%s)", [table]).fetchone()[0]
            for table in tables
        )
        whole = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return total / 2**20 / (organizations / 1000), whole / 2**20


def mail_run(bench, count, workers, broker=None, tag="bench", cpus=None):
    """Queue ``count`` e-mails, run ``workers`` Celery workers; return e-mails/s and the check."""
    bench.smtp.reset()
    bench.django(
        "queue-emails", str(count), tag, **({"CELERY_BROKER_URL": broker} if broker else {})
    )
    started = time.monotonic()
    # every worker starts at once, so the rate is the workers' and not one's start-up time
    processes = [bench.celery(f"mail{i}-{tag}", broker, cpus, wait=False) for i in range(workers)]
    for process in processes:
        bench.wait_for_worker(process)
    deadline = time.monotonic() + 600
    while bench.smtp.total() < count and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # a late duplicate would show now
    rate = (
        bench.smtp.total() / (bench.smtp.last - bench.smtp.first) if bench.smtp.total() > 1 else 0
    )
    duplicates = sum(1 for n in bench.smtp.ids.values() if n > 1)
    log(
        f"  {count} e-mails, {workers} worker(s), {tag}: {rate:.0f}/s, {duplicates} twice,"
        f" {time.monotonic() - started:.0f} s"
    )
    return rate, bench.smtp.total(), duplicates, processes


def run(bench, options):
    results = {"started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    bench.smtp_controller.start()
    log("creating and migrating", bench.bench_db)
    create_database(bench)
    started = time.monotonic()
    small = min(100, options.organizations)
    seeded = bench.django(
        "seed",
        f"--organizations={small}",
        f"--meetings={options.meetings}",
        f"--emails={options.emails}",
        f"--invitations={options.invitations}",
        f"--drafts={options.drafts}",
    )
    page_list = pages(seeded)
    measured = [p for p in page_list.values() if p != "/ping"]
    queries_small = bench.django("queries", *measured)
    bench.django("seed", f"--start={small}", f"--organizations={options.organizations}")
    results["seed_seconds"] = time.monotonic() - started
    log(f"seeded in {results['seed_seconds']:.0f} s")
    queries_large = bench.django("queries", *measured)
    results["db_mb_per_1000"], results["db_mb"] = database_size(bench, options.organizations)
    cookie = f"sessionid={bench.django('session')['sessionid']}"
    if options.scale_only:
        results["scale"] = scale_out(bench, options)
        return _finish(results)

    web = bench.gunicorn(options.port)
    web_workers = psutil.Process(web.pid).children()
    mail_worker = bench.celery("memory")
    mail_child = psutil.Process(mail_worker.pid).children()[0].pid
    rss_start = (rss_mb(web_workers[0].pid), rss_mb(mail_child))

    rows = []
    for label, path in page_list.items():
        cookie_for = cookie if path.startswith("/staff/") else ""
        times = sequential(options.port, path, cookie_for, options.requests)
        rate, p95_c4 = concurrent([options.port], path, cookie_for, options.requests)
        rows.append(
            {
                "page": label,
                "path": path,
                "median": statistics.median(times),
                "p95": p95(times),
                "rps4": rate,
                "p95c4": p95_c4,
                "queries_small": queries_small.get(path, 0),
                "queries": queries_large.get(path, 0),
            }
        )
        log(
            f"  {label:<22} median {rows[-1]['median']:.1f} ms, p95 {rows[-1]['p95']:.1f} ms,"
            f" {rate:.0f}/s at c4 (p95 {p95_c4:.1f} ms), {rows[-1]['queries']} queries"
        )
    floor = rows[0]["median"]
    for row in rows:
        row["ratio"] = row["median"] / floor
    results["pages"] = rows

    if options.pages_only:
        bench.stop(mail_worker)
        return _finish(results)

    # memory: 10,000 mixed requests, then 5,000 e-mails through the running worker
    mixed = [(p, cookie if p.startswith("/staff/") else "") for p in page_list.values()]

    def one(i):
        path, c = mixed[i % len(mixed)]
        return get(options.port, path, c)[0]

    with ThreadPoolExecutor(4) as pool:
        statuses = Counter(pool.map(one, range(options.mixed)))
    assert set(statuses) == {200}, statuses
    bench.smtp.reset()
    bench.django("queue-emails", str(options.memory_emails), "memory")
    deadline = time.monotonic() + 600
    while bench.smtp.total() < options.memory_emails and time.monotonic() < deadline:
        time.sleep(0.5)
    results["memory"] = {
        "web_start": rss_start[0],
        "web_after": rss_mb(web_workers[0].pid),
        "celery_start": rss_start[1],
        "celery_after": rss_mb(mail_child),
        "requests": options.mixed,
        "emails": bench.smtp.total(),
    }
    bench.stop(mail_worker)
    log("memory", results["memory"])

    # e-mail throughput: one worker, two workers; Redis and RabbitMQ
    mail = {}
    for broker_name, broker in (("Redis", None), ("RabbitMQ", bench.amqp)):
        for workers in (1, 2):
            tag = f"{broker_name}-{workers}"
            rate, delivered, twice, processes = mail_run(
                bench, options.emails_per_run, workers, broker, tag
            )
            mail[tag] = {"rate": rate, "delivered": delivered, "twice": twice}
            for process in processes:
                bench.stop(process)
    results["mail"] = mail

    bench.stop(web)
    results["scale"] = scale_out(bench, options)
    log("scale-out", results["scale"])
    results["fanout"] = fanout_runs(bench)
    return _finish(results)


def scale_out(bench, options) -> dict:
    """One instance against two, on the same database and broker: the web (the filtered
    directory, built afresh for every request) and the e-mail workers (every message once)."""
    path = "/organizations/?country=DE&area=kultura"
    count = options.requests * 2
    ports = [options.port + 1, options.port + 2]
    cpus = options.instance_cpus
    scale = {"cpus": cpus}

    def instance(port, instance_cpus):
        process = bench.gunicorn(port, instance_cpus, PAGE_CACHE_SECONDS="0")
        concurrent([port], path, "", 40)  # both workers warm, as the first instance's are
        return process

    def web(instance_cpus):
        first = instance(ports[0], instance_cpus)
        one, _ = concurrent(ports[:1], path, "", count)
        second = instance(ports[1], instance_cpus)
        two, _ = concurrent(ports, path, "", count)
        bench.stop(first)
        bench.stop(second)
        return {"one": one, "two": two, "ratio": two / one}

    scale["web"] = web(cpus)
    scale["web_unlimited"] = web(None)
    mail = {}
    for workers in (1, 2):
        rate, delivered, twice, processes = mail_run(
            bench, options.emails_per_run, workers, tag=f"scale-{workers}", cpus=cpus
        )
        mail[workers] = {"rate": rate, "delivered": delivered, "twice": twice}
        for process in processes:
            bench.stop(process)
    scale["mail"] = {**mail, "ratio": mail[2]["rate"] / mail[1]["rate"]}
    scale["limited"] = bool(bench.cgroups)
    return scale


def fanout_runs(bench) -> list[tuple[str, str]]:
    """Run bench/fanout.py, bench/reminders.py and bench/opendata.py as their own processes; keep
    what they print."""
    runs = [
        ("Redis, 1 worker", ["bench/fanout.py", "--workers=1"], {}),
        ("Redis, 2 workers", ["bench/fanout.py", "--workers=2"], {}),
        (
            "RabbitMQ, 1 worker",
            ["bench/fanout.py", "--workers=1"],
            {"CELERY_BROKER_URL": bench.amqp},
        ),
        ("reminder tick", ["bench/reminders.py"], {}),
        ("open-data snapshot", ["bench/opendata.py"], {}),
    ]
    out = []
    for label, command, extra in runs:
        env = {**os.environ, "DJANGO_DEBUG": "1", **extra}
        done = subprocess.run(
            [PYTHON, *command], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=900
        )
        text = (done.stdout.strip() or done.stderr.strip()[-2000:]).strip()
        log(f"  {label}: {text}")
        out.append((label, text))
    return out


def _finish(results):
    results["cpus"] = os.cpu_count()
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}"
    results["load"] = os.getloadavg()
    return results


def table(results, options) -> str:
    r = results
    lines = [
        f"Measured {r['started']} on {r['machine']} (load average at the end "
        f"{r['load'][0]:.1f}), seeding {options.organizations:,} organizations, "
        f"{options.meetings:,} meetings, {options.invitations:,} invitations, "
        f"{options.emails:,} sent e-mails and {options.drafts} "
        f"drafts in {r['seed_seconds']:.0f} s. {options.requests} sequential requests per page, "
        f"then {options.requests} at concurrency 4; gunicorn with 2 workers, DEBUG off.",
        "",
        "| page | median ms | p95 ms | × floor | req/s at c4 | p95 ms at c4 "
        f"| queries at {min(100, options.organizations)} orgs | queries at "
        f"{options.organizations:,} |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r.get("pages", []):
        lines.append(
            f"| {row['page']} (`{row['path']}`) | {row['median']:.1f} | {row['p95']:.1f} "
            f"| {row['ratio']:.1f} | {row['rps4']:.0f} | {row['p95c4']:.1f} "
            f"| {row['queries_small']} | {row['queries']} |"
        )
    if "memory" not in r:
        return "\n".join(lines + (scale_lines(r, options) if "scale" in r else []))
    m = r["memory"]
    lines += [
        "",
        "| memory (RSS, MB) | at start | after |",
        "|---|---:|---:|",
        f"| gunicorn worker ({m['requests']:,} mixed requests) | {m['web_start']:.0f} "
        f"| {m['web_after']:.0f} |",
        f"| Celery worker process ({m['emails']:,} e-mails) | {m['celery_start']:.0f} "
        f"| {m['celery_after']:.0f} |",
        "",
        "| e-mail throughput (outbox → local SMTP) | e-mails/s | delivered | sent twice |",
        "|---|---:|---:|---:|",
    ]
    for tag, row in r["mail"].items():
        broker, workers = tag.rsplit("-", 1)
        lines.append(
            f"| {broker}, {workers} worker(s) × 4 processes | {row['rate']:.0f} "
            f"| {row['delivered']:,} | {row['twice']} |"
        )
    lines += scale_lines(r, options)
    lines += [
        "",
        f"Database: {r['db_mb_per_1000']:.1f} MB per 1,000 organizations (organizations, "
        f"areas, channels, contacts with their indexes); the whole bench database "
        f"{r['db_mb']:.0f} MB.",
    ]
    for label, text in r.get("fanout", []):
        lines += [
            "",
            f"Fan-out and reminders, {label} (`bench/fanout.py`, `bench/reminders.py`):",
            "",
        ]
        lines += ["    " + line for line in text.splitlines()]
    return "\n".join(lines)


def scale_lines(r, options) -> list[str]:
    s = r["scale"]
    size = f"{s['cpus']:g} CPU each" if s["limited"] else "unlimited: no cgroup to hold them"
    return [
        "",
        f"| scale-out, instances of {size} | one | two | ratio | sent twice |",
        "|---|---:|---:|---:|---:|",
        f"| gunicorn, filtered directory built afresh, concurrency 4 per instance (req/s) "
        f"| {s['web']['one']:.0f} | {s['web']['two']:.0f} | {s['web']['ratio']:.2f} | |",
        f"| Celery worker × 4 processes, {options.emails_per_run:,} e-mails on Redis "
        f"(e-mails/s) | {s['mail'][1]['rate']:.0f} | {s['mail'][2]['rate']:.0f} "
        f"| {s['mail']['ratio']:.2f} | {s['mail'][1]['twice'] + s['mail'][2]['twice']} |",
        f"| gunicorn, unlimited, on this whole machine of {r['cpus']} CPUs (req/s) "
        f"| {s['web_unlimited']['one']:.0f} | {s['web_unlimited']['two']:.0f} "
        f"| {s['web_unlimited']['ratio']:.2f} | |",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--pages-only", action="store_true", help="skip memory, mail, scale")
    parser.add_argument(
        "--scale-only", action="store_true", help="seed, then only the scale-out measurement"
    )
    parser.add_argument(
        "--instance-cpus",
        type=float,
        default=0.4,
        help="CPU quota of each instance in the scale-out (default 0.4)",
    )
    parser.add_argument("--write", default=str(BASE_DIR / "docs" / "benchmarks-latest.md"))
    options = parser.parse_args()
    options.organizations = 1000 if options.quick else 10_000
    options.meetings = 100 if options.quick else 1000
    options.emails = 10_000 if options.quick else 100_000
    options.invitations = 10_000 if options.quick else 100_000
    options.drafts = 50 if options.quick else 500
    options.requests = 50 if options.quick else 300
    options.mixed = 1000 if options.quick else 10_000
    options.memory_emails = 500 if options.quick else 5000
    options.emails_per_run = 300 if options.quick else 2000
    bench = Bench(options)
    try:
        results = run(bench, options)
    finally:
        bench.cleanup()
    text = table(results, options)
    print(text)  # noqa: T201
    Path(options.write).write_text(text + "\n")
    (BASE_DIR / "var").mkdir(exist_ok=True)
    (BASE_DIR / "var" / "bench-results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
