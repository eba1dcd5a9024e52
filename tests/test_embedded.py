"""The embedded launcher: from an empty data folder to a portal answering in Bosnian, and back
to nothing running, whatever stops it (Ctrl-C, SIGTERM, a crash)."""

import contextlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from launcher import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

# One test process runs these in file order (bin/test: --dist loadgroup): they start and stop
# whole launchers on shared data folders, and the order they were written for matters.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("embedded")]


# --- Helpers ------------------------------------------------------------------------------------


def _env(data: Path) -> dict[str, str]:
    """The environment of a launcher that starts its own servers in ``data``."""
    drop = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_HTTPS", "DJANGO_STATIC_MANIFEST"}
    env = {k: v for k, v in os.environ.items() if k not in drop and k != "DJANGO_ALLOWED_HOSTS"}
    env["PORTAL_DATA_DIR"] = str(data)
    env.pop("PORT", None)
    return env


_launched: list[subprocess.Popen] = []


def _launch(data: Path, output: Path, *args: str) -> subprocess.Popen:
    with output.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "launcher.embedded", *args],
            cwd=BASE_DIR,
            env=_env(data),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    _launched.append(process)
    return process


@pytest.fixture(autouse=True)
def _stop_launchers_left_running():
    """A failed test must not leave launchers or servers running."""
    yield
    _stop_launched()


def _stop_launched():
    while _launched:
        process = _launched.pop()
        if process.poll() is None:
            family = _family(process)
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            for stray in family:
                if _alive(stray):
                    stray.kill()


def _wait_for_text(process, output: Path, text: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = output.read_text()
        if text in log:
            return log
        assert process.poll() is None, log
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear:\n{output.read_text()}")


def _wait_for_url(process, output: Path) -> str:
    log = _wait_for_text(process, output, "is running at ")
    return log.rsplit("is running at ", 1)[1].split()[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _servers_of(data: Path) -> list[psutil.Process]:
    """Running PostgreSQL and Redis servers that keep their data in ``data``."""
    found = []
    for process in psutil.process_iter():
        try:
            if str(data) in " ".join(process.cmdline()) and _alive(process):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def _family(process: subprocess.Popen) -> list[psutil.Process]:
    """The launcher's descendants (web, worker, beat, manage.py, the exec'd command)."""
    return psutil.Process(process.pid).children(recursive=True)


def _stop_and_check_nothing_is_left(process, data: Path, signum=signal.SIGTERM) -> int:
    family = _family(process)
    process.send_signal(signum)
    returncode = process.wait(timeout=90)
    leftovers = [p for p in family if _alive(p)] + _servers_of(data)
    assert leftovers == [], [" ".join(p.cmdline()) for p in leftovers]
    return returncode


# The servers' data folders are not under pytest's temporary root: pytest makes that root private
# (0700) again whenever another pytest process starts, which would shut PostgreSQL's own user out
# of a server it is starting (as root, pgserver runs PostgreSQL as a user of its own).
SERVER_FOLDERS = BASE_DIR / "var" / "test-embedded"


@contextlib.contextmanager
def _server_folder(name: str):
    SERVER_FOLDERS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=SERVER_FOLDERS))
    try:
        yield folder / "data"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data():
    with _server_folder("data") as folder:
        yield folder
        _stop_launched()
        for process in _servers_of(folder):  # never leave servers behind a failed test
            process.kill()


@pytest.fixture(scope="module")
def prepared():
    """A data folder whose PostgreSQL was initialised once (no server running)."""
    with _server_folder("prepared") as data:
        yield from _prepare(data)


def _prepare(data):
    subprocess.run(
        [sys.executable, "-m", "launcher.embedded", "exec", "--", "true"],
        cwd=BASE_DIR,
        env=_env(data),
        check=True,
        timeout=120,
    )
    yield data
    for process in _servers_of(data):
        process.kill()


# --- Start, serve, stop, restart on the same port -----------------------------------------------


