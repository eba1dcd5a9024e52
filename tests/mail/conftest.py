"""Fixtures for the outbox: an SMTP server that can go down and refuse, broker outages, and
real Celery worker processes on the test database."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.support.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- An SMTP server the test controls ------------------------------------------------------


class _Handler:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()
        self.rcpt_replies = {}  # address -> SMTP reply instead of "250 OK"
        self.data_reply = None  # SMTP reply instead of accepting the message
        self.on_data = None  # called with each accepted message before the 250 is sent

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.data_reply:
            return self.data_reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        if self.on_data is not None:
            self.on_data(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a fixed port that can be stopped and started again."""

    def __init__(self):
        self.port = _free_port()
        self.handler = _Handler()
        self._controller = None

    def start(self):
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self):
        return list(self.handler.messages)

    def wait_for(self, count=1, timeout=20):
        with self.handler.arrived:
            self.handler.arrived.wait_for(
                lambda: len(self.handler.messages) >= count, timeout=timeout
            )
        messages = self.messages
        assert len(messages) >= count, f"expected {count} e-mails, got {len(messages)}"
        return messages


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server the e-mail settings point at; ``.stop()`` makes SMTP go down."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


# --- Broker outages ------------------------------------------------------------------------


def _point_celery_at(url):
    from core import enqueue
    from diaspora_portal.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None
    enqueue.forget_broker_failures()


@pytest.fixture
def broker_outage():
    """Point the web side's Celery at a broker that refuses or hangs: ``broker_outage(kind)``."""
    from diaspora_portal.celery import app

    original = os.environ.get("CELERY_BROKER_URL") or app.conf.broker_url
    listeners = []

    def start(kind):
        if kind == "refused":
            port = _free_port()  # closed again: nothing listens there
        else:  # "hanging": accepts connections and never answers
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(64)
            listeners.append(sock)
            port = sock.getsockname()[1]
        _point_celery_at(f"redis://127.0.0.1:{port}/0")

    def end():
        _point_celery_at(original)

    yield start, end
    end()
    for sock in listeners:
        sock.close()


# --- Real Celery worker processes ----------------------------------------------------------


@pytest.fixture
def test_database_url(transactional_db):
    """The URL of the test database, for other processes and connections."""
    return database_url()


class WorkerProcess:
    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace")

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to record anything."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_processes(transactional_db, tmp_path):
    """Start real ``celery worker`` processes on the test database: ``start(smtp_port, ...)``.

    ``pool="prefork"`` runs the task in a child process, as production does: a child that dies
    is replaced and its task message goes back to the queue (``task_reject_on_worker_lost``).
    """
    from diaspora_portal.celery import app

    app.control.purge()
    started = []

    def start(*, smtp_port, lease_seconds=60, name="w", pool="solo"):
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(),
            DJANGO_CONN_MAX_AGE="0",
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            CELERY_TASK_DEFAULT_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            EMAIL_TIMEOUT="5",
            MAIL_LEASE_SECONDS=str(lease_seconds),
        )
        log_path = tmp_path / f"worker-{name}-{len(started)}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "diaspora_portal",
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=1",
                    f"--hostname={name}{len(started)}@%h",
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
        worker = WorkerProcess(process, log_path)
        started.append(worker)
        deadline = time.monotonic() + 60
        while " ready." not in worker.log():
            assert process.poll() is None, worker.log()
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.2)
        return worker

    yield start
    for worker in started:
        worker.stop()
    app.control.purge()
    # A killed worker's database session must not outlive the test database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
