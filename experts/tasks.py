from celery import shared_task

from . import services


@shared_task(name="experts.purge_contact_messages")
def purge_contact_messages_task() -> int:
    return services.purge_contact_messages()
