from celery import shared_task

from .digest import services as digest


@shared_task(name="workspace.send_weekly_digests")
def send_weekly_digests_task() -> dict[str, int]:
    return digest.send_weekly_digests()
