from celery import shared_task

from . import notices


@shared_task(name="meetings.send_due_reminders")
def send_due_reminders_task() -> int:
    return notices.send_due_reminders()
