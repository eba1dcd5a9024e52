from datetime import timedelta

from celery.schedules import crontab
from django.conf import settings

from diaspora_portal.celery import app


def test_celery_runs_on_the_portals_time_zone():
    assert app.conf.timezone == settings.TIME_ZONE == "Europe/Sarajevo"


def test_every_beat_schedule_names_a_registered_task_and_an_explicit_interval():
    app.loader.import_default_modules()

    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: unknown task {entry['task']}"
        assert isinstance(entry["schedule"], int | float | timedelta | crontab), name


def test_every_task_has_a_soft_and_a_hard_time_limit():
    app.loader.import_default_modules()
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}

    assert tasks
    for name, task in tasks.items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard, f"{name} has no time limit"
        assert soft < hard, f"{name}: the soft limit must come before the hard one"


def test_retention_may_run_longer_than_the_default_time_limit():
    app.loader.import_default_modules()
    task = app.tasks["privacy.enforce_retention"]

    assert task.soft_time_limit > app.conf.task_soft_time_limit
