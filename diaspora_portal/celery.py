import os

from celery import Celery

from core.task_base import PortalTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaspora_portal.settings")

app = Celery("diaspora_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
