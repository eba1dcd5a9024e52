from celery import shared_task

from . import funnel


@shared_task(name="onboarding.send_stalled_reminders")
def send_stalled_reminders_task() -> int:
    return funnel.send_stalled_reminders()