@pytest.mark.timeout(420)  # two full starts, the first from an empty folder, on a busy machine
def test_embedded_default_starts_from_scratch_serves_and_restarts_on_the_same_port(data, tmp_path):
    output = tmp_path / "output.log"
    port = _free_port()
    process = _launch(data, output, "run", "--port", str(port))
    try:
        url = _wait_for_url(process, output)
        with urllib.request.urlopen(url) as response:
            html = response.read().decode()
        with urllib.request.urlopen(url + "healthz") as response:
            health = response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=90)

    log = output.read_text()
    assert url == f"http://127.0.0.1:{port}/"
    assert '<html lang="bs">' in html
    assert "Sljedeći sastanci" in html
    assert '"database": true' in health and '"broker": true' in health
    assert "staff@diaspora-portal.example" in log
    assert returncode == 0, log
    assert (data / "postgres" / "PG_VERSION").exists()
    assert _servers_of(data) == []

    # Right after the stop (the port's connections still in TIME_WAIT) the same port is used.
    output = tmp_path / "again.log"
    again = _launch(data, output, "run", "--port", str(port))
    assert _wait_for_url(again, output) == f"http://127.0.0.1:{port}/"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
        assert response.status == 200
    assert _stop_and_check_nothing_is_left(again, data) == 0


def test_the_data_folder_is_private(tmp_path):
    folder = embedded.data_dir(tmp_path / "new" / "data")

    mode = stat.S_IMODE(folder.stat().st_mode)
    if os.geteuid() == 0:
        # PostgreSQL runs as pgserver's own user with root's group: that group may pass.
        assert (mode, folder.stat().st_gid) == (0o710, 0)
    else:
        assert mode == 0o700


def test_an_existing_data_folder_is_made_private(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)

    embedded.data_dir(folder)

    assert stat.S_IMODE(folder.stat().st_mode) & 0o067 == 0


# --- SIGTERM stops everything, whatever the launcher is doing ---------------------------------


def test_sigterm_during_migration_stops_every_process_and_both_servers(data, tmp_path):
    output = tmp_path / "output.log"
    process = _launch(data, output, "run", "--port", "0")
    _wait_for_text(process, output, "Applying ")

    assert _stop_and_check_nothing_is_left(process, data) == 0


def test_sigterm_during_exec_stops_the_command_and_both_servers(prepared, tmp_path):
    output = tmp_path / "output.log"
    process = _launch(
        prepared, output, "exec", "--", "bash", "-c", "echo command-started; sleep 300"
    )
    _wait_for_text(process, output, "command-started", timeout=60)
    assert len(_servers_of(prepared)) == 2

    assert _stop_and_check_nothing_is_left(process, prepared) == 128 + signal.SIGTERM


CHILD_THAT_OUTLIVES_CTRL_C = (
    "import signal, time; "
    "signal.signal(signal.SIGINT, lambda *a: print('child got SIGINT', flush=True)); "
    "print('child ready', flush=True); time.sleep(3); print('child done', flush=True)"
)


def test_ctrl_c_in_a_terminal_lets_the_exec_command_decide_then_stops_the_servers(prepared):
    """Like a shell: an interactive command (manage.py shell) survives Ctrl-C."""
    import pty
    import select

    command = [sys.executable, "-m", "launcher.embedded", "exec", "--"]
    command += [sys.executable, "-c", CHILD_THAT_OUTLIVES_CTRL_C]
    pid, terminal = pty.fork()
    if pid == 0:  # the launcher, in a terminal of its own
        os.chdir(BASE_DIR)
        os.execve(sys.executable, command, _env(prepared))  # noqa: S606
    output = b""

    def read_until(text: bytes, timeout: float) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while text not in output and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.2)[0]:
                try:
                    output += os.read(terminal, 4096)
                except OSError:
                    return

    read_until(b"child ready", 60)
    os.write(terminal, b"\x03")  # Ctrl-C: SIGINT to the launcher and the command
    read_until(b"child done", 30)
    _, status = os.waitpid(pid, 0)

    assert b"child got SIGINT" in output and b"child done" in output, output
    assert os.waitstatus_to_exitcode(status) == 0
    assert _servers_of(prepared) == []


