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
