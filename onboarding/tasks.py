from celery import shared_task

from . import funnel, services


@shared_task(name="onboarding.send_stalled_reminders")
def send_stalled_reminders_task() -> int:
    return funnel.send_stalled_reminders()


@shared_task(name="onboarding.notify_staff_of_registrations")
def notify_staff_of_registrations_task() -> int:
    return services.notify_staff_of_registrations()