# --- Ports --------------------------------------------------------------------------------------


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_a_taken_explicit_port_is_a_clear_error_before_anything_starts(data, tmp_path, taken_port):
    output = tmp_path / "output.log"

    process = _launch(data, output, "run", "--port", str(taken_port))

    assert process.wait(timeout=60) == 1
    assert f"Port {taken_port} is already in use" in output.read_text()
    assert _servers_of(data) == []


def test_a_taken_default_port_falls_back_to_a_free_one(taken_port):
    port = embedded.choose_port(None, default=taken_port)

    assert port != taken_port
    assert embedded._port_is_free(port)


def test_a_free_explicit_port_is_used_as_it_is():
    port = _free_port()

    assert embedded.choose_port(port) == port


# --- Shared servers, stale pid files ------------------------------------------------------------


def test_a_second_launcher_leaving_does_not_stop_the_first_ones_servers(prepared, tmp_path):
    output = tmp_path / "output.log"
    first = _launch(prepared, output, "exec", "--", "bash", "-c", "echo first-ready; sleep 300")
    _wait_for_text(first, output, "first-ready", timeout=60)
    servers = _servers_of(prepared)

    second = subprocess.run(
        [sys.executable, "-m", "launcher.embedded", "exec", "--", "true"],
        cwd=BASE_DIR,
        env=_env(prepared),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert second.returncode == 0, second.stdout + second.stderr
    assert "keep running for other launchers" in second.stdout
    assert all(_alive(server) for server in servers) and len(servers) == 2
    _stop_and_check_nothing_is_left(first, prepared)


def test_a_crashed_launcher_does_not_prevent_a_clean_stop(prepared, tmp_path):
    output = tmp_path / "output.log"
    crashed = _launch(prepared, output, "exec", "--", "bash", "-c", "echo ready; sleep 300")
    _wait_for_text(crashed, output, "ready", timeout=60)
    orphans = _family(crashed)
    crashed.kill()  # SIGKILL: no clean-up at all, users.json still names it
    crashed.wait()
    for orphan in orphans:
        orphan.kill()
    assert len(_servers_of(prepared)) == 2
    assert json.loads((prepared / "users.json").read_text())[0]["pid"] == crashed.pid

    result = subprocess.run(
        [sys.executable, "-m", "launcher.embedded", "exec", "--", "true"],
        cwd=BASE_DIR,
        env=_env(prepared),
        timeout=60,
    )

    assert result.returncode == 0
    assert _servers_of(prepared) == []


CHECK_SERVERS = (
    "import os, psycopg, redis; "
    "psycopg.connect(os.environ['DATABASE_URL'].replace('postgres://', 'postgresql://')).close(); "
    "redis.Redis.from_url(os.environ['CELERY_BROKER_URL'].replace('redis+socket', 'unix')).ping()"
)


def test_stale_pid_files_naming_a_live_other_process_do_not_prevent_a_clean_start(prepared):
    assert _servers_of(prepared) == []
    # After a crash and a reboot, the pids in the pid files may belong to other programs.
    (prepared / "postgres" / "postmaster.pid").write_text(f"{os.getpid()}\n{prepared}\n")
    (prepared / "redis.pid").write_text(f"{os.getpid()}\n")
    (prepared / "users.json").write_text(json.dumps([{"pid": os.getpid(), "started": 1.0}]))

    result = subprocess.run(
        [sys.executable, "-m", "launcher.embedded", "exec", "--"]
        + [sys.executable, "-c", CHECK_SERVERS],
        cwd=BASE_DIR,
        env=_env(prepared),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert _servers_of(prepared) == []


# --- Demo data only in a database the launcher started ------------------------------------------


class _RecordingChildren:
    def __init__(self):
        self.commands = []

    def call(self, command, env):
        self.commands.append(command[2:])
        return 0


def test_demo_data_is_loaded_into_a_database_the_launcher_started():
    children = _RecordingChildren()

    embedded.prepare_database(children, env={}, started_database=True)

    assert children.commands == [["migrate", "--noinput"], ["seed_demo"]]


def test_no_demo_data_is_loaded_into_a_database_from_the_environment(capsys):
    children = _RecordingChildren()

    embedded.prepare_database(children, env={}, started_database=False)

    assert children.commands == [["migrate", "--noinput"]]
    assert "no demo data loaded" in capsys.readouterr().out
