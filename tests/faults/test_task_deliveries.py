"""A task that kills its worker every time is given up after a few deliveries, its row marked
failed, instead of being delivered again for ever."""

import os
import signal
import time

import psutil
import psycopg
import pytest
from django.conf import settings

from mail.models import OutgoingEmail
from privacy.models import DataExport
from privacy.tasks import prepare_export_task
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _wait_until(condition, timeout, message=""):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, message
        time.sleep(0.2)
    return result


def test_a_task_that_kills_its_worker_is_given_up_after_three_deliveries_and_its_row_failed(
    smtp_server, worker_processes, test_database_url
):
    user = factories.UserFactory()
    export = DataExport.objects.create(requested_by=user, subject_user=user)
    worker = worker_processes(smtp_port=smtp_server.port, pool="prefork")
    # the preparation waits for its row, held here, so its worker can be killed mid-task
    holder = psycopg.connect(test_database_url, autocommit=False)
    holder.execute("SELECT id FROM privacy_dataexport WHERE id = %s FOR UPDATE", [export.pk])
    probe = psycopg.connect(test_database_url, autocommit=True)
    seen = set()

    def a_new_delivery_waits():
        waiting = {
            pid
            for (pid,) in probe.execute(
                "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [holder.info.backend_pid],
            )
        }
        return waiting - seen

    try:
        prepare_export_task.delay(export.pk)
        for delivery in range(1, settings.CELERY_TASK_MAX_DELIVERIES + 1):
            backends = _wait_until(a_new_delivery_waits, 60, f"delivery {delivery} never ran")
            seen |= backends
            # the task kills the process that runs it (as running out of memory would)
            for child in psutil.Process(worker.process.pid).children():
                os.kill(child.pid, signal.SIGKILL)
            # its database session, waiting for a lock, would notice only once it got it
            for pid in backends:
                probe.execute("SELECT pg_terminate_backend(%s)", [pid])
        holder.rollback()

        # the next delivery gives up: the copy is failed and its person told, nothing built
        _wait_until(
            lambda: DataExport.objects.get(pk=export.pk).status == DataExport.Status.FAILED,
            60,
            "the task was not given up",
        )
    finally:
        holder.close()
        probe.close()
    export.refresh_from_db()
    assert export.file_name == ""
    assert OutgoingEmail.objects.filter(to=user.email, template="privacy/emails/export_failed")
    log = worker.log()
    assert "giving up" in log
    assert log.count("privacy.prepare_export[") >= settings.CELERY_TASK_MAX_DELIVERIES + 1
    assert worker.process.poll() is None  # the worker itself lives on
